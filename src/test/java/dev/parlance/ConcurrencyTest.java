package dev.parlance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many callers at once, in both sharing modes: every one gets its own, right answer. */
@ExtendWith(VertxExtension.class)
class ConcurrencyTest {

    private static final List<String> LABELS = List.of("job", "nature", "space");
    private static final List<String> TEXTS = List.of(
            ClassificationTest.SEED_TEXT,
            "We hiked through the forest and watched the birds by the river.",
            "The rocket launched from Cape Canaveral and reached orbit around the Earth.");

    @ParameterizedTest
    @ValueSource(strings = {"shared", "isolated"})
    void twoHundredConcurrentRequestsAreAllAnsweredCorrectly(String sharing, VertxTestContext test) throws Exception {
        JsonObject model = TestServer.embedded("minilm").put("sharing", sharing).put("workers", 2);
        try (TestServer server = TestServer.start(TestServer.config(model))) {
            int requests = 200;
            Checkpoint answered = test.checkpoint(requests);
            for (int i = 0; i < requests; i++) {
                int which = i % TEXTS.size();
                JsonObject body = new JsonObject().put("text", TEXTS.get(which)).put("labels", new JsonArray(LABELS));
                server.post("/api/v1/classification").sendJson(body).onComplete(test.succeeding(response ->
                        test.verify(() -> {
                            assertEquals(200, response.statusCode(), response.bodyAsString());
                            JsonObject result = response.bodyAsJsonObject();
                            assertEquals(LABELS.get(which), result.getJsonArray("labels").getString(0), TEXTS.get(which));
                            assertEquals(1.0, result.getJsonArray("scores").stream()
                                    .mapToDouble(s -> ((Number) s).doubleValue()).sum(), 1e-9);
                            answered.flag();
                        })));
            }
            assertTrue(test.awaitCompletion(60, TimeUnit.SECONDS), "all answered in time");
            if (test.failed()) {
                throw new AssertionError(test.causeOfFailure());
            }
        }
    }
}
