package dev.parlance;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /metrics as Prometheus reads it, after traffic on every route: Prometheus's own linter
 * (promtool, installed by scripts/test) finds nothing, the scrape stays small, jobs are
 * counted per task, the queue-wait histogram saw every job that ran, and a start logs no
 * meter registered twice.
 */
class MetricsFormatTest {

    /** What a scrape may weigh after traffic on every route; it used to be 400-500 KB. */
    private static final int MAX_SCRAPE_BYTES = 100_000;

    private static final Logger REGISTRY_LOG = (Logger) LoggerFactory.getLogger("io.micrometer.core.instrument.MeterRegistry");

    static TestServer server;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    /** 200 answers per model and task, as the server should have counted them. */
    static final Map<String, Integer> answered = new LinkedHashMap<>();
    static String scrape;

    @BeforeAll
    static void startAndSendTraffic() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        // Micrometer warns about a meter registered twice only once per JVM, then at debug:
        // another test in this JVM may have had the warning, so every registration is watched here.
        REGISTRY_LOG.setLevel(Level.DEBUG);
        JsonObject config = TestServer.config(TestServer.embedded("minilm"), TestServer.nli("nli", "nli-tiny"),
                new JsonObject().put("name", "ner").put("kind", "token-classification")
                        .put("source", TestServer.fixture("ner-tiny").toString()).put("workers", 1));
        server = TestServer.start(config);

        JsonObject classify = new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("food").add("sport"));
        JsonObject embed = new JsonObject().put("sentences", new JsonArray().add("one sentence").add("and another"));
        JsonObject similar = new JsonObject().put("sentences", new JsonArray().add("a cat sleeps").add("a cat naps"));
        JsonObject entities = new JsonObject().put("text", "John Smith lives in Paris");
        for (int i = 0; i < 3; i++) {
            ok("/api/v1/classification", classify, "minilm", "classification");
            ok("/api/v1/minilm/classification", classify, "minilm", "classification");
            ok("/api/v1/nli/classification", classify, "nli", "classification");
            ok("/api/v1/embeddings", embed, "minilm", "embeddings");
            ok("/api/v1/minilm/embeddings", embed, "minilm", "embeddings");
            ok("/api/v1/semantic-similarity", similar, "minilm", "semantic-similarity");
            ok("/api/v1/minilm/semantic-similarity", similar, "minilm", "semantic-similarity");
            ok("/api/v1/entities", entities, "ner", "entities");
            ok("/api/v1/ner/entities", entities, "ner", "entities");
        }
        assertEquals(400, server.postJson("/api/v1/classification", new JsonObject()).statusCode());
        assertEquals(400, server.postJson("/api/v1/ner/entities", new JsonObject().put("text", "")).statusCode());
        assertEquals(401, server.client.post("/api/v1/embeddings").sendJson(embed).await().statusCode());
        assertEquals(404, server.postJson("/api/v1/no-such-model/embeddings", embed).statusCode());
        assertEquals(404, server.postJson("/api/v1/no/such/route", embed).statusCode());
        for (String path : List.of("/health/live", "/health/ready", "/api/v1/openapi.json", "/api/v1/docs/", "/metrics")) {
            assertEquals(200, server.client.get(path).send().await().statusCode(), path);
        }
        HttpResponse<Buffer> metrics = server.client.get("/metrics").send().await();
        assertEquals(200, metrics.statusCode());
        scrape = metrics.bodyAsString();
        try {
            // Left for whoever reads a failure: the whole scrape as Prometheus got it.
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-scrape.txt"), scrape);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void ok(String path, JsonObject body, String model, String task) {
        HttpResponse<Buffer> response = server.postJson(path, body);
        assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
        answered.merge(model + "/" + task, 1, Integer::sum);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        REGISTRY_LOG.setLevel(null);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void promtoolFindsNoProblem() throws IOException, InterruptedException {
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is needed: run the tests with scripts/test, which installs it", e);
        }
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String problems = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals("", problems, "promtool check metrics");
        assertEquals(0, promtool.exitValue(), "promtool's exit code");
    }

    @Test
    void aScrapeAfterTrafficOnEveryRouteStaysSmall() {
        int bytes = scrape.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < MAX_SCRAPE_BYTES, "the scrape weighs " + bytes + " bytes");
        assertTrue(scrape.contains("route=\"/api/v1/{model}/semantic-similarity\""), "traffic reached every route");
    }

    @Test
    void jobsAreCountedPerModelAndTask() {
        answered.forEach((modelTask, count) -> {
            String[] parts = modelTask.split("/");
            String labels = "{model=\"" + parts[0] + "\",task=\"" + parts[1] + "\"}";
            assertEquals(count.doubleValue(), value("parlance_jobs_completed_total" + labels), "completed " + labels);
            assertEquals(count.doubleValue(), value("parlance_jobs_admitted_total" + labels), "admitted " + labels);
        });
        assertEquals(0, value("parlance_jobs_failed_total{model=\"ner\",reason=\"internal\",task=\"entities\"}"),
                "a task's counters exist before anything fails");
    }

    @Test
    void theQueueWaitHistogramSawEveryJobThatRan() {
        answered.forEach((modelTask, count) -> {
            String[] parts = modelTask.split("/");
            String labels = "model=\"" + parts[0] + "\",task=\"" + parts[1] + "\"";
            assertEquals(count.doubleValue(), value("parlance_queue_wait_seconds_count{" + labels + "}"), "queue waits " + labels);
            assertEquals(count.doubleValue(), value("parlance_queue_wait_seconds_bucket{" + labels + ",le=\"+Inf\"}"), labels);
            double sum = value("parlance_queue_wait_seconds_sum{" + labels + "}");
            assertTrue(sum > 0 && sum < 60 * count, "waited " + sum + " s in all for " + labels);
        });
        List<String> waitBuckets = lines("parlance_queue_wait_seconds_bucket{model=\"minilm\",task=\"embeddings\"");
        assertTrue(waitBuckets.size() >= 20 && waitBuckets.size() <= 40, "a few dozen buckets: " + waitBuckets.size());
    }

    @Test
    void batchHistogramsStopAtTheConfiguredMaximum() {
        // The defaults: at most 32 jobs per batch, 8192 padded tokens per pass.
        List<String> sizes = lines("parlance_batch_size_bucket{model=\"minilm\"");
        assertEquals(List.of("1.0", "2.0", "4.0", "8.0", "16.0", "32.0", "+Inf"), sizes.stream()
                .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1")).toList());
        List<String> tokens = lines("parlance_batch_tokens_bucket{model=\"minilm\"");
        assertTrue(tokens.get(tokens.size() - 2).contains("le=\"8192.0\""), tokens.toString());
    }

    @Test
    void noMeterIsRegisteredTwiceAtStartOrUnderTraffic() {
        List<String> warnings = new ArrayList<>();
        for (ILoggingEvent event : logs.list) {
            if (event.getFormattedMessage().contains("already registered")) {
                warnings.add(event.getLoggerName() + ": " + event.getFormattedMessage());
            }
        }
        assertEquals(List.of(), warnings);
        assertFalse(scrape.isEmpty());
    }

    @Test
    void aSecondServerInTheSameJvmReportsToItsOwnRegistry() {
        try (TestServer second = TestServer.start(TestServer.config(TestServer.nli("nli", "nli-tiny")))) {
            assertEquals(200, second.client.get("/health/live").send().await().statusCode());
            String scraped = second.client.get("/metrics").send().await().bodyAsString();
            assertTrue(scraped.contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/health/live\"} 1.0"),
                    "the second server's own HTTP meters are in its scrape");
            assertTrue(scraped.contains("jvm_memory_used_bytes"), "and the JVM's");
        }
        noMeterIsRegisteredTwiceAtStartOrUnderTraffic();
    }

    /** The lines of a series family that start with the given text (name and first labels). */
    private static List<String> lines(String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    /** One sample's value, by its name and labels exactly as scraped; fails when absent. */
    private static double value(String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError(series + " is not in the scrape");
    }
}
