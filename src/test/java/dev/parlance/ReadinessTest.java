package dev.parlance;

import dev.parlance.bus.Codecs;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.http.Health;
import dev.parlance.http.HttpVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Readiness follows the models' states and shutting down; protected probes need a token. */
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
            vertx.deployVerticle(new HttpVerticle(config, new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT), health, new dev.parlance.bus.LocalDispatcher(vertx))).await();
            WebClient client = WebClient.create(vertx);
            int port = config.http().port();
            assertEquals(200, client.get(port, "127.0.0.1", "/health/live").send().await().statusCode());
            assertEquals(503, client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode());
            health.ready("a");
            assertEquals(503, client.get(port, "127.0.0.1", "/health/ready").send().await().statusCode());
            health.ready("b");
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
