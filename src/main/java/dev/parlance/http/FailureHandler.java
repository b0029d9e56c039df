package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
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
            case 400 -> ErrorResponses.send(ctx, ErrorCode.BAD_REQUEST, "the request is malformed");
            case 404 -> ErrorResponses.send(ctx, ErrorCode.NOT_FOUND, "no such route: " + ctx.request().path());
            case 405 -> ErrorResponses.send(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                    ctx.request().method() + " is not allowed here");
            case 413 -> ErrorResponses.send(ctx, ErrorCode.BODY_TOO_LARGE, "the request body is too large");
            case 415 -> ErrorResponses.send(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be JSON");
            default -> internal(ctx, failure);
        }
    }

    private static void bodyProblem(RoutingContext ctx, BodyProcessorException e) {
        switch (e.getErrorType()) {
            case VALIDATION_ERROR -> {
                if (e.getCause() instanceof SchemaBodyProcessor.SchemaViolation v) {
                    String path = v.violation().path();
                    String field = path.isEmpty() ? "the body" : path;
                    ErrorResponses.send(ctx, ErrorCode.VALIDATION, ErrorResponses.body(ErrorCode.VALIDATION, field + ": " + v.violation().message())
                            .put("path", path));
                } else {
                    ErrorResponses.send(ctx, ErrorCode.VALIDATION, "the request body is not valid");
                }
            }
            case PARSING_ERROR -> ErrorResponses.send(ctx, ErrorCode.MALFORMED_JSON,
                    "the request body is not valid JSON");
            case MISSING_MATCHING_BODY_PROCESSOR -> ErrorResponses.send(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "the request body must be JSON");
        }
    }

    private static void internal(RoutingContext ctx, Throwable failure) {
        String id = UUID.randomUUID().toString();
        log.error("error {} on {} {}", id, ctx.request().method(), ctx.request().path(), failure);
        ErrorResponses.send(ctx, ErrorCode.INTERNAL, ErrorResponses.body(ErrorCode.INTERNAL, "internal error").put("id", id));
    }
}
