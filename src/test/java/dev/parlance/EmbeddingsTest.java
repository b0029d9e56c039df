package dev.parlance;

import dev.parlance.bus.Schemas;
import dev.parlance.api.Task;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Embeddings and similarity, on the fp32 model against sentence-transformers' reference values. */
class EmbeddingsTest {

    static TestServer server;
    static Schemas schemas;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.config(
                new JsonObject().put("name", "all-MiniLM-L6-v2").put("kind", "embedding")
                        .put("source", "classpath:all-minilm-l6-v2").put("workers", 2),
                TestServer.embedded("minilm-q")), "--root-path", "/v1");
        schemas = Schemas.load(server.config.limits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject post(String path, JsonObject body, Task task) {
        HttpResponse<Buffer> response = server.postJson(path, body);
        assertEquals(200, response.statusCode(), response.bodyAsString());
        JsonObject json = response.bodyAsJsonObject();
        ResponseSchemas.assertValid(schemas, task, json);
        return json;
    }

    @Test
    void fp32EmbeddingMatchesSentenceTransformers() {
        JsonObject body = new JsonObject().put("sentences", new JsonArray()
                .add("I love sentence transformers.").add("A much longer second sentence pads the first one in the batch."));
        JsonArray embeddings = post("/v1/all-MiniLM-L6-v2/embeddings", body, Task.EMBEDDINGS).getJsonArray("embeddings");
        assertEquals(2, embeddings.size());
        JsonArray first = embeddings.getJsonArray(0);
        assertEquals(384, first.size());
        // sentence-transformers' reference, as numpy abbreviates it: [-0.080319, -0.017134, ..., 0.047883, -0.056190]
        // (numpy prints the first three and last three values; these are dimensions 0, 1, 382 and 383).
        int[] dimensions = {0, 1, 382, 383};
        double[] reference = {-0.080319, -0.017134, 0.047883, -0.056190};
        for (int i = 0; i < reference.length; i++) {
            assertEquals(reference[i], first.getDouble(dimensions[i]), 1e-4, "dimension " + dimensions[i]);
        }
        double norm = first.stream().mapToDouble(v -> ((Number) v).doubleValue()).map(v -> v * v).sum();
        assertEquals(1.0, norm, 1e-5, "normalised");
    }

    @Test
    void batchedAndAloneGiveTheSameFp32Vector() {
        JsonArray alone = post("/v1/all-MiniLM-L6-v2/embeddings", new JsonObject().put("sentences",
                new JsonArray().add("I love sentence transformers.")), Task.EMBEDDINGS).getJsonArray("embeddings").getJsonArray(0);
        JsonArray batched = post("/v1/all-MiniLM-L6-v2/embeddings", new JsonObject().put("sentences", new JsonArray()
                .add("Short.").add("I love sentence transformers.").add("word ".repeat(60))), Task.EMBEDDINGS)
                .getJsonArray("embeddings").getJsonArray(1);
        for (int i = 0; i < 384; i++) {
            assertEquals(alone.getDouble(i), batched.getDouble(i), 1e-5);
        }
    }

    @Test
    void similarityIsSymmetricAndOneForIdenticalSentences() {
        String a = "The cat sits on the mat.";
        String b = "A feline rests on a rug.";
        String c = "Interest rates rose again this quarter.";
        double ab = score(a, b);
        double ba = score(b, a);
        assertEquals(ab, ba, 1e-6);
        assertEquals(1.0, score(a, a), 1e-6);
        assertTrue(ab > score(a, c) + 0.2, "related sentences are closer than unrelated ones");
    }

    private static double score(String a, String b) {
        return post("/v1/all-MiniLM-L6-v2/semantic-similarity",
                new JsonObject().put("sentences", new JsonArray().add(a).add(b)), Task.SEMANTIC_SIMILARITY).getDouble("score");
    }

    @Test
    void nlpCloudClientBodiesWorkOnItsUrls() {
        // NLP Cloud's clients send every field, null when unset.
        assertEquals(200, server.postJson("/v1/minilm-q/embeddings", new JsonObject()
                .put("sentences", new JsonArray().add("Hello"))).statusCode());
        assertEquals(200, server.postJson("/v1/minilm-q/semantic-similarity", new JsonObject()
                .put("sentences", new JsonArray().add("Hello").add("Hi"))).statusCode());
        assertEquals(200, server.postJson("/v1/minilm-q/classification", new JsonObject()
                .put("text", "Hello").put("labels", new JsonArray().add("greeting")).putNull("multi_class")).statusCode());
    }

    @Test
    void similarityNeedsExactlyTwoSentences() {
        HttpResponse<Buffer> response = server.postJson("/v1/minilm-q/semantic-similarity",
                new JsonObject().put("sentences", new JsonArray().add("one")));
        assertEquals(400, response.statusCode());
        assertEquals("/sentences", response.bodyAsJsonObject().getString("path"));
    }

    @Test
    void theSentenceCapIsEnforced() {
        JsonArray many = new JsonArray();
        for (int i = 0; i <= server.config.limits().maxSentences(); i++) {
            many.add("sentence " + i);
        }
        HttpResponse<Buffer> response = server.postJson("/v1/minilm-q/embeddings", new JsonObject().put("sentences", many));
        assertEquals(400, response.statusCode());
        assertEquals("/sentences", response.bodyAsJsonObject().getString("path"));
    }
}
