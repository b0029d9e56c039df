package dev.parlance.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Failures cross the bus as their code, and are read back the same, whoever sent them. */
class BusFailureTest {

    private static ReplyException reply(int status, String message) {
        return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, message);
    }

    @Test
    void aFailureIsReadBackAsItWasSent() {
        BusFailure sent = new BusFailure(ErrorCode.INTERNAL, "internal error", "abc-123");
        ReplyException wire = sent.toException();
        assertEquals(500, wire.failureCode(), "plain callers still read a status");
        assertEquals(sent, BusFailure.decode(wire));
        assertEquals(BusFailure.of(ErrorCode.OVERLOADED, "full"), BusFailure.decode(BusFailure.of(ErrorCode.OVERLOADED, "full").toException()));
    }

    @Test
    void aFailureWithoutAMessageSaysWhatItsCodeMeans() {
        BusFailure failure = BusFailure.decode(BusFailure.of(ErrorCode.INVALID_INPUT, null).toException());
        assertEquals(ErrorCode.INVALID_INPUT.meaning(), failure.message());
    }

    /** A node of the previous version sends the status and plain text: read by the status, never all as 500. */
    @Test
    void theOlderFormIsReadByItsStatus() {
        assertEquals(BusFailure.of(ErrorCode.OVERLOADED, "model m is at capacity; retry shortly"),
                BusFailure.decode(reply(503, "model m is at capacity; retry shortly")));
        assertEquals(ErrorCode.INVALID_INPUT, BusFailure.decode(reply(400, "/input/labels: must have at least 1 item")).code());
        assertEquals(ErrorCode.TASK_NOT_SERVED, BusFailure.decode(reply(404, "model m does not serve entities")).code());
        assertEquals(ErrorCode.DEADLINE_EXCEEDED, BusFailure.decode(reply(504, "the deadline passed")).code());
        assertEquals(ErrorCode.CALLER_GONE, BusFailure.decode(reply(499, "the caller went away")).code());
        assertEquals(new BusFailure(ErrorCode.INTERNAL, "internal error", "0b9e"), BusFailure.decode(reply(500, "internal error 0b9e")));
        BusFailure strange = BusFailure.decode(reply(42, "{not json"));
        assertEquals(ErrorCode.INTERNAL, strange.code());
        assertNull(strange.id());
    }
}
