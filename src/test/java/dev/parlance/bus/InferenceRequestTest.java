package dev.parlance.bus;

import dev.parlance.api.Task;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferenceRequestTest {

    private static final long MAX = 30_000;

    private static JsonObject message(Object timeoutMs) {
        JsonObject json = new JsonObject().put("task", "classification").put("input", new JsonObject());
        return timeoutMs == null ? json : json.put("timeoutMs", timeoutMs);
    }

    /** Asserts the deadline is {@code expected} ms after the call, measured around it. */
    private static void assertTimeout(long expected, JsonObject message) {
        long before = System.currentTimeMillis();
        InferenceRequest request = InferenceRequest.fromJson(message, MAX);
        long after = System.currentTimeMillis();
        assertTrue(request.deadline() >= before + expected && request.deadline() <= after + expected,
                "deadline " + (request.deadline() - before) + " ms away, expected " + expected);
    }

    @Test
    void aCallerCannotAskALongerDeadlineThanTheServerAllows() {
        assertTimeout(MAX, message(3_600_000));
        assertTimeout(MAX, message(Long.MAX_VALUE));
    }

    @Test
    void aShorterDeadlineIsKeptAndNoneMeansTheServersOwn() {
        assertTimeout(5_000, message(5_000));
        assertTimeout(5_000, message(5_000L));
        assertTimeout(MAX, message(null));
    }

    @Test
    void aTimeoutThatIsNotAPositiveIntegerIsRefused() {
        for (Object bad : new Object[] {0, -1, -5_000L, 1.5, "5000", true}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InferenceRequest.fromJson(message(bad), MAX), String.valueOf(bad));
            assertTrue(e.getMessage().startsWith("/timeoutMs: must be a positive integer"), e.getMessage());
        }
    }

    @Test
    void anExpiredRequestStillTravelsAndArrivesExpired() {
        InferenceRequest expired = new InferenceRequest(Task.CLASSIFICATION, new JsonObject(),
                System.currentTimeMillis() - 1_000, new Cancellation());
        assertEquals(1L, expired.toJson().getLong("timeoutMs"));
        InferenceRequest arrived = InferenceRequest.fromJson(expired.toJson(), MAX);
        assertTrue(arrived.deadline() <= System.currentTimeMillis() + 1);
    }
}
