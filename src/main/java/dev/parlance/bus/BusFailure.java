package dev.parlance.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * How an inference job fails over the event bus: the reply's failure code is the error's HTTP
 * status (what a plain event-bus caller checks), and its message is the error itself as JSON,
 * {@code {"error": "<code>", "message": "...", "id": "..."}}, the same fields as the HTTP error
 * body. The receiver reads the code back, never the status.
 *
 * @param id the error id of an internal error (also in the log of the node that failed), or null
 */
public record BusFailure(ErrorCode code, String message, String id) {

    public static BusFailure of(ErrorCode code, String message) {
        return new BusFailure(code, message, null);
    }

    public String encode() {
        JsonObject json = new JsonObject().put("error", code.code()).put("message", message);
        if (id != null) {
            json.put("id", id);
        }
        return json.encode();
    }

    public void failOn(Message<?> message) {
        message.fail(code.status(), encode());
    }

    public ReplyException toException() {
        return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.status(), encode());
    }

    /** The failure a recipient sent; one from a caller that does not speak this form is internal. */
    public static BusFailure decode(ReplyException e) {
        String text = e.getMessage();
        if (text != null && text.startsWith("{")) {
            try {
                JsonObject json = new JsonObject(text);
                ErrorCode code = ErrorCode.fromCode(json.getString("error")).orElse(null);
                if (code != null) {
                    return new BusFailure(code, json.getString("message", ""), json.getString("id"));
                }
            } catch (DecodeException | ClassCastException ignored) {
                // not ours: falls through
            }
        }
        return new BusFailure(ErrorCode.INTERNAL, "the inference node failed: " + text, null);
    }
}
