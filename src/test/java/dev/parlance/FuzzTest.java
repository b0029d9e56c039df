package dev.parlance;

import dev.parlance.bus.Schemas;
import dev.parlance.api.Task;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based fuzzing of every endpoint's body: arbitrary JSON (objects with the real
 * field names and arbitrary values, nested junk, any BMP character including lone
 * surrogates, emoji). Whatever comes in: 200 with a body valid against the response schema,
 * or a 4xx with the error schema; never a 5xx; and the server keeps serving.
 */
class FuzzTest {

    static TestServer server;
    static Schemas schemas;
    static final List<String> FIELDS = List.of("text", "labels", "multi_class", "sentences", "searched_entity", "offsets");

    @BeforeContainer
    static void start() {
        server = TestServer.start(TestServer.config(TestServer.embedded("minilm"),
                new JsonObject().put("name", "ner").put("kind", "token-classification").put("workers", 1)
                        .put("source", TestServer.fixture("ner-tiny").toString()),
                new JsonObject().put("name", "sentiment").put("kind", "text-classification").put("workers", 1)
                        .put("source", TestServer.fixture("hf/roberta-multilabel").toString()),
                new JsonObject().put("name", "reranker").put("kind", "rerank").put("workers", 1)
                        .put("source", TestServer.fixture("hf/bert-rerank").toString())));
        schemas = Schemas.load(server.config.limits());
    }

    /** Counted here, not taken from the property library's report: the requests really sent. */
    static final java.util.concurrent.ConcurrentHashMap<Integer, Integer> STATUSES = new java.util.concurrent.ConcurrentHashMap<>();

    @AfterContainer
    static void stop() {
        try {
            int sent = STATUSES.values().stream().mapToInt(Integer::intValue).sum();
            System.out.println("fuzzed requests by status: " + new java.util.TreeMap<>(STATUSES));
            assertTrue(sent >= 8 * 150 + 5 * 100, "every try sent its request: " + sent);
            assertTrue(STATUSES.getOrDefault(200, 0) > 100 && STATUSES.getOrDefault(400, 0) > 100,
                    "the fuzzing reached both valid answers and refusals: " + STATUSES);
        } finally {
            server.close();
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\uD800', '\uDFFF').ofMaxLength(5),
                Arbitraries.of("John Doe works at Google in Paris.", "🙂🙂 José met Zoë in 東京", "", " ", "\u0000",
                        "e\u0301", "\uD83D\uDE42", "Parlanceville", "a\tb\nc", "\\u0000"));
    }

    private Arbitrary<Object> values(int depth) {
        List<Arbitrary<Object>> choices = new ArrayList<>(List.of(
                texts().map(o -> o),
                Arbitraries.integers().map(o -> o),
                Arbitraries.longs().map(o -> o),
                Arbitraries.doubles().map(o -> o),
                Arbitraries.of(true, false).map(o -> o),
                Arbitraries.just(null)));
        if (depth > 0) {
            choices.add(values(depth - 1).list().ofMaxSize(6).map(o -> o));
            choices.add(texts().list().ofMaxSize(12).map(o -> o));
            choices.add(objects(depth - 1));
        }
        return Arbitraries.oneOf(choices);
    }

    private Arbitrary<Object> objects(int depth) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(FIELDS), texts());
        return Arbitraries.maps(keys, values(depth)).ofMaxSize(5).map(m -> (Object) new LinkedHashMap<>(m));
    }

    @Provide
    Arbitrary<Object> bodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, objects(2)),
                net.jqwik.api.Tuple.of(1, values(2)));
    }

    private static void check(String path, Task task, Object body) {
        Buffer bytes = Buffer.buffer(Json.encode(body));
        HttpResponse<Buffer> response = server.post(path).putHeader("Content-Type", "application/json")
                .sendBuffer(bytes).await();
        int status = response.statusCode();
        STATUSES.merge(status, 1, Integer::sum);
        assertTrue(Set.of(200, 400, 413).contains(status), status + " for " + bytes + ": " + response.bodyAsString());
        if (status == 200) {
            ResponseSchemas.assertValid(schemas, task, response.bodyAsJson(Object.class));
        } else {
            ResponseSchemas.assertError(schemas, response.bodyAsJsonObject());
        }
    }

    @Property(tries = 150)
    void classificationTakesAnything(@ForAll("bodies") Object body) {
        check("/api/v1/classification", Task.CLASSIFICATION, body);
    }

    @Property(tries = 150)
    void embeddingsTakeAnything(@ForAll("bodies") Object body) {
        check("/api/v1/embeddings", Task.EMBEDDINGS, body);
    }

    @Property(tries = 150)
    void similarityTakesAnything(@ForAll("bodies") Object body) {
        check("/api/v1/semantic-similarity", Task.SEMANTIC_SIMILARITY, body);
    }

    @Property(tries = 150)
    void entitiesTakeAnything(@ForAll("bodies") Object body) {
        check("/api/v1/ner/entities", Task.ENTITIES, body);
    }

    @Property(tries = 150)
    void sentimentTakesAnything(@ForAll("bodies") Object body) {
        check("/api/v1/sentiment", Task.SENTIMENT, body);
    }

    @Property(tries = 150)
    void textClassificationTakesAnything(@ForAll("bodies") Object body) {
        check("/api/v1/text-classification", Task.TEXT_CLASSIFICATION, body);
    }

    @Property(tries = 150)
    void rerankTakesAnything(@ForAll("bodies") Object body) {
        check("/api/v1/rerank", Task.RERANK, body);
    }

    @Property(tries = 150)
    void tokenizeTakesAnything(@ForAll("bodies") Object body) {
        check("/api/v1/tokenize", Task.TOKENIZE, body);
    }

    /**
     * Any text (lone surrogates, combining marks, emoji) tokenizes on every kind of model, and
     * every token's offsets, in each unit, point at its text in the caller's string.
     */
    @Property(tries = 100)
    void tokenOffsetsPointIntoAnyText(@ForAll("texts") String text) {
        String original = text.isEmpty() ? "x" : text;
        for (String model : List.of("minilm", "ner", "sentiment", "reranker")) {
            HttpResponse<Buffer> utf16 = server.post("/api/v1/" + model + "/tokenize")
                    .sendJson(new JsonObject().put("inputs", original).put("offsets", "utf-16")).await();
            HttpResponse<Buffer> utf8 = server.post("/api/v1/" + model + "/tokenize")
                    .sendJson(new JsonObject().put("inputs", original)).await();
            STATUSES.merge(utf16.statusCode(), 1, Integer::sum);
            assertEquals(200, utf16.statusCode(), utf16.bodyAsString());
            assertEquals(200, utf8.statusCode(), utf8.bodyAsString());
            JsonArray tokens = utf16.bodyAsJsonArray().getJsonArray(0);
            JsonArray byteTokens = utf8.bodyAsJsonArray().getJsonArray(0);
            for (int i = 0; i < tokens.size(); i++) {
                JsonObject token = tokens.getJsonObject(i);
                if (token.getBoolean("special")) {
                    continue;
                }
                assertEquals(original.substring(token.getInteger("start"), token.getInteger("stop")), token.getString("text"));
                // A lone surrogate is read as U+FFFD (3 bytes in UTF-8), as the tokenizer reads it.
                String prefix = wellFormed(original.substring(0, token.getInteger("start")));
                assertEquals(prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                        byteTokens.getJsonObject(i).getInteger("start"), model + " token " + i + " of " + tokens);
            }
        }
    }

    /** Lone surrogates replaced by U+FFFD. */
    private static String wellFormed(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    @Property(tries = 100)
    void validShapesWithArbitraryTextAlwaysGetAnAnswer(@ForAll("texts") String text, @ForAll("texts") String label) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text.isEmpty() ? "x" : text);
        body.put("labels", List.of(label.isEmpty() ? "y" : label));
        HttpResponse<Buffer> classified = server.post("/api/v1/classification").sendJson(new JsonObject(body)).await();
        STATUSES.merge(classified.statusCode(), 1, Integer::sum);
        assertEquals(200, classified.statusCode(), classified.bodyAsString());
        HttpResponse<Buffer> entities = server.post("/api/v1/ner/entities")
                .sendJson(new JsonObject().put("text", text.isEmpty() ? "x" : text)).await();
        STATUSES.merge(entities.statusCode(), 1, Integer::sum);
        assertEquals(200, entities.statusCode(), entities.bodyAsString());
        String original = text.isEmpty() ? "x" : text;
        for (Object e : entities.bodyAsJsonObject().getJsonArray("entities", new JsonArray())) {
            JsonObject entity = (JsonObject) e;
            assertEquals(original.substring(entity.getInteger("start"), entity.getInteger("end")), entity.getString("text"));
        }
    }
}
