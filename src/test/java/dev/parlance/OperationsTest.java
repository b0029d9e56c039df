package dev.parlance;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parlance.bus.Schemas;
import dev.parlance.api.Task;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenAPI, docs, metrics, health and the access log of a running server. */
class OperationsTest {

    static TestServer server;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        ((Logger) LoggerFactory.getLogger("parlance.access")).addAppender(logs);
        JsonObject config = TestServer.config(TestServer.embedded("minilm"), TestServer.nli("nli", "nli-tiny"),
                new JsonObject().put("name", "ner").put("kind", "token-classification")
                        .put("source", TestServer.fixture("ner-tiny").toString()).put("workers", 1));
        config.put("limits", new JsonObject().put("maxLabels", 7));
        server = TestServer.start(config);
    }

    @AfterAll
    static void stop() {
        server.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("parlance.access")).detachAppender(logs);
    }

    private static HttpResponse<Buffer> get(String path) {
        return server.client.get(path).send().await();
    }

    @Test
    void openApiListsEveryTaskOnEveryModelThatServesItWithTheSchemaFiles() {
        HttpResponse<Buffer> response = get("/api/v1/openapi.json");
        assertEquals(200, response.statusCode());
        JsonObject doc = response.bodyAsJsonObject();
        assertEquals("3.1.0", doc.getString("openapi"));
        Set<String> paths = new TreeSet<>(doc.getJsonObject("paths").fieldNames());
        assertEquals(new TreeSet<>(List.of(
                "/api/v1/classification", "/api/v1/minilm/classification", "/api/v1/nli/classification",
                "/api/v1/embeddings", "/api/v1/minilm/embeddings",
                "/api/v1/semantic-similarity", "/api/v1/minilm/semantic-similarity",
                "/api/v1/entities", "/api/v1/ner/entities",
                // Every model has a tokenizer: tokenize is served by all three.
                "/api/v1/tokenize", "/api/v1/minilm/tokenize", "/api/v1/nli/tokenize", "/api/v1/ner/tokenize",
                "/health/live", "/health/ready", "/metrics")), paths);
        Schemas schemas = Schemas.load(server.config.limits());
        JsonObject components = doc.getJsonObject("components").getJsonObject("schemas");
        JsonObject request = schemas.request(Task.CLASSIFICATION).copy();
        request.remove("$schema");
        request.remove("$id");
        assertEquals(request, components.getJsonObject("ClassificationRequest"));
        assertEquals(7, components.getJsonObject("ClassificationRequest").getJsonObject("properties")
                .getJsonObject("labels").getInteger("maxItems"), "the configured limit, not the file's default");
        JsonObject operation = doc.getJsonObject("paths").getJsonObject("/api/v1/ner/entities").getJsonObject("post");
        assertEquals("#/components/schemas/EntitiesRequest", operation.getJsonObject("requestBody")
                .getJsonObject("content").getJsonObject("application/json").getJsonObject("schema").getString("$ref"));
        assertNotNull(operation.getJsonObject("responses").getJsonObject("503"));
    }

    @Test
    void docsAreServedFromTheJarWithoutAnyOutsideUrl() {
        HttpResponse<Buffer> redirect = server.client.get("/api/v1/docs").followRedirects(false).send().await();
        assertEquals(302, redirect.statusCode());
        assertEquals("/api/v1/docs/", redirect.getHeader("location"));
        String page = get("/api/v1/docs/").bodyAsString();
        assertTrue(page.contains("url: \"/api/v1/openapi.json\""), page);
        assertFalse(page.contains("http://") || page.contains("https://"), "no outside URL in the page");
        assertTrue(page.contains("validatorUrl: null"));
        HttpResponse<Buffer> bundle = get("/api/v1/docs/swagger-ui-bundle.js");
        assertEquals(200, bundle.statusCode());
        assertTrue(bundle.body().length() > 100_000);
    }

    @Test
    void metricsCarryRouteTemplatesModelsAndTheJvm() {
        JsonObject body = new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("food"));
        assertEquals(200, server.postJson("/api/v1/minilm/classification", body).statusCode());
        assertEquals(404, server.postJson("/api/v1/some-raw-path-xyz", body).statusCode());
        assertEquals(400, server.postJson("/api/v1/nli/classification", new JsonObject()).statusCode());
        String metrics = get("/metrics").bodyAsString();
        for (String expected : List.of(
                "vertx_http_server_requests_total{code=\"200\",method=\"POST\",route=\"/api/v1/{model}/classification\"}",
                "vertx_http_server_requests_total{code=\"400\",method=\"POST\",route=\"/api/v1/{model}/classification\"}",
                "vertx_http_server_response_time_seconds_bucket",
                "parlance_queue_depth{model=\"minilm\"}",
                "parlance_batch_size_count{model=\"minilm\"}",
                "parlance_batch_tokens_sum{model=\"minilm\"}",
                "parlance_inference_seconds_count{model=\"minilm\"}",
                "parlance_jobs_rejected_total{model=\"minilm\",reason=\"queue_full\",task=\"embeddings\"}",
                "parlance_jobs_skipped_total{model=\"minilm\",reason=\"deadline\",task=\"classification\"}",
                "parlance_queue_wait_seconds_count{model=\"minilm\",task=\"classification\"}",
                "parlance_model_load_seconds{model=\"ner\"}",
                "jvm_memory_used_bytes",
                "vertx_eventbus_")) {
            assertTrue(metrics.contains(expected), expected + " missing from /metrics");
        }
        assertFalse(metrics.contains("some-raw-path-xyz"), "raw paths never become labels");
        assertFalse(metrics.contains("route=\"/api/v1/minilm/classification\""), "model names stay out of route labels");
    }

    @Test
    void healthProbesNeedNoToken() {
        assertEquals(200, get("/health/live").statusCode());
        HttpResponse<Buffer> ready = get("/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals(new JsonObject().put("minilm", "READY").put("ner", "READY").put("nli", "READY"),
                ready.bodyAsJsonObject().getJsonObject("models"));
    }

    @Test
    void theAccessLogHasOneJsonLinePerRequestWithoutTokensOrTexts() {
        String secretText = "my-confidential-text-" + System.nanoTime();
        JsonObject body = new JsonObject().put("text", secretText).put("labels", new JsonArray().add("food"));
        HttpResponse<Buffer> given = server.post("/api/v1/nli/classification").putHeader("X-Request-Id", "trace-42")
                .sendJson(body).await();
        assertEquals("trace-42", given.getHeader("X-Request-Id"));
        HttpResponse<Buffer> made = server.post("/api/v1/classification").putHeader("X-Request-Id", "bad id with spaces")
                .sendJson(body).await();
        String generated = made.getHeader("X-Request-Id");
        // A random (version 4, IETF variant) UUID.
        assertTrue(generated.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), generated);
        server.client.post("/api/v1/classification").putHeader("Authorization", "Token wrong-secret-token")
                .sendJson(body).await();

        JsonObject line = accessLine("trace-42");
        assertEquals("POST", line.getString("method"));
        assertEquals("/api/v1/{model}/classification", line.getString("route"));
        assertEquals("nli", line.getString("model"));
        assertEquals(200, line.getInteger("status"));
        assertTrue(line.getDouble("latency_ms") > 0);
        assertTrue(line.getInteger("batch") >= 1);
        assertEquals("minilm", accessLine(generated).getString("model"));
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            String text = event.getFormattedMessage();
            assertFalse(text.contains(secretText), "a request text leaked into the log: " + text);
            assertFalse(text.contains(TestServer.TOKEN) || text.contains("wrong-secret-token"), "a token leaked: " + text);
        }
    }

    @Test
    void startUpLogsEachModelsLoadTimeSizeAndThreads() {
        List<String> loaded = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("loaded model ")).toList();
        assertTrue(loaded.stream().anyMatch(m -> m.matches(
                "loaded model minilm \\(embedding, \\d+ MB\\) from .* in \\d+ ms: 2 worker\\(s\\) x 1 intra-op thread\\(s\\), shared"
                        + ", one sequence per forward pass \\(its answers would otherwise depend on the batch\\)")),
                "the load line of minilm: " + loaded);
        assertEquals(3, loaded.size(), "one line per model: " + loaded);
    }

    /** The line is written once the response is handed to the socket, so the client may read first: wait for it. */
    private static JsonObject accessLine(String id) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            List<ILoggingEvent> events;
            synchronized (logs) { // the appender appends under its own lock
                events = List.copyOf(logs.list);
            }
            var line = events.stream().filter(e -> e.getLoggerName().equals("parlance.access"))
                    .map(e -> new JsonObject(e.getFormattedMessage()))
                    .filter(j -> id.equals(j.getString("id"))).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no access log line for " + id);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
