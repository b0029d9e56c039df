package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The error statuses of the OpenAPI document: every status the server can answer besides
 * 200, where it comes from, and an example body copied from what that code really sends
 * (ErrorResponses' callers), so the document can be checked against the code by reading both.
 */
final class OpenApiResponses {

    /**
     * One documented status: the error of its example (which gives the status), a description
     * (which may name the other codes of the same status) and whether it sets Retry-After.
     */
    record ErrorStatus(ErrorCode code, String description, JsonObject example, boolean retryAfter) {

        ErrorStatus(ErrorCode code, String description, JsonObject example) {
            this(code, description, example, false);
        }

        int status() {
            return code.status();
        }
    }

    /** Any route: Netty refuses the request line or headers before routing (SlowClientGuard). */
    static final ErrorStatus BAD_HTTP = new ErrorStatus(ErrorCode.BAD_REQUEST,
            "The request is not valid HTTP; the connection is closed.",
            ErrorResponses.body(ErrorCode.BAD_REQUEST, "the request is not valid HTTP"));
    static final ErrorStatus URI_TOO_LONG = new ErrorStatus(ErrorCode.URI_TOO_LONG,
            "The request line is longer than `limits.maxUrlChars`; the connection is closed.",
            ErrorResponses.body(ErrorCode.URI_TOO_LONG, "the request line is longer than the configured limit"));
    static final ErrorStatus HEADERS_TOO_LARGE = new ErrorStatus(ErrorCode.HEADERS_TOO_LARGE,
            "The request headers are larger than `limits.maxHeaderBytes`; the connection is closed.",
            ErrorResponses.body(ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than the configured limit"));
    /** The router, for a path that exists with another method (FailureHandler). */
    static final ErrorStatus METHOD_NOT_ALLOWED = new ErrorStatus(ErrorCode.METHOD_NOT_ALLOWED,
            "The path exists, but not with the method used (e.g. GET on a POST route).",
            ErrorResponses.body(ErrorCode.METHOD_NOT_ALLOWED, "GET is not allowed here"));
    /** TokenAuth; the body is the same whether the header was missing, malformed or wrong. */
    static final ErrorStatus UNAUTHORIZED = new ErrorStatus(ErrorCode.UNAUTHORIZED,
            "No valid `Authorization: Bearer <key>` or `Authorization: Token <key>` header.",
            ErrorResponses.body(ErrorCode.UNAUTHORIZED, TokenAuth.REFUSAL));
    static final ErrorStatus INTERNAL = new ErrorStatus(ErrorCode.INTERNAL,
            "Internal error; `id` is in the server log with the details, none are shown.",
            ErrorResponses.body(ErrorCode.INTERNAL, "internal error").put("id", "0b9e4c1d-5e8a-4d6f-9a57-2f3c8e1b7d40"));

    /** The inference routes, beyond (or refining) the statuses every route has. */
    static final List<ErrorStatus> TASK = List.of(
            new ErrorStatus(ErrorCode.VALIDATION, "The body is not JSON (`malformed_json`), breaks the request schema (`validation`,"
                    + " `path` names the field), cannot be taken by the model (`invalid_input`), or the request is"
                    + " not valid HTTP (`bad_request`).",
                    ErrorResponses.body(ErrorCode.VALIDATION, "/labels/1: must not be empty").put("path", "/labels/1")),
            new ErrorStatus(ErrorCode.UNKNOWN_MODEL, "The model does not serve this task (`task_not_served`), no model has that name"
                    + " (`unknown_model`), or the model does not list the language of NLP Cloud's `<lang>/` segment"
                    + " (`language_not_served`).",
                    ErrorResponses.body(ErrorCode.UNKNOWN_MODEL, "no model named \"gpt-5\" is configured")),
            new ErrorStatus(ErrorCode.REQUEST_TIMEOUT, "The request body did not arrive within `limits.readTimeoutMs`; the connection is closed.",
                    ErrorResponses.body(ErrorCode.REQUEST_TIMEOUT, "the request body did not arrive in time")),
            new ErrorStatus(ErrorCode.BODY_TOO_LARGE, "The body is larger than `limits.maxBodyBytes`.",
                    ErrorResponses.body(ErrorCode.BODY_TOO_LARGE, "the request body is too large")),
            new ErrorStatus(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body is not sent as `application/json`.",
                    ErrorResponses.body(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be JSON")),
            INTERNAL,
            new ErrorStatus(ErrorCode.OVERLOADED, "The model's queue is full, it has no live worker, or the server holds too many"
                    + " request bodies at once: retry after `Retry-After` seconds.",
                    ErrorResponses.body(ErrorCode.OVERLOADED, "model minilm is at capacity; retry shortly"), true),
            new ErrorStatus(ErrorCode.DEADLINE_EXCEEDED, "No answer within the deadline (`limits.requestTimeoutMs`, or the shorter"
                    + " `X-Timeout-Ms`); the work is dropped.",
                    ErrorResponses.body(ErrorCode.DEADLINE_EXCEEDED, "no answer within the request deadline")));

    /** GET /metrics, beyond the statuses every route has. */
    static final List<ErrorStatus> METRICS = List.of(
            INTERNAL,
            new ErrorStatus(ErrorCode.OVERLOADED, "Too many scrapes in flight (`limits.maxConcurrentScrapes`): retry after `Retry-After` seconds.",
                    ErrorResponses.body(ErrorCode.OVERLOADED, "too many metrics scrapes in flight; retry shortly"), true));

    /** Every route, protected or not. */
    static final List<ErrorStatus> ANY_ROUTE = List.of(BAD_HTTP, METHOD_NOT_ALLOWED, URI_TOO_LONG, HEADERS_TOO_LARGE);

    private OpenApiResponses() {
    }
}
