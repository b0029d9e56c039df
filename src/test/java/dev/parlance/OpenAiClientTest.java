package dev.parlance;

import dev.parlance.bus.Schemas;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official openai npm client, unchanged, with baseURL = Parlance's root: its embeddings
 * must be exactly the vectors of Parlance's own (NLP Cloud-shaped) answer, in float and in the
 * base64 form the client asks for by default, and its errors must reach it as OpenAI's.
 */
class OpenAiClientTest {

    private static final String CAT = "The cat sat on the mat.";
    private static final String DOGS = "Dogs bark.";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.config(
                TestServer.embedded("minilm").put("aliases", new JsonArray().add("all-MiniLM-L6-v2"))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Parlance's own answer for the same sentences, on its NLP Cloud route. */
    private static JsonArray vectors(String... sentences) {
        HttpResponse<Buffer> response = server.postJson("/api/v1/minilm/embeddings",
                new JsonObject().put("sentences", new JsonArray(java.util.List.of((Object[]) sentences))));
        assertEquals(200, response.statusCode(), response.bodyAsString());
        return response.bodyAsJsonObject().getJsonArray("embeddings");
    }

    private static void assertSameVector(JsonArray want, JsonArray got) {
        assertEquals(384, want.size());
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            // float32 both ways: the same bits, whatever the encoding
            assertEquals(((Number) want.getValue(i)).floatValue(), ((Number) got.getValue(i)).floatValue(), 0f, "value " + i);
        }
    }

    @Test
    void theOfficialClientGetsParlancesVectorsAndOpenAisErrors() throws Exception {
        JsonObject got = NodeTool.runJson("openai-embeddings.mjs",
                "http://127.0.0.1:" + server.port + "/api/v1", TestServer.TOKEN, "minilm", "all-MiniLM-L6-v2");
        Schemas schemas = Schemas.load(server.config.limits());
        JsonArray cat = vectors(CAT).getJsonArray(0);
        JsonArray dogs = vectors(DOGS).getJsonArray(0);

        // A string input, base64 on the wire (the client's default), decoded by the client.
        JsonObject string = got.getJsonObject("string").getJsonObject("ok");
        assertEquals("list", string.getString("object"));
        assertEquals("minilm", string.getString("model"));
        assertEquals(1, string.getJsonArray("data").size());
        assertEquals(0, string.getJsonArray("data").getJsonObject(0).getInteger("index"));
        assertSameVector(cat, string.getJsonArray("data").getJsonObject(0).getJsonArray("embedding"));
        // [CLS] the cat sat on the mat . [SEP]
        assertEquals(new JsonObject().put("prompt_tokens", 9).put("total_tokens", 9), string.getJsonObject("usage"));

        // A list, as floats, in order; usage adds both texts' tokens ([CLS] dogs bark . [SEP] = 5).
        JsonObject list = got.getJsonObject("list").getJsonObject("ok");
        ResponseSchemas.check(schemas.openAiEmbeddingsResponse(), list);
        assertSameVector(cat, list.getJsonArray("data").getJsonObject(0).getJsonArray("embedding"));
        assertSameVector(dogs, list.getJsonArray("data").getJsonObject(1).getJsonArray("embedding"));
        assertEquals(1, list.getJsonArray("data").getJsonObject(1).getInteger("index"));
        assertEquals(14, list.getJsonObject("usage").getInteger("prompt_tokens"));

        // An alias names the same model; the answer names the model as the request did.
        JsonObject alias = got.getJsonObject("alias").getJsonObject("ok");
        assertEquals("all-MiniLM-L6-v2", alias.getString("model"));
        assertSameVector(dogs, alias.getJsonArray("data").getJsonObject(0).getJsonArray("embedding"));

        // Asked for base64 explicitly, the client hands the string over: little-endian float32.
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(got.getJsonObject("rawBase64").getString("ok")))
                .order(ByteOrder.LITTLE_ENDIAN);
        JsonArray decoded = new JsonArray();
        while (bytes.hasRemaining()) {
            decoded.add(bytes.getFloat());
        }
        assertSameVector(dogs, decoded);

        assertFailure(got, "dimensions", "BadRequestError", 400, "validation", "dimensions", "384");
        assertFailure(got, "tokenIds", "BadRequestError", 400, "validation", "input", "must be a string");
        assertFailure(got, "emptyText", "BadRequestError", 400, "validation", "input", "must not be empty");
        assertFailure(got, "unknownModel", "NotFoundError", 404, "model_not_found", "model", "text-embedding-3-small");
        JsonObject wrongKey = got.getJsonObject("wrongKey").getJsonObject("failed");
        assertEquals("AuthenticationError", wrongKey.getString("name"));
        assertEquals(401, wrongKey.getInteger("status"));
    }

    private static void assertFailure(JsonObject got, String call, String name, int status, String code, String param,
                                      String inMessage) {
        JsonObject failed = got.getJsonObject(call).getJsonObject("failed");
        assertEquals(name, failed.getString("name"), call + ": " + failed);
        assertEquals(status, failed.getInteger("status"), call);
        assertEquals("invalid_request_error", failed.getString("type"), call);
        assertEquals(code, failed.getString("code"), call);
        assertEquals(param, failed.getString("param"), call);
        assertTrue(failed.getString("message").contains(inMessage), call + ": " + failed.getString("message"));
    }

    @Test
    void openAiErrorsHaveOpenAisShapeAndNlpCloudBodiesKeepParlances() {
        Schemas schemas = Schemas.load(server.config.limits());
        HttpResponse<Buffer> openAi = server.postJson("/api/v1/embeddings",
                new JsonObject().put("model", "minilm").put("input", new JsonArray().add(DOGS).add(42)));
        assertEquals(400, openAi.statusCode());
        ResponseSchemas.check(schemas.openAiError(), openAi.bodyAsJsonObject());
        assertEquals("input", openAi.bodyAsJsonObject().getJsonObject("error").getString("param"));

        HttpResponse<Buffer> nlpCloud = server.postJson("/api/v1/embeddings",
                new JsonObject().put("sentences", new JsonArray().add(DOGS).add(42)));
        assertEquals(400, nlpCloud.statusCode());
        ResponseSchemas.assertError(schemas, nlpCloud.bodyAsJsonObject());
        assertEquals("/sentences/1", nlpCloud.bodyAsJsonObject().getString("path"));

        // A body with sentences stays NLP Cloud's, whatever else it carries.
        HttpResponse<Buffer> both = server.postJson("/api/v1/embeddings",
                new JsonObject().put("sentences", new JsonArray().add(DOGS)).put("input", "ignored"));
        assertEquals(200, both.statusCode(), both.bodyAsString());
        assertSameVector(vectors(DOGS).getJsonArray(0), both.bodyAsJsonObject().getJsonArray("embeddings").getJsonArray(0));

        // An OpenAI body on a named route: the URL's model answers, the body's name is echoed.
        HttpResponse<Buffer> named = server.postJson("/api/v1/minilm/embeddings",
                new JsonObject().put("model", "whatever-the-client-says").put("input", DOGS).put("encoding_format", "float"));
        assertEquals(200, named.statusCode(), named.bodyAsString());
        assertEquals("whatever-the-client-says", named.bodyAsJsonObject().getString("model"));
        assertSameVector(vectors(DOGS).getJsonArray(0),
                named.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getJsonArray("embedding"));
        assertNull(named.bodyAsJsonObject().getValue("embeddings"));
    }
}
