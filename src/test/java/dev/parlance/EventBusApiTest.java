package dev.parlance;

import dev.parlance.bus.Addresses;
import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.InferenceRequest;
import dev.parlance.api.Task;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Another verticle uses the models through the event bus, as the README shows. */
class EventBusApiTest {

    static TestServer server;
    static final JsonObject INPUT = new JsonObject().put("text", ClassificationTest.SEED_TEXT)
            .put("labels", new JsonArray().add("job").add("nature").add("space"));

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.config(TestServer.nli("nli", "nli-tiny")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The README's example: a verticle that classifies over the bus and keeps the answer. */
    static final class ClassifyingVerticle extends VerticleBase {

        volatile JsonObject answer;
        private final Object message;

        ClassifyingVerticle(Object message) {
            this.message = message;
        }

        @Override
        public Future<?> start() {
            return vertx.eventBus().request(Addresses.infer("nli"), message)
                    .onSuccess(reply -> answer = reply.body() instanceof InferenceReply r ? r.object() : (JsonObject) reply.body());
        }
    }

    private JsonObject http() {
        return server.postJson("/api/v1/nli/classification", INPUT).bodyAsJsonObject();
    }

    @Test
    void aJavaVerticleGetsTheSameAnswerAsHttp() {
        ClassifyingVerticle verticle = new ClassifyingVerticle(InferenceRequest.of(Task.CLASSIFICATION, INPUT, 5_000));
        server.vertx.deployVerticle(verticle).await();
        assertEquals(http(), verticle.answer);
    }

    @Test
    void aJsonCallerGetsTheSameAnswerAsHttp() {
        JsonObject message = new JsonObject().put("task", "classification").put("input", INPUT).put("timeoutMs", 5000);
        ClassifyingVerticle verticle = new ClassifyingVerticle(message);
        server.vertx.deployVerticle(verticle).await();
        assertEquals(http(), verticle.answer);
    }

    @Test
    void jsonCallersAreHeldToTheSameSchema() {
        JsonObject bad = new JsonObject().put("task", "classification")
                .put("input", new JsonObject().put("text", "x").put("labels", new JsonArray()));
        ReplyException failure = assertInstanceOf(ReplyException.class, assertThrows(Exception.class,
                () -> server.vertx.eventBus().request(Addresses.infer("nli"), bad).await()));
        assertEquals(400, failure.failureCode());
        // The message is the error itself, the same fields as the HTTP error body.
        JsonObject error = new JsonObject(failure.getMessage());
        assertEquals("validation", error.getString("error"));
        assertTrue(error.getString("message").startsWith("/input/labels"), failure.getMessage());
    }

    @Test
    void aTaskTheModelDoesNotServeFailsWith404() {
        JsonObject message = new JsonObject().put("task", "embeddings").put("input", new JsonObject());
        ReplyException failure = assertInstanceOf(ReplyException.class, assertThrows(Exception.class,
                () -> server.vertx.eventBus().request(Addresses.infer("nli"), message).await()));
        assertEquals(404, failure.failureCode());
        assertEquals("task_not_served", new JsonObject(failure.getMessage()).getString("error"));
    }
}
