package dev.parlance;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The served openapi.json passes two tools nobody here wrote: Redocly's linter (its
 * recommended ruleset, no configuration) with no error, and @seriousme/openapi-schema-validator
 * (the OpenAPI 3.1 JSON Schema, plus every $ref resolved). And every operation's example
 * request is a real one: sent to the server, it gets 200 and an answer of the documented shape.
 * Two servers: every task under the default root, and the embedded model alone at root "/".
 */
class OpenApiLintTest {

    /** The one warning left: the project has no license to name in info.license yet. */
    private static final List<String> ACCEPTED_WARNINGS = List.of("info-license");

    @ParameterizedTest
    @ValueSource(strings = {"every-task", "root-slash"})
    void theServedDocumentIsLintCleanValidAndItsExamplesAreRealRequests(String setup) throws Exception {
        NodeTool.requireInstalled();
        JsonObject config;
        String[] args;
        String root;
        if (setup.equals("every-task")) {
            config = TestServer.config(TestServer.embedded("minilm"), TestServer.nli("bart-large-mnli", "nli-tiny"),
                    new JsonObject().put("name", "bert-base-NER").put("kind", "token-classification")
                            .put("source", TestServer.fixture("ner-tiny").toString()).put("workers", 1),
                    new JsonObject().put("name", "sentiment").put("kind", "text-classification")
                            .put("source", TestServer.fixture("hf/bert-sentiment").toString()).put("workers", 1),
                    new JsonObject().put("name", "reranker").put("kind", "rerank")
                            .put("source", TestServer.fixture("hf/bert-rerank").toString()).put("workers", 1));
            args = new String[0];
            root = "/api/v1";
        } else {
            config = TestServer.config(TestServer.embedded("minilm"));
            config.put("auth", config.getJsonObject("auth").put("protectHealth", true));
            args = new String[] {"--root-path", "/"};
            root = "";
        }
        try (TestServer server = TestServer.start(config, args)) {
            HttpResponse<Buffer> served = server.client.get(root + "/openapi.json").send().await();
            assertEquals(200, served.statusCode());
            Path file = Path.of("target", "openapi-" + setup + ".json").toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.writeString(file, served.bodyAsJsonObject().encodePrettily());

            NodeTool.Result lint = NodeTool.run("redocly-lint-" + setup,
                    List.of(NodeTool.DIR.resolve("node_modules/.bin/redocly").toString(), "lint", "--format=json", file.toString()));
            JsonObject report = new JsonObject(lint.stdout());
            JsonObject totals = report.getJsonObject("totals");
            List<String> errors = new ArrayList<>();
            List<String> unexpectedWarnings = new ArrayList<>();
            for (Object o : report.getJsonArray("problems")) {
                JsonObject problem = (JsonObject) o;
                String line = problem.getString("ruleId") + " at " + problem.getJsonArray("location").getJsonObject(0)
                        .getString("pointer") + ": " + problem.getString("message");
                if (problem.getString("severity").equals("error")) {
                    errors.add(line);
                } else if (!ACCEPTED_WARNINGS.contains(problem.getString("ruleId"))) {
                    unexpectedWarnings.add(line);
                }
            }
            System.out.println("Redocly lint of " + file.getFileName() + ": " + totals.getInteger("errors") + " errors, "
                    + totals.getInteger("warnings") + " warnings");
            assertEquals(List.of(), errors, "Redocly errors");
            assertEquals(0, totals.getInteger("errors"));
            assertEquals(List.of(), unexpectedWarnings, "Redocly warnings");

            NodeTool.Result validation = NodeTool.run("openapi-validator-" + setup,
                    List.of("node", "validate-openapi.mjs", file.toString()));
            JsonObject verdict = new JsonObject(validation.stdout());
            assertEquals(true, verdict.getBoolean("valid"), "second validator: " + verdict.encode());
            assertEquals("3.1", verdict.getString("version"));
            assertEquals(0, validation.exitCode());

            // The paths are absolute (root path included), so the one server is the document's origin.
            assertEquals(new JsonArray().add("/"), new JsonArray(served.bodyAsJsonObject().getJsonArray("servers").stream()
                    .map(s -> ((JsonObject) s).getString("url")).toList()));
            assertExamplesAreRealRequests(server, served.bodyAsJsonObject());
        }
    }

    /**
     * Each POST operation's request example, sent with the test token, gets 200 and a body with
     * the keys of the response example (whose own shape Redocly checks against the schema).
     */
    private static void assertExamplesAreRealRequests(TestServer server, JsonObject doc) {
        int operations = 0;
        for (Map.Entry<String, Object> path : doc.getJsonObject("paths")) {
            JsonObject post = ((JsonObject) path.getValue()).getJsonObject("post");
            if (post == null) {
                continue;
            }
            Map<String, Object> requests = examples(post.getJsonObject("requestBody").getJsonObject("content"));
            Map<String, Object> answers = examples(post.getJsonObject("responses").getJsonObject("200")
                    .getJsonObject("content"));
            assertFalse(requests.isEmpty(), path.getKey() + ": request example");
            assertEquals(requests.keySet(), answers.keySet(), path.getKey() + ": an answer for each example request");
            for (Map.Entry<String, Object> request : requests.entrySet()) {
                HttpResponse<Buffer> answer = server.postJson(path.getKey(), request.getValue());
                String what = path.getKey() + " with its example " + request.getKey();
                assertEquals(200, answer.statusCode(), what + ": " + answer.bodyAsString());
                assertEquals(shape(answers.get(request.getKey())), shape(answer.bodyAsJson(Object.class)), what);
            }
            operations++;
        }
        assertTrue(operations >= 3, "operations tried: " + operations);
    }

    /** A JSON media type's example ("" for the single one) or named examples: objects, or arrays for list answers. */
    private static Map<String, Object> examples(JsonObject content) {
        JsonObject media = content.getJsonObject("application/json");
        Map<String, Object> out = new java.util.TreeMap<>();
        if (media.getValue("example") != null) {
            out.put("", media.getValue("example"));
        }
        JsonObject named = media.getJsonObject("examples", new JsonObject());
        named.fieldNames().forEach(name -> out.put(name, named.getJsonObject(name).getValue("value")));
        return out;
    }

    /** An answer's shape: an object's keys, a list's first item's shape. */
    private static String shape(Object json) {
        if (json instanceof JsonObject object) {
            return new java.util.TreeSet<>(object.fieldNames()).toString();
        }
        if (json instanceof io.vertx.core.json.JsonArray array) {
            return "[" + (array.isEmpty() ? "" : shape(array.getValue(0))) + "]";
        }
        return String.valueOf(json == null ? null : json.getClass().getSimpleName());
    }
}
