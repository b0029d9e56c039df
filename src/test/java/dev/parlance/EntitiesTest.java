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

/** Named entities on the lookup fixture, against Hugging Face's algorithm run by the fixture script. */
class EntitiesTest {

    static TestServer server;
    static Schemas schemas;

    static JsonObject ner(String name, String aggregation) {
        return new JsonObject().put("name", name).put("kind", "token-classification").put("workers", 1)
                .put("source", TestServer.fixture("ner-tiny").toString()).put("aggregation", aggregation);
    }

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.config(
                ner("ner-simple", "simple"), ner("ner-first", "first"), ner("ner-average", "average"), ner("ner-max", "max"),
                ner("ner-simple-16", "simple").put("maxTokens", 16).put("stride", 4),
                ner("ner-first-16", "first").put("maxTokens", 16).put("stride", 4),
                ner("ner-average-16", "average").put("maxTokens", 16).put("stride", 4),
                ner("ner-max-16", "max").put("maxTokens", 16).put("stride", 4)), "--root-path", "/v1");
        schemas = Schemas.load(server.config.limits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonArray entities(String model, JsonObject body) {
        HttpResponse<Buffer> response = server.postJson("/v1/" + model + "/entities", body);
        assertEquals(200, response.statusCode(), response.bodyAsString());
        JsonObject json = response.bodyAsJsonObject();
        ResponseSchemas.assertValid(schemas, Task.ENTITIES, json);
        return json.getJsonArray("entities");
    }

    @Test
    void everyCaseMatchesHuggingFacesAlgorithmExactly() throws Exception {
        JsonArray cases = new JsonArray(Files.readString(TestServer.fixture("expected-ner.json")));
        int windowed = 0;
        for (Object item : cases) {
            JsonObject c = (JsonObject) item;
            String model = "ner-" + c.getString("strategy") + (c.getInteger("max_tokens") == 16 ? "-16" : "");
            String text = c.getString("text");
            JsonArray got = entities(model, new JsonObject().put("text", text));
            JsonArray want = c.getJsonArray("entities");
            String what = model + " on " + text;
            assertEquals(want.size(), got.size(), what + ": " + got);
            for (int i = 0; i < want.size(); i++) {
                JsonObject w = want.getJsonObject(i);
                JsonObject g = got.getJsonObject(i);
                assertEquals(w.getString("type"), g.getString("type"), what);
                assertEquals(w.getInteger("start"), g.getInteger("start"), what);
                assertEquals(w.getInteger("end"), g.getInteger("end"), what);
                assertEquals(w.getString("text"), g.getString("text"), what);
                assertEquals(text.substring(g.getInteger("start"), g.getInteger("end")), g.getString("text"), what);
                assertEquals(w.getDouble("score"), g.getDouble("score"), 1e-6, what);
            }
            windowed += c.getInteger("windows") > 1 ? 1 : 0;
        }
        assertEquals(24, cases.size());
        assertEquals(4, windowed, "the long text spans several windows for each strategy");
    }

    @Test
    void offsetsCountUtf16UnitsOrCodePointsAroundEmojiAccentsAndCjk() {
        String text = "🙂🙂 José met Zoë in 東京, near Parlanceville.";
        JsonArray utf16 = entities("ner-first", new JsonObject().put("text", text));
        JsonArray codePoints = entities("ner-first", new JsonObject().put("text", text).put("offsets", "code-points"));
        assertEquals(new JsonObject().put("start", 5).put("end", 9).put("type", "PER").put("text", "José"),
                without(utf16.getJsonObject(0), "score"));
        assertEquals(new JsonObject().put("start", 3).put("end", 7).put("type", "PER").put("text", "José"),
                without(codePoints.getJsonObject(0), "score"));
        JsonObject tokyo = utf16.getJsonObject(2);
        assertEquals(List.of("LOC", "東京", 21, 23), List.of(tokyo.getString("type"), tokyo.getString("text"),
                tokyo.getInteger("start"), tokyo.getInteger("end")));
    }

    @Test
    void aggregationStrategiesDifferOnASplitWord() {
        JsonObject body = new JsonObject().put("text", "Parlanceville");
        assertEquals(List.of("ORG", "LOC", "MISC"), types(entities("ner-simple", body)));
        assertEquals(List.of("ORG"), types(entities("ner-first", body)));
        assertEquals(List.of("MISC"), types(entities("ner-average", body)));
        assertEquals(List.of("LOC"), types(entities("ner-max", body)));
        assertEquals("Parl", entities("ner-simple", body).getJsonObject(0).getString("text"));
        assertEquals("Parlanceville", entities("ner-max", body).getJsonObject(0).getString("text"));
    }

    @Test
    void anEntityCutByAWindowBoundaryIsReportedOnceWhole() {
        String text = "the city of Parlanceville was there for many years and a John Doe works at Google in Paris."
                + " a city Parlanceville lived with José near the city of Paris for many years.";
        JsonArray found = entities("ner-first-16", new JsonObject().put("text", text));
        List<String> texts = found.stream().map(e -> ((JsonObject) e).getString("text")).toList();
        assertEquals(List.of("Parlanceville", "John Doe", "Google", "Paris", "Parlanceville", "José", "Paris"), texts);
    }

    @Test
    void searchedEntityKeepsOneTypeAndNullKeepsAll() {
        String text = "John Doe works at Google in Paris.";
        assertEquals(List.of("ORG"), types(entities("ner-simple", new JsonObject().put("text", text).put("searched_entity", "org"))));
        assertEquals(List.of("PER", "ORG", "LOC"), types(entities("ner-simple",
                new JsonObject().put("text", text).putNull("searched_entity"))));
        assertEquals(List.of(), types(entities("ner-simple", new JsonObject().put("text", text).put("searched_entity", "DATE"))));
    }

    @Test
    void specialTokensAreNeverEntities() {
        assertEquals(0, entities("ner-simple", new JsonObject().put("text", "the city of")).size());
    }

    private static List<String> types(JsonArray entities) {
        return entities.stream().map(e -> ((JsonObject) e).getString("type")).toList();
    }

    private static JsonObject without(JsonObject json, String key) {
        JsonObject copy = json.copy();
        copy.remove(key);
        return copy;
    }

    @Test
    void theEmbeddedDefaultHasNoEntitiesAndSaysHowToGetThem() {
        try (TestServer embedded = TestServer.start(TestServer.config(TestServer.embedded("minilm")))) {
            HttpResponse<Buffer> response = embedded.postJson("/api/v1/entities", new JsonObject().put("text", "John Doe"));
            assertEquals(404, response.statusCode());
            assertEquals("task_not_served", response.bodyAsJsonObject().getString("error"));
            assertTrue(response.bodyAsJsonObject().getString("message").contains("token-classification"));
            assertEquals(404, embedded.postJson("/api/v1/minilm/entities", new JsonObject().put("text", "John")).statusCode());
        }
    }
}
