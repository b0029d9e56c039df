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

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zero-shot classification end to end, on the embedded model and on the NLI fixtures. */
class ClassificationTest {

    static final String SEED_TEXT = "John Doe is a Go Developer at Google. He has been working there for 10 years"
            + " and has been awarded employee of the year.";

    static TestServer server;
    static Schemas schemas;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.config(
                TestServer.embedded("minilm"),
                TestServer.nli("nli", "nli-tiny"),
                TestServer.nli("nli-entail0", "nli-tiny-entail0"),
                TestServer.nli("nli-16", "nli-tiny").put("maxTokens", 16)));
        schemas = Schemas.load(server.config.limits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject classify(String path, JsonObject body) {
        HttpResponse<Buffer> response = server.postJson(path, body);
        assertEquals(200, response.statusCode(), response.bodyAsString());
        assertEquals("application/json", response.getHeader("content-type"));
        JsonObject json = response.bodyAsJsonObject();
        ResponseSchemas.assertValid(schemas, Task.CLASSIFICATION, json);
        return json;
    }

    @Test
    void theSeedRequestRanksJobFirstOnTheEmbeddedModel() {
        JsonObject result = classify("/api/v1/classification", new JsonObject()
                .put("text", SEED_TEXT).put("labels", new JsonArray().add("job").add("nature").add("space")));
        assertEquals("job", result.getJsonArray("labels").getString(0));
        JsonArray scores = result.getJsonArray("scores");
        assertTrue(scores.getDouble(0) > 0.5, "job is a clear winner: " + scores);
        assertEquals(1.0, scores.getDouble(0) + scores.getDouble(1) + scores.getDouble(2), 1e-9);
        assertTrue(scores.getDouble(0) >= scores.getDouble(1) && scores.getDouble(1) >= scores.getDouble(2));
    }

    @Test
    void multiClassScoresOnTheEmbeddedModelAreIndependent() {
        JsonObject result = classify("/api/v1/minilm/classification", new JsonObject()
                .put("text", "We hiked through the forest and watched the birds by the river.")
                .put("labels", new JsonArray().add("space").add("nature").add("outdoors")).put("multi_class", true));
        assertEquals("nature", result.getJsonArray("labels").getString(0));
        double sum = result.getJsonArray("scores").stream().mapToDouble(s -> ((Number) s).doubleValue()).sum();
        assertTrue(Math.abs(sum - 1.0) > 1e-3, "independent scores need not sum to 1: " + sum);
    }

    /**
     * The second request finds its labels' vectors cached, so its forward pass holds only the
     * text. The int8 model's quantisation scale depends on the batch, so scores may move a
     * little (measured: about 0.02); the ranking may not.
     */
    @Test
    void repeatedLabelsGiveTheSameAnswerFromTheCache() {
        JsonObject body = new JsonObject().put("text", "The striker scored twice in the final minutes of the match.")
                .put("labels", new JsonArray().add("sports").add("politics").add("economy"));
        JsonObject first = classify("/api/v1/classification", body);
        JsonObject second = classify("/api/v1/classification", body);
        assertEquals("sports", first.getJsonArray("labels").getString(0));
        assertEquals(first.getJsonArray("labels"), second.getJsonArray("labels"));
        for (int i = 0; i < 3; i++) {
            assertEquals(first.getJsonArray("scores").getDouble(i), second.getJsonArray("scores").getDouble(i), 0.05);
        }
    }

    @Test
    void nliModelsGiveExactlyTheScoresOfHuggingFacesFormula() throws Exception {
        JsonObject expected = new JsonObject(Files.readString(TestServer.fixture("expected-nli.json")));
        int checked = 0;
        for (String fixture : List.of("nli-tiny", "nli-tiny-entail0")) {
            for (Object item : expected.getJsonArray(fixture)) {
                JsonObject c = (JsonObject) item;
                String model = fixture.equals("nli-tiny-entail0") ? "nli-entail0"
                        : c.getInteger("max_tokens") == 16 ? "nli-16" : "nli";
                JsonObject result = classify("/api/v1/" + model + "/classification", new JsonObject()
                        .put("text", c.getString("text")).put("labels", c.getJsonArray("labels"))
                        .put("multi_class", c.getBoolean("multi_class")));
                JsonObject want = c.getJsonObject("expected");
                String what = model + " " + c.getString("text") + " multi_class=" + c.getBoolean("multi_class");
                assertEquals(want.getJsonArray("labels"), result.getJsonArray("labels"), what);
                for (int i = 0; i < want.getJsonArray("scores").size(); i++) {
                    assertEquals(want.getJsonArray("scores").getDouble(i), result.getJsonArray("scores").getDouble(i), 1e-5, what);
                }
                checked++;
            }
        }
        assertEquals(24, checked);
    }

    @Test
    void entailmentPositionChangesTheScoresAsTheConfigSays() {
        JsonObject body = new JsonObject().put("text", SEED_TEXT).put("labels", new JsonArray().add("job").add("nature"));
        JsonObject mnli = classify("/api/v1/nli/classification", body);
        JsonObject first = classify("/api/v1/nli-entail0/classification", body);
        assertEquals("job", mnli.getJsonArray("labels").getString(0));
        assertEquals("nature", first.getJsonArray("labels").getString(0));
    }

    @Test
    void nullMultiClassMeansSingleLabelAsNlpCloudClientsSendIt() {
        JsonObject body = new JsonObject().put("text", SEED_TEXT).put("labels", new JsonArray().add("job").add("space"));
        JsonObject withNull = classify("/api/v1/nli/classification", body.copy().putNull("multi_class"));
        JsonObject without = classify("/api/v1/nli/classification", body);
        assertEquals(without, withNull);
        assertEquals(1.0, withNull.getJsonArray("scores").getDouble(0) + withNull.getJsonArray("scores").getDouble(1), 1e-9);
    }

    @Test
    void theBareRouteUsesTheFirstModelThatServesTheTask() {
        JsonObject body = new JsonObject().put("text", SEED_TEXT).put("labels", new JsonArray().add("job").add("nature"));
        assertEquals(classify("/api/v1/minilm/classification", body).getJsonArray("labels"),
                classify("/api/v1/classification", body).getJsonArray("labels"));
    }
}
