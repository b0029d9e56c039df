package dev.parlance;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tasks text-classification, sentiment, rerank and tokenize against the originals: the
 * real {@code transformers} text-classification pipeline, sentence-transformers' CrossEncoder
 * and the {@code tokenizers} binding, run by scripts/make-hf-fixtures on tiny real-architecture
 * models (BERT with 3 labels and with 1 regression logit, DistilBERT SST-2, RoBERTa multi-label,
 * a BERT cross-encoder; and the six NLI/NER fixtures for tokenize). Answers, committed in
 * expected-tasks.json, must agree to 1e-4: labels, their order, scores, ids, pieces, offsets.
 */
class HuggingFaceTasksTest {

    static final Path ROOT = TestServer.fixture("hf");
    static final double TOLERANCE = 1e-4;

    static JsonObject expected;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        expected = new JsonObject(Files.readString(ROOT.resolve("expected-tasks.json")));
        JsonObject taskModels = expected.getJsonObject("models");
        JsonObject oracleModels = new JsonObject(Files.readString(ROOT.resolve("expected.json"))).getJsonObject("models");
        List<JsonObject> models = new ArrayList<>();
        for (String name : taskModels.fieldNames()) {
            JsonObject fixture = taskModels.getJsonObject(name);
            models.add(model(name, fixture.getString("kind"), name, fixture));
        }
        // The cross-encoder is also a one-logit text classifier (its text-classification cases).
        models.add(model("bert-rerank-as-classifier", "text-classification", "bert-rerank", taskModels.getJsonObject("bert-rerank")));
        // The same cross-encoder refusing, not cutting, pairs too long for it.
        models.add(model("bert-rerank-rejecting", "rerank", "bert-rerank", taskModels.getJsonObject("bert-rerank"))
                .put("tooLong", "reject"));
        for (String name : oracleModels.fieldNames()) {
            JsonObject fixture = oracleModels.getJsonObject(name);
            models.add(model(name, fixture.getString("kind"), name, fixture));
        }
        server = TestServer.start(TestServer.config(models.toArray(JsonObject[]::new)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonObject model(String name, String kind, String fixture, JsonObject described) {
        return new JsonObject().put("name", name).put("kind", kind).put("workers", 1)
                .put("source", ROOT.resolve(fixture).toString())
                .put("maxTokens", described.getInteger("max_tokens"));
    }

    /**
     * The records of a kind, but those with an empty text: Hugging Face classifies "" (as
     * [CLS] [SEP]), Parlance answers an empty text with 400, as it does on every route.
     */
    private static List<JsonObject> records(String key) {
        JsonArray all = expected.getJsonArray(key);
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            JsonObject r = all.getJsonObject(i);
            boolean empty = "".equals(r.getString("text"))
                    || (r.getJsonArray("texts") != null && r.getJsonArray("texts").contains("") && r.getString("query") != null);
            if (!empty) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The pipeline's calls comparable with Parlance: Parlance cuts a text longer than the
     * model (its tooLong default), which the pipeline does only when asked (truncation=True);
     * so a long text is compared with the truncating calls, a short one with the plain calls.
     */
    private static List<JsonObject> comparableCalls(JsonObject c) {
        boolean longText = c.getBoolean("truncated", false);
        List<JsonObject> out = new ArrayList<>();
        JsonArray calls = c.getJsonArray("calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonObject call = calls.getJsonObject(i);
            boolean truncating = Boolean.TRUE.equals(call.getJsonObject("kwargs").getValue("truncation"));
            if (truncating == longText) {
                out.add(call);
            }
        }
        return out;
    }

    private static String served(String fixture) {
        return fixture.equals("bert-rerank") ? "bert-rerank-as-classifier" : fixture;
    }

    @Test
    void textClassificationIsTheTransformersPipelineOnFourArchitecturesAndEveryOption() {
        Set<String> models = new TreeSet<>();
        Set<String> options = new TreeSet<>();
        int compared = 0;
        for (JsonObject c : records("text_classification")) {
            for (JsonObject call : comparableCalls(c)) {
                JsonObject kwargs = call.getJsonObject("kwargs").copy();
                kwargs.remove("truncation");
                JsonObject body = kwargs.copy().put("text", c.getString("text"));
                String where = c.getString("model") + " " + kwargs.encode() + " text=" + abbreviate(c.getString("text"));
                HttpResponse<Buffer> response = server.postJson("/api/v1/" + served(c.getString("model"))
                        + "/text-classification", body);
                assertEquals(200, response.statusCode(), where + ": " + response.bodyAsString());
                assertScoredLabels(call.getJsonArray("output"), response.bodyAsJsonArray(), where);
                models.add(c.getString("model"));
                options.add(kwargs.encode());
                compared++;
            }
        }
        assertEquals(Set.of("bert-regression", "bert-rerank", "bert-sentiment", "distilbert-sst2", "roberta-multilabel"), models);
        assertTrue(options.containsAll(Set.of("{}", "{\"top_k\":null}", "{\"top_k\":1}", "{\"top_k\":2}",
                "{\"top_k\":null,\"function_to_apply\":\"sigmoid\"}", "{\"function_to_apply\":\"none\"}")), options.toString());
        assertTrue(compared >= 300, "compared " + compared + " calls");
    }

    /** NLP Cloud's shape of the same answer: every label (the pipeline's top_k=None), best first. */
    @Test
    void sentimentIsThePipelinesEveryLabelAnswerInNlpCloudsShape() {
        int compared = 0;
        for (JsonObject c : records("text_classification")) {
            for (JsonObject call : comparableCalls(c)) {
                JsonObject kwargs = call.getJsonObject("kwargs");
                if (kwargs.size() - (kwargs.containsKey("truncation") ? 1 : 0) != 1 || !kwargs.containsKey("top_k")
                        || kwargs.getValue("top_k") != null) {
                    continue;
                }
                String where = c.getString("model") + " text=" + abbreviate(c.getString("text"));
                // NLP Cloud's client sends target: null.
                HttpResponse<Buffer> response = server.postJson("/api/v1/" + served(c.getString("model")) + "/sentiment",
                        new JsonObject().put("text", c.getString("text")).putNull("target"));
                assertEquals(200, response.statusCode(), where + ": " + response.bodyAsString());
                assertScoredLabels(call.getJsonArray("output"), response.bodyAsJsonObject().getJsonArray("scored_labels"), where);
                compared++;
            }
        }
        assertTrue(compared >= 60, "compared " + compared);
    }

    private static void assertScoredLabels(JsonArray want, JsonArray got, String where) {
        assertEquals(want.size(), got.size(), where + ": " + got.encode());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.getJsonObject(i).getDouble("score"), got.getJsonObject(i).getDouble("score"), TOLERANCE,
                    where + " score " + i + ": " + got.encode());
            if (!tied(want, i)) {
                assertEquals(want.getJsonObject(i).getString("label"), got.getJsonObject(i).getString("label"),
                        where + " label " + i + ": " + got.encode());
            }
        }
    }

    /** Entries whose scores tie within the tolerance may come in either order. */
    private static boolean tied(JsonArray scored, int i) {
        double s = scored.getJsonObject(i).getDouble("score");
        return (i > 0 && Math.abs(scored.getJsonObject(i - 1).getDouble("score") - s) < TOLERANCE)
                || (i + 1 < scored.size() && Math.abs(scored.getJsonObject(i + 1).getDouble("score") - s) < TOLERANCE);
    }

    @Test
    void rerankIsTheCrossEncodersOrderAndScoresInTeisShape() {
        List<JsonObject> cases = records("rerank");
        assertTrue(cases.size() >= 6, "rerank cases: " + cases.size());
        boolean sawTruncation = false;
        for (JsonObject c : cases) {
            String where = "query=" + abbreviate(c.getString("query"));
            JsonArray pairs = c.getJsonArray("pairs");
            for (boolean raw : new boolean[] {false, true}) {
                HttpResponse<Buffer> response = server.postJson("/api/v1/bert-rerank/rerank", new JsonObject()
                        .put("query", c.getString("query")).put("texts", c.getJsonArray("texts"))
                        .put("raw_scores", raw).put("return_text", raw));
                assertEquals(200, response.statusCode(), where + ": " + response.bodyAsString());
                JsonArray got = response.bodyAsJsonArray();
                JsonArray order = c.getJsonArray("order");
                assertEquals(order.size(), got.size(), where);
                for (int i = 0; i < got.size(); i++) {
                    JsonObject entry = got.getJsonObject(i);
                    JsonObject pair = pairs.getJsonObject(entry.getInteger("index"));
                    assertEquals(raw ? pair.getDouble("logit") : pair.getDouble("score"), entry.getDouble("score"), TOLERANCE,
                            where + " raw=" + raw + " " + got.encode());
                    if (!tiedRank(pairs, order, i)) {
                        assertEquals(order.getInteger(i), entry.getInteger("index"), where + " order: " + got.encode());
                    }
                    if (raw) {
                        assertEquals(c.getJsonArray("texts").getString(entry.getInteger("index")), entry.getString("text"));
                    } else {
                        assertFalse(entry.containsKey("text"), "return_text false: no text");
                    }
                }
            }
            for (int i = 0; i < pairs.size(); i++) {
                sawTruncation |= pairs.getJsonObject(i).getBoolean("truncated");
            }
        }
        assertTrue(sawTruncation, "a case has a pair longer than the model (cut longest_first)");
    }

    private static boolean tiedRank(JsonArray pairs, JsonArray order, int i) {
        double s = pairs.getJsonObject(order.getInteger(i)).getDouble("score");
        return (i > 0 && Math.abs(pairs.getJsonObject(order.getInteger(i - 1)).getDouble("score") - s) < TOLERANCE)
                || (i + 1 < order.size() && Math.abs(pairs.getJsonObject(order.getInteger(i + 1)).getDouble("score") - s) < TOLERANCE);
    }

    /** truncate false refuses a pair longer than the model; true cuts it even on a model configured to refuse. */
    @Test
    void rerankTruncateDecidesBetweenCuttingAndRefusing() {
        JsonObject c = records("rerank").stream().filter(r -> {
            JsonArray pairs = r.getJsonArray("pairs");
            for (int i = 0; i < pairs.size(); i++) {
                if (pairs.getJsonObject(i).getBoolean("truncated")) {
                    return true;
                }
            }
            return false;
        }).findFirst().orElseThrow();
        JsonObject body = new JsonObject().put("query", c.getString("query")).put("texts", c.getJsonArray("texts"));
        HttpResponse<Buffer> refused = server.postJson("/api/v1/bert-rerank/rerank", body.copy().put("truncate", false));
        assertEquals(400, refused.statusCode(), refused.bodyAsString());
        assertEquals("invalid_input", refused.bodyAsJsonObject().getString("error"));
        assertTrue(refused.bodyAsJsonObject().getString("message").contains("longer than the 40 tokens"), refused.bodyAsString());
        assertEquals(400, server.postJson("/api/v1/bert-rerank-rejecting/rerank", body).statusCode());
        HttpResponse<Buffer> cut = server.postJson("/api/v1/bert-rerank-rejecting/rerank", body.copy().put("truncate", true));
        assertEquals(200, cut.statusCode(), cut.bodyAsString());
        assertEquals(c.getJsonArray("order").getInteger(0), cut.bodyAsJsonArray().getJsonObject(0).getInteger("index"));
    }

    @Test
    void tokenizeIsTheTokenizersBindingOnElevenModelsInEveryOffsetUnit() {
        Set<String> models = new TreeSet<>();
        int tokens = 0;
        for (JsonObject r : records("tokenize")) {
            JsonObject truncation = r.getJsonObject("truncation");
            String model = r.getString("model");
            // The records with truncation cut at the model's own length: what truncate=true runs.
            if (truncation != null) {
                assertEquals(expectedMaxTokens(model), truncation.getInteger("max_length"), model);
            }
            for (String unit : new String[] {"utf-8", "utf-16", "code-points"}) {
                JsonObject body = new JsonObject().put("inputs", new JsonArray().add(r.getString("text")))
                        .put("add_special_tokens", r.getBoolean("add_special_tokens"))
                        .put("truncate", truncation != null).put("offsets", unit);
                String where = model + " " + body.copy().put("inputs", abbreviate(r.getString("text"))).encode();
                HttpResponse<Buffer> response = server.postJson("/api/v1/" + model + "/tokenize", body);
                assertEquals(200, response.statusCode(), where + ": " + response.bodyAsString());
                JsonArray got = response.bodyAsJsonArray().getJsonArray(0);
                JsonArray offsets = r.getJsonArray(switch (unit) {
                    case "utf-8" -> "offsets_utf8";
                    case "utf-16" -> "offsets_utf16";
                    default -> "offsets";
                });
                assertEquals(r.getJsonArray("ids").size(), got.size(), where + ": " + got.encode());
                for (int i = 0; i < got.size(); i++) {
                    JsonObject token = got.getJsonObject(i);
                    String at = where + " token " + i + " " + token.encode();
                    assertEquals(r.getJsonArray("ids").getLong(i), token.getLong("id"), at);
                    assertEquals(r.getJsonArray("tokens").getString(i), token.getString("token"), at);
                    assertEquals(r.getJsonArray("special").getBoolean(i), token.getBoolean("special"), at);
                    assertEquals(r.getJsonArray("texts").getString(i), token.getString("text"), at);
                    if (token.getBoolean("special")) {
                        assertNull(token.getValue("start"), at);
                        assertNull(token.getValue("stop"), at);
                    } else {
                        assertEquals(offsets.getJsonArray(i).getInteger(0), token.getInteger("start"), at);
                        assertEquals(offsets.getJsonArray(i).getInteger(1), token.getInteger("stop"), at);
                    }
                }
                tokens += got.size();
            }
            models.add(model);
        }
        assertTrue(models.size() >= 11, "models: " + models);
        assertTrue(tokens > 1000, "tokens compared: " + tokens);
    }

    private static int expectedMaxTokens(String model) {
        JsonObject taskModels = expected.getJsonObject("models");
        if (taskModels.containsKey(model)) {
            return taskModels.getJsonObject(model).getInteger("max_tokens");
        }
        return server.config.model(model).orElseThrow().maxTokens();
    }

    /** A bare string answers like a one-item list; every input gets its own list. */
    @Test
    void tokenizeTakesOneTextOrSeveral() {
        JsonArray one = server.postJson("/api/v1/bert-sentiment/tokenize", new JsonObject().put("inputs", "I love pizza."))
                .bodyAsJsonArray();
        JsonArray several = server.postJson("/api/v1/bert-sentiment/tokenize",
                new JsonObject().put("inputs", new JsonArray().add("I love pizza.").add("Berlin"))).bodyAsJsonArray();
        assertEquals(1, one.size());
        assertEquals(2, several.size());
        assertEquals(one.getJsonArray(0), several.getJsonArray(0));
        assertEquals("[CLS]", several.getJsonArray(1).getJsonObject(0).getString("text"));
    }

    /**
     * Over the event bus, in JSON, a rerank job gets the very list HTTP answers (a JsonArray),
     * and every task's jobs are counted under its own task label.
     */
    @Test
    void theNewTasksAnswerOverTheEventBusAndAreCountedByTask() throws InterruptedException {
        JsonObject input = new JsonObject().put("query", "Where is the capital of Germany?")
                .put("texts", new JsonArray().add("Berlin is the capital of Germany.").add("I love pizza."));
        double completed = server.count("parlance.jobs.completed", "bert-rerank", "task", "rerank");
        Object overBus = server.vertx.eventBus().request(dev.parlance.bus.Addresses.infer("bert-rerank"),
                new JsonObject().put("task", "rerank").put("input", input)).await().body();
        assertEquals(server.postJson("/api/v1/bert-rerank/rerank", input).bodyAsJsonArray(), overBus);
        // The worker counts a job just after answering it: wait for the count, not for a time.
        TestServer.await("both rerank jobs counted",
                () -> server.count("parlance.jobs.completed", "bert-rerank", "task", "rerank") == completed + 2);

        for (String task : new String[] {"sentiment", "text-classification", "tokenize"}) {
            double before = server.count("parlance.jobs.completed", "bert-sentiment", "task", task);
            String path = "/api/v1/bert-sentiment/" + task;
            JsonObject body = task.equals("tokenize") ? new JsonObject().put("inputs", "I love pizza.")
                    : new JsonObject().put("text", "I love pizza.");
            assertEquals(200, server.postJson(path, body).statusCode(), path);
            TestServer.await(path + " counted",
                    () -> server.count("parlance.jobs.completed", "bert-sentiment", "task", task) == before + 1);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
