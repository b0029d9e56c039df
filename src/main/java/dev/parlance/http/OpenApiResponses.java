package dev.parlance.http;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The error statuses of the OpenAPI document: every status the server can answer besides
 * 200, where it comes from, and an example body copied from what that code really sends
 * (ErrorResponses' callers), so the document can be checked against the code by reading both.
 */
final class OpenApiResponses {

    /** One documented status: its description, an example body and whether it sets Retry-After. */
    record ErrorStatus(int status, String description, JsonObject example, boolean retryAfter) {

        ErrorStatus(int status, String description, JsonObject example) {
            this(status, description, example, false);
        }
    }

    /** Any route: Netty refuses the request line or headers before routing (SlowClientGuard). */
    static final ErrorStatus BAD_HTTP = new ErrorStatus(400,
            "The request is not valid HTTP; the connection is closed.",
            ErrorResponses.body("bad_request", "the request is not valid HTTP"));
    static final ErrorStatus URI_TOO_LONG = new ErrorStatus(414,
            "The request line is longer than `limits.maxUrlChars`; the connection is closed.",
            ErrorResponses.body("uri_too_long", "the request line is longer than the configured limit"));
    static final ErrorStatus HEADERS_TOO_LARGE = new ErrorStatus(431,
            "The request headers are larger than `limits.maxHeaderBytes`; the connection is closed.",
            ErrorResponses.body("headers_too_large", "the request headers are larger than the configured limit"));
    /** The router, for a path that exists with another method (FailureHandler). */
    static final ErrorStatus METHOD_NOT_ALLOWED = new ErrorStatus(405,
            "The path exists, but not with the method used (e.g. GET on a POST route).",
            ErrorResponses.body("method_not_allowed", "GET is not allowed here"));
    /** TokenAuth; the body is the same whether the header was missing, malformed or wrong. */
    static final ErrorStatus UNAUTHORIZED = new ErrorStatus(401,
            "No valid `Authorization: Bearer <key>` or `Authorization: Token <key>` header.",
            ErrorResponses.body("unauthorized",
                    "a valid API token is required: send the header 'Authorization: Token <key>'"));
    static final ErrorStatus INTERNAL = new ErrorStatus(500,
            "Internal error; `id` is in the server log with the details, none are shown.",
            ErrorResponses.body("internal", "internal error").put("id", "0b9e4c1d-5e8a-4d6f-9a57-2f3c8e1b7d40"));

    /** The inference routes, beyond (or refining) the statuses every route has. */
    static final List<ErrorStatus> TASK = List.of(
            new ErrorStatus(400, "The body is not JSON (`malformed_json`), breaks the request schema (`validation`,"
                    + " `path` names the field), cannot be taken by the model (`invalid_input`), or the request is"
                    + " not valid HTTP (`bad_request`).",
                    ErrorResponses.body("validation", "/labels/1: must not be empty").put("path", "/labels/1")),
            new ErrorStatus(404, "The model does not serve this task (`task_not_served`), or no model has that name"
                    + " (`unknown_model`).",
                    ErrorResponses.body("unknown_model", "no model named \"gpt-5\" is configured")),
            new ErrorStatus(408, "The request body did not arrive within `limits.readTimeoutMs`; the connection is closed.",
                    ErrorResponses.body("request_timeout", "the request body did not arrive in time")),
            new ErrorStatus(413, "The body is larger than `limits.maxBodyBytes`.",
                    ErrorResponses.body("body_too_large", "the request body is too large")),
            new ErrorStatus(415, "The body is not sent as `application/json`.",
                    ErrorResponses.body("unsupported_media_type", "the request body must be JSON")),
            INTERNAL,
            new ErrorStatus(503, "The model's queue is full, it has no live worker, or the server holds too many"
                    + " request bodies at once: retry after `Retry-After` seconds.",
                    ErrorResponses.body("overloaded", "model minilm is at capacity; retry shortly"), true),
            new ErrorStatus(504, "No answer within the deadline (`limits.requestTimeoutMs`, or the shorter"
                    + " `X-Timeout-Ms`); the work is dropped.",
                    ErrorResponses.body("deadline_exceeded", "no answer within the request deadline")));

    /** GET /metrics, beyond the statuses every route has. */
    static final List<ErrorStatus> METRICS = List.of(
            INTERNAL,
            new ErrorStatus(503, "Too many scrapes in flight (`limits.maxConcurrentScrapes`): retry after `Retry-After` seconds.",
                    ErrorResponses.body("overloaded", "too many metrics scrapes in flight; retry shortly"), true));

    /** Every route, protected or not. */
    static final List<ErrorStatus> ANY_ROUTE = List.of(BAD_HTTP, METHOD_NOT_ALLOWED, URI_TOO_LONG, HEADERS_TOO_LARGE);

    private OpenApiResponses() {
    }
}
