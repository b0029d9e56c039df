package dev.parlance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM on a real server process: requests in flight all get their 200, readiness says 503
 * during the drain delay, new connections are refused afterwards, and the exit code is 0.
 */
class ShutdownTest {

    @Test
    void requestsInFlightWhenSigtermArrivesAllGetTheir200AndTheProcessExits0() throws Exception {
        int port = TestServer.freePort();
        JsonObject config = TestServer.config(new JsonObject().put("name", "fp32").put("kind", "embedding")
                .put("source", "classpath:all-minilm-l6-v2").put("workers", 2));
        config.getJsonObject("http").put("port", port).put("shutdownDelayMs", 5000)
                // However slowly a busy machine works through them, the requests in flight may finish.
                .put("shutdownGraceMs", 600_000);
        config.put("limits", new JsonObject().put("requestTimeoutMs", 600_000));
        ServerProcess server = ServerProcess.start(config);
        Vertx vertx = Vertx.vertx();
        try {
            WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(64));
            server.awaitReady(60_000);

            // 24 requests of 16 long sentences each: several seconds of work for two workers.
            JsonArray sentences = new JsonArray();
            for (int i = 0; i < 16; i++) {
                sentences.add(("in flight " + i + " ").repeat(40));
            }
            List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                inFlight.add(client.post("/api/v1/embeddings").putHeader("Authorization", "Token " + TestServer.TOKEN)
                        .sendJson(new JsonObject().put("sentences", sentences)));
            }
            // Every request is in the model's hands (queued or running) before the signal.
            while (server.metric("parlance_jobs_admitted_total{model=\"fp32\",task=\"embeddings\"}") < 24) {
                Thread.sleep(20);
            }
            server.process().destroy(); // SIGTERM

            // Readiness turns 503 as soon as the shutdown starts, while the server still serves.
            server.await("/health/ready", s -> s == 503, 60_000);
            WebClient fresh = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));

            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<Buffer>> f : inFlight) {
                HttpResponse<Buffer> response = f.await();
                statuses.add(response.statusCode());
                assertEquals(200, response.statusCode(), response.bodyAsString());
                assertEquals(16, response.bodyAsJsonObject().getJsonArray("embeddings").size());
            }
            assertEquals(List.of(24), List.of(statuses.size()));
            assertTrue(statuses.stream().allMatch(s -> s == 200), "every request in flight got its 200: " + statuses);

            assertTrue(server.process().waitFor(300, TimeUnit.SECONDS), "the process stops");
            assertEquals(0, server.process().exitValue(), server.log());
            assertTrue(server.log().contains("stopped"), server.log());
            boolean refused;
            try {
                fresh.get("/health/live").send().await();
                refused = false;
            } catch (Exception e) {
                refused = true;
            }
            assertTrue(refused, "nothing listens any more");
        } finally {
            server.close();
            vertx.close().await();
        }
    }
}
