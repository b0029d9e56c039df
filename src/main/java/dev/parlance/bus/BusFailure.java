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

    /** A failure always says something: the error bodies require a message. */
    public BusFailure {
        message = message == null || message.isEmpty() ? code.meaning() : message;
    }

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

    /**
     * The failure a recipient sent. One in the older form (a node of an earlier version during a
     * rolling upgrade: the failure code was the HTTP status, the message plain text, an internal
     * error's id after "internal error ") is read by its status.
     */
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
        return byStatus(e.failureCode(), text == null ? "" : text);
    }

    private static BusFailure byStatus(int status, String text) {
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.INVALID_INPUT;
            case 404 -> ErrorCode.TASK_NOT_SERVED;
            case 499 -> ErrorCode.CALLER_GONE;
            case 503 -> ErrorCode.OVERLOADED;
            case 504 -> ErrorCode.DEADLINE_EXCEEDED;
            default -> ErrorCode.INTERNAL;
        };
        if (code == ErrorCode.INTERNAL) {
            String prefix = "internal error ";
            return text.startsWith(prefix) ? new BusFailure(code, "internal error", text.substring(prefix.length()))
                    : new BusFailure(code, "the inference node failed: " + text, null);
        }
        return new BusFailure(code, text, null);
    }
}
