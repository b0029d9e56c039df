package dev.parlance.bus;

import java.util.Locale;
import java.util.Optional;

/**
 * Every error the API can answer, in one place: its stable code (the {@code error} field of
 * {@code schemas/error.json}, whose enum is tested against this one), its HTTP status, and what
 * it means. HTTP responses, event-bus failures ({@link BusFailure}) and the OpenAPI document
 * all take their codes and statuses from here, so a new error is one new constant.
 */
public enum ErrorCode {
    VALIDATION(400, "the body breaks its schema; `path` is the JSON pointer of the field"),
    MALFORMED_JSON(400, "the body is not JSON"),
    INVALID_INPUT(400, "the model cannot take the input (e.g. it does not fit the model)"),
    BAD_REQUEST(400, "the request is not valid HTTP"),
    UNAUTHORIZED(401, "no valid `Authorization: Token <key>` (or `Bearer <key>`)"),
    NOT_FOUND(404, "no such route"),
    UNKNOWN_MODEL(404, "no model has that name or alias"),
    TASK_NOT_SERVED(404, "the model cannot do the task, or no model serves it"),
    LANGUAGE_NOT_SERVED(404, "NLP Cloud's `<lang>/` segment names a language the model does not list in `languages`"),
    METHOD_NOT_ALLOWED(405, "the path exists with another method"),
    REQUEST_TIMEOUT(408, "the body did not arrive within `limits.readTimeoutMs`"),
    BODY_TOO_LARGE(413, "the body is over `limits.maxBodyBytes`"),
    URI_TOO_LONG(414, "the request line is over `limits.maxUrlChars`"),
    UNSUPPORTED_MEDIA_TYPE(415, "the body is not sent as `application/json`"),
    HEADERS_TOO_LARGE(431, "the headers are over `limits.maxHeaderBytes`"),
    /** On the bus only: nobody is left to answer over HTTP (the connection is reset). */
    CALLER_GONE(499, "the caller went away before the job ran; the work was skipped"),
    INTERNAL(500, "a bug or a broken model; `id` is logged with the details, none are shown"),
    OVERLOADED(503, "the model's queue is full, it has no worker, or too many bodies are in flight; `Retry-After` is set"),
    DEADLINE_EXCEEDED(504, "no answer within the deadline; the work is dropped, not finished for nobody");

    private final int status;
    private final String meaning;

    ErrorCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    /** The stable code, e.g. {@code "task_not_served"}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int status() {
        return status;
    }

    /** When it is answered, for a person (README, OpenAPI). */
    public String meaning() {
        return meaning;
    }

    /** Whether an HTTP caller can receive it ({@link #CALLER_GONE} never reaches one). */
    public boolean sentOverHttp() {
        return this != CALLER_GONE;
    }

    public static Optional<ErrorCode> fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code().equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
