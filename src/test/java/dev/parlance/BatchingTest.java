package dev.parlance;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic batching, admission control and dropped work, observed from outside: answers,
 * statuses and the model's own counters. A large request keeps the only worker busy while
 * the others queue behind it.
 */
class BatchingTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        JsonObject fp32 = new JsonObject().put("kind", "embedding").put("source", "classpath:all-minilm-l6-v2").put("workers", 1);
        server = TestServer.start(TestServer.config(
                fp32.copy().put("name", "batched").put("batching", new JsonObject().put("maxBatchDelayMs", 100)),
                fp32.copy().put("name", "tiny-queue").put("batching",
                        new JsonObject().put("queueSize", 1).put("maxBatchSize", 1))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject sentences(String... texts) {
        return new JsonObject().put("sentences", new JsonArray(List.of((Object[]) texts)));
    }

    /** About a second of work for one fp32 worker: 64 sentences truncated at 128 tokens. */
    private static Future<HttpResponse<Buffer>> bigJob(String model) {
        JsonArray many = new JsonArray();
        for (int i = 0; i < 64; i++) {
            many.add(("sentence " + i + " ").repeat(60));
        }
        return server.post("/api/v1/" + model + "/embeddings").sendJson(new JsonObject().put("sentences", many));
    }

    private static double running(String model) {
        var gauge = server.registry.find("parlance.jobs.running").tag("model", model).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void requestsBatchedTogetherGetTheSameVectorsAsAlone() {
        String[] texts = {"Short one.", "A somewhat longer sentence about the weather today.",
                "I love sentence transformers.", "word ".repeat(40), "Paris is the capital of France.",
                "Batching must not change a single number.", "Yes.", "The quick brown fox jumps over the lazy dog."};
        List<JsonArray> alone = new ArrayList<>();
        for (String t : texts) {
            alone.add(server.postJson("/api/v1/batched/embeddings", sentences(t)).bodyAsJsonObject()
                    .getJsonArray("embeddings").getJsonArray(0));
        }
        double batchesBefore = server.registry.get("parlance.batch.size").tag("model", "batched").summary().count();
        List<Future<HttpResponse<Buffer>>> together = new ArrayList<>();
        for (String t : texts) {
            together.add(server.post("/api/v1/batched/embeddings").sendJson(sentences(t)));
        }
        Future.all(together).await();
        double batches = server.registry.get("parlance.batch.size").tag("model", "batched").summary().count() - batchesBefore;
        assertTrue(batches < texts.length, "8 concurrent requests shared forward passes (" + batches + " batches)");
        for (int i = 0; i < texts.length; i++) {
            JsonArray batched = together.get(i).result().bodyAsJsonObject().getJsonArray("embeddings").getJsonArray(0);
            for (int d = 0; d < 384; d++) {
                assertEquals(alone.get(i).getDouble(d), batched.getDouble(d), 1e-5, texts[i] + " dim " + d);
            }
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAtOnce() throws Exception {
        Future<HttpResponse<Buffer>> big = bigJob("tiny-queue");
        TestServer.await("the worker holds the big job", () -> running("tiny-queue") == 1);
        Future<HttpResponse<Buffer>> queued = server.post("/api/v1/tiny-queue/embeddings").sendJson(sentences("queued"));
        TestServer.await("the second job is queued",
                () -> server.count("parlance.jobs.admitted", "tiny-queue") == 2);
        long start = System.nanoTime();
        HttpResponse<Buffer> refused = server.postJson("/api/v1/tiny-queue/embeddings", sentences("one too many"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, refused.statusCode(), refused.bodyAsString());
        assertEquals("1", refused.getHeader("Retry-After"));
        assertEquals("overloaded", refused.bodyAsJsonObject().getString("error"));
        assertTrue(running("tiny-queue") == 1, "refused while the big job was still running (" + tookMs + " ms)");
        assertEquals(200, big.await().statusCode());
        assertEquals(200, queued.await().statusCode());
        assertEquals(1, server.count("parlance.jobs.rejected", "tiny-queue", "reason", "queue_full"));
    }

    @Test
    void anExpiredJobAnswers504AndIsSkippedNotRun() throws Exception {
        double completedBefore = server.count("parlance.jobs.completed", "batched");
        double skippedBefore = server.count("parlance.jobs.skipped", "batched", "reason", "deadline");
        Future<HttpResponse<Buffer>> big = bigJob("batched");
        TestServer.await("the worker holds the big job", () -> running("batched") == 1);
        HttpResponse<Buffer> late = server.post("/api/v1/batched/embeddings").putHeader("X-Timeout-Ms", "50")
                .sendJson(sentences("too late")).await();
        assertEquals(504, late.statusCode());
        assertEquals("deadline_exceeded", late.bodyAsJsonObject().getString("error"));
        assertEquals(200, big.await().statusCode());
        TestServer.await("the expired job is skipped",
                () -> server.count("parlance.jobs.skipped", "batched", "reason", "deadline") == skippedBefore + 1);
        assertEquals(completedBefore + 1, server.count("parlance.jobs.completed", "batched"), "only the big job ran");
    }

    @Test
    void aDisconnectedClientsJobIsSkipped() throws Exception {
        double skippedBefore = server.count("parlance.jobs.skipped", "batched", "reason", "gone");
        double completedBefore = server.count("parlance.jobs.completed", "batched");
        Future<HttpResponse<Buffer>> big = bigJob("batched");
        TestServer.await("the worker holds the big job", () -> running("batched") == 1);
        String body = sentences("nobody will read this").encode();
        double admitted = server.count("parlance.jobs.admitted", "batched");
        NetSocket socket = server.vertx.createNetClient().connect(server.port, "127.0.0.1").await();
        socket.write("POST /api/v1/batched/embeddings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token "
                + TestServer.TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body).await();
        TestServer.await("the job is queued", () -> server.count("parlance.jobs.admitted", "batched") > admitted);
        socket.close().await();
        assertEquals(200, big.await().statusCode());
        TestServer.await("the abandoned job is skipped",
                () -> server.count("parlance.jobs.skipped", "batched", "reason", "gone") == skippedBefore + 1);
        assertEquals(completedBefore + 1, server.count("parlance.jobs.completed", "batched"), "only the big job ran");
    }
}
