package dev.parlance;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NLP Cloud's official npm client, its rootURL pointed at Parlance (the only change a user
 * makes): NLP Cloud's model names (as aliases), its gpu/ and language segments, and the bodies
 * it sends (nulls for options left out) get the same answers as Parlance's own routes.
 */
class NlpCloudClientTest {

    private static JsonObject request(String name, String model, boolean gpu, String lang, String method, JsonObject params) {
        return new JsonObject().put("name", name).put("model", model).put("gpu", gpu).put("lang", lang)
                .put("method", method).put("params", params);
    }

    @Test
    void theOfficialClientWorksWithItsRootUrlPointedAtParlance() throws Exception {
        JsonObject config = TestServer.config(
                TestServer.nli("bart-large-mnli", "nli-tiny").put("aliases", new JsonArray().add("bart-large-mnli-yahoo-answers")),
                TestServer.embedded("minilm").put("aliases", new JsonArray().add("paraphrase-multilingual-mpnet-base-v2"))
                        .put("languages", new JsonArray().add("en").add("eng_Latn").add("fra_Latn")),
                new JsonObject().put("name", "bert-base-NER").put("kind", "token-classification").put("workers", 1)
                        .put("source", TestServer.fixture("ner-tiny").toString()).put("aliases", new JsonArray().add("en_core_web_lg")),
                new JsonObject().put("name", "sentiment").put("kind", "text-classification").put("workers", 1)
                        .put("source", TestServer.fixture("hf/distilbert-sst2").toString())
                        .put("aliases", new JsonArray().add("distilbert-base-uncased-finetuned-sst-2-english")));
        String text = "John Doe has been working for Microsoft in Seattle since 1999.";
        JsonArray labels = new JsonArray().add("job").add("travel").add("space");
        JsonArray pair = new JsonArray().add("Le chat dort.").add("Le chien aboie.");
        JsonArray requests = new JsonArray()
                .add(request("classifyGpu", "bart-large-mnli-yahoo-answers", true, "", "classification",
                        new JsonObject().put("text", text).put("labels", labels).put("multiClass", true)))
                .add(request("classifyPlain", "bart-large-mnli-yahoo-answers", false, "en", "classification",
                        new JsonObject().put("text", text).put("labels", labels)))
                .add(request("entities", "en_core_web_lg", false, "", "entities", new JsonObject().put("text", "Parlanceville")))
                .add(request("embeddingsFrench", "paraphrase-multilingual-mpnet-base-v2", true, "fra_Latn", "embeddings",
                        new JsonObject().put("sentences", pair)))
                .add(request("similarityFrench", "paraphrase-multilingual-mpnet-base-v2", false, "fra_Latn", "semanticSimilarity",
                        new JsonObject().put("sentences", pair)))
                .add(request("german", "paraphrase-multilingual-mpnet-base-v2", false, "deu_Latn", "embeddings",
                        new JsonObject().put("sentences", pair)))
                .add(request("asyncMode", "minilm", false, "", "embeddings", new JsonObject().put("sentences", pair)))
                .add(request("sentiment", "distilbert-base-uncased-finetuned-sst-2-english", true, "", "sentiment",
                        new JsonObject().put("text", text)))
                .add(request("unknownModel", "finetuned-llama-3-70b", true, "", "classification",
                        new JsonObject().put("text", text).put("labels", labels)));
        // NLP Cloud's asynchronous mode (async: true puts "async/" in the URL) is refused clearly.
        requests.getJsonObject(6).put("async", true);

        try (TestServer server = TestServer.start(config)) {
            Path file = Files.createTempFile("nlpcloud-requests", ".json");
            Files.writeString(file, requests.encode());
            String root = "http://127.0.0.1:" + server.port + "/api/v1";
            JsonObject got = NodeTool.runJson("nlpcloud-client.mjs", root, TestServer.TOKEN, file.toString());

            assertAnswer(got, "classifyGpu", root + "/gpu/bart-large-mnli-yahoo-answers/classification",
                    direct(server, "/api/v1/bart-large-mnli/classification",
                            new JsonObject().put("text", text).put("labels", labels).put("multi_class", true)));
            // The client sends "multi_class": null when it is left out, and drops "en" from the URL.
            assertAnswer(got, "classifyPlain", root + "/bart-large-mnli-yahoo-answers/classification",
                    direct(server, "/api/v1/bart-large-mnli/classification", new JsonObject().put("text", text).put("labels", labels)));
            JsonObject entities = direct(server, "/api/v1/bert-base-NER/entities", new JsonObject().put("text", "Parlanceville"));
            assertTrue(entities.getJsonArray("entities").size() > 0, "the fixture finds entities in its split word");
            assertAnswer(got, "entities", root + "/en_core_web_lg/entities", entities);
            assertAnswer(got, "embeddingsFrench", root + "/gpu/fra_Latn/paraphrase-multilingual-mpnet-base-v2/embeddings",
                    direct(server, "/api/v1/minilm/embeddings", new JsonObject().put("sentences", pair)));
            assertAnswer(got, "similarityFrench", root + "/fra_Latn/paraphrase-multilingual-mpnet-base-v2/semantic-similarity",
                    direct(server, "/api/v1/minilm/semantic-similarity", new JsonObject().put("sentences", pair)));

            JsonObject sentiment = direct(server, "/api/v1/sentiment/sentiment", new JsonObject().put("text", text));
            assertEquals(2, sentiment.getJsonArray("scored_labels").size(), "both of SST-2's labels: " + sentiment);
            assertAnswer(got, "sentiment", root + "/gpu/distilbert-base-uncased-finetuned-sst-2-english/sentiment", sentiment);

            assertRefused(got, "german", "language_not_served", "deu_Latn");
            assertRefused(got, "asyncMode", "language_not_served", "asynchronous");
            assertRefused(got, "unknownModel", "unknown_model", "finetuned-llama-3-70b");
        }
    }

    private static JsonObject direct(TestServer server, String path, JsonObject body) {
        HttpResponse<Buffer> response = server.postJson(path, body);
        assertEquals(200, response.statusCode(), response.bodyAsString());
        return response.bodyAsJsonObject();
    }

    private static void assertAnswer(JsonObject got, String name, String url, JsonObject want) {
        JsonObject result = got.getJsonObject(name);
        assertEquals(url, result.getString("url"), name);
        assertEquals(200, result.getInteger("status"), name + ": " + result.getValue("data"));
        assertEquals(want, result.getJsonObject("data"), name);
    }

    private static void assertRefused(JsonObject got, String name, String code, String inMessage) {
        JsonObject result = got.getJsonObject(name);
        assertEquals(404, result.getInteger("status"), name + ": " + result);
        assertEquals(code, result.getJsonObject("data").getString("error"), name);
        assertTrue(result.getJsonObject("data").getString("message").contains(inMessage), name + ": " + result);
    }
}
