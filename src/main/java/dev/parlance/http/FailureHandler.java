package dev.parlance.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.validation.BodyProcessorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Every failed route ends here and leaves as the API's JSON error body. Internal errors get
 * an id that is logged with the stack trace; the response shows the id, never the trace.
 */
final class FailureHandler implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof BodyProcessorException e) {
            bodyProblem(ctx, e);
            return;
        }
        int status = ctx.statusCode();
        switch (status) {
            case 400 -> ErrorResponses.send(ctx, 400, "bad_request", "the request is malformed");
            case 404 -> ErrorResponses.send(ctx, 404, "not_found", "no such route: " + ctx.request().path());
            case 405 -> ErrorResponses.send(ctx, 405, "method_not_allowed",
                    ctx.request().method() + " is not allowed here");
            case 413 -> ErrorResponses.send(ctx, 413, "body_too_large", "the request body is too large");
            case 415 -> ErrorResponses.send(ctx, 415, "unsupported_media_type", "the request body must be JSON");
            default -> internal(ctx, failure);
        }
    }

    private static void bodyProblem(RoutingContext ctx, BodyProcessorException e) {
        switch (e.getErrorType()) {
            case VALIDATION_ERROR -> {
                if (e.getCause() instanceof SchemaBodyProcessor.SchemaViolation v) {
                    String path = v.violation().path();
                    String field = path.isEmpty() ? "the body" : path;
                    ErrorResponses.send(ctx, 400, ErrorResponses.body("validation", field + ": " + v.violation().message())
                            .put("path", path));
                } else {
                    ErrorResponses.send(ctx, 400, "validation", "the request body is not valid");
                }
            }
            case PARSING_ERROR -> ErrorResponses.send(ctx, 400, "malformed_json",
                    "the request body is not valid JSON");
            case MISSING_MATCHING_BODY_PROCESSOR -> ErrorResponses.send(ctx, 415, "unsupported_media_type",
                    "the request body must be JSON");
        }
    }

    private static void internal(RoutingContext ctx, Throwable failure) {
        String id = UUID.randomUUID().toString();
        log.error("error {} on {} {}", id, ctx.request().method(), ctx.request().path(), failure);
        ErrorResponses.send(ctx, 500, ErrorResponses.body("internal", "internal error").put("id", id));
    }
}
