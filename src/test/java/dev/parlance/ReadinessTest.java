package dev.parlance;

import dev.parlance.bus.Codecs;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.http.Health;
import dev.parlance.http.HttpVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Readiness follows the models' states, their live workers and shutting down; protected probes need a token. */
class ReadinessTest {

    @Test
    void readinessIs503UntilEveryModelIsReadyAndAgainWhileStopping() {
        JsonObject json = TestServer.config(TestServer.embedded("a"), TestServer.embedded("b"));
        json.getJsonObject("http").put("port", TestServer.freePort());
        json.getJsonObject("auth").put("protectMetrics", true);
        ParlanceConfig config = ParlanceConfig.parse(json, 2, null);
        Health health = new Health();
        health.loading("a");
        health.loading("b");
        Vertx vertx = Vertx.vertx();
        try {
            Codecs.register(vertx);
            var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
            vertx.deployVerticle(new HttpVerticle(config, health, new dev.parlance.bus.LocalDispatcher(vertx),
                    HttpVerticle.Shared.create(config, registry))).await();
            WebClient client = WebClient.create(vertx);
            int port = config.http().port();
            assertEquals(200, client.get(port, "127.0.0.1", "/health/live").send().await().statusCode());
            assertEquals(503, client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode());
            AtomicInteger workersOfB = new AtomicInteger(2);
            health.ready("a", () -> 1);
            assertEquals(503, client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode());
            health.ready("b", workersOfB::get);
            assertEquals(200, client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode());
            // Loaded, but no worker takes batches any more: nothing would ever answer its jobs.
            workersOfB.set(0);
            var noWorker = client.get(port, "127.0.0.1", "/health/ready").send().await();
            assertEquals(503, noWorker.statusCode());
            assertEquals("NO_WORKER", noWorker.bodyAsJsonObject().getJsonObject("models").getString("b"));
            workersOfB.set(1);
            assertEquals(200, client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode());
            health.stopping();
            var stopping = client.get(port, "127.0.0.1", "/health/ready").send().await();
            assertEquals(503, stopping.statusCode());
            assertEquals(true, stopping.bodyAsJsonObject().getBoolean("stopping"));
            assertEquals(200, client.get(port, "127.0.0.1", "/health/live").send().await().statusCode());
            assertEquals(401, client.get(port, "127.0.0.1", "/metrics").send().await().statusCode());
            assertEquals(200, client.get(port, "127.0.0.1", "/metrics")
                    .putHeader("Authorization", "Bearer " + TestServer.TOKEN).send().await().statusCode());
        } finally {
            vertx.close().await();
        }
    }
}
