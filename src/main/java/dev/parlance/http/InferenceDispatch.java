package dev.parlance.http;

import dev.parlance.bus.Dispatcher;
import dev.parlance.bus.Failure;
import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.InferenceRequest;
import dev.parlance.config.Task;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.validation.RequestParameters;
import io.vertx.ext.web.validation.ValidationHandler;

/**
 * Sends a validated request to its model (through the {@link Dispatcher}: in this JVM or on a
 * cluster node) and maps the reply or the failure onto the HTTP response. Nothing here waits:
 * the event loop moves on at once.
 */
final class InferenceDispatch {

    /** Shortens the deadline of one request (milliseconds); it can never lengthen it. */
    static final String TIMEOUT_HEADER = "X-Timeout-Ms";
    /** Seconds a refused caller is told to wait before retrying. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final Dispatcher dispatcher;
    private final long defaultTimeoutMs;

    InferenceDispatch(Dispatcher dispatcher, long defaultTimeoutMs) {
        this.dispatcher = dispatcher;
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    void dispatch(RoutingContext ctx, Task task, String model) {
        RequestParameters params = ctx.get(ValidationHandler.REQUEST_CONTEXT_KEY);
        JsonObject input = params.body().getJsonObject();
        long timeoutMs = timeoutMs(ctx);
        if (timeoutMs < 0) {
            ErrorResponses.send(ctx, 400, new JsonObject().put("error", "validation")
                    .put("message", TIMEOUT_HEADER + " must be a positive integer (milliseconds)"));
            return;
        }
        InferenceRequest request = InferenceRequest.of(task, input, timeoutMs);
        ctx.put(AccessLog.MODEL_KEY, model);
        // A client that hangs up takes its job with it: the worker skips cancelled jobs. (A
        // routing-context end handler: setting the response's close handler would replace Vert.x
        // Web's, and with it every other end handler of this request.)
        ctx.addEndHandler(done -> {
            if (done.failed()) {
                request.cancellation().cancel();
            }
        });
        Future<InferenceReply> job = dispatcher.send(model, request);
        InFlightBudget.holdUntil(ctx, job);
        job
                .onSuccess(reply -> {
                    ctx.put(AccessLog.BATCH_KEY, reply.batchSize());
                    ok(ctx, reply);
                })
                .onFailure(error -> failed(ctx, model, error));
    }

    private long timeoutMs(RoutingContext ctx) {
        String header = ctx.request().getHeader(TIMEOUT_HEADER);
        if (header == null) {
            return defaultTimeoutMs;
        }
        try {
            long requested = Long.parseLong(header.trim());
            return requested <= 0 ? -1 : Math.min(requested, defaultTimeoutMs);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void ok(RoutingContext ctx, InferenceReply reply) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().putHeader("content-type", "application/json").end(reply.body().toBuffer());
    }

    private static void failed(RoutingContext ctx, String model, Throwable error) {
        if (!(error instanceof ReplyException reply)) {
            ctx.fail(error);
            return;
        }
        switch (reply.failureType()) {
            case NO_HANDLERS -> unavailable(ctx, "no inference worker is available for model " + model);
            case TIMEOUT -> ErrorResponses.send(ctx, 504, "deadline_exceeded",
                    "no answer within the request deadline");
            default -> recipientFailure(ctx, reply);
        }
    }

    private static void recipientFailure(RoutingContext ctx, ReplyException reply) {
        String message = reply.getMessage();
        switch (reply.failureCode()) {
            case Failure.BAD_INPUT -> ErrorResponses.send(ctx, 400, "invalid_input", message);
            case Failure.NOT_SERVED -> ErrorResponses.send(ctx, 404, "task_not_served", message);
            case Failure.OVERLOADED -> unavailable(ctx, message);
            case Failure.DEADLINE -> ErrorResponses.send(ctx, 504, "deadline_exceeded", message);
            case Failure.GONE -> ctx.response().reset();
            default -> {
                JsonObject body = ErrorResponses.body("internal", "internal error");
                String id = message == null ? null : message.replaceFirst("^internal error ", "");
                if (id != null && !id.equals(message)) {
                    body.put("id", id);
                }
                ErrorResponses.send(ctx, 500, body);
            }
        }
    }

    private static void unavailable(RoutingContext ctx, String message) {
        ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        ErrorResponses.send(ctx, 503, "overloaded", message);
    }
}
