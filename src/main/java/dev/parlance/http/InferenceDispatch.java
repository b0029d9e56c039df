package dev.parlance.http;

import dev.parlance.bus.BusFailure;
import dev.parlance.bus.Dispatcher;
import dev.parlance.bus.ErrorCode;
import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.InferenceRequest;
import dev.parlance.api.Task;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.validation.RequestParameters;
import io.vertx.ext.web.validation.ValidationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.function.Function;

/**
 * Sends a validated request to its model (through the {@link Dispatcher}: in this JVM or on a
 * cluster node) and maps the reply or the failure onto the HTTP response. Nothing here waits:
 * the event loop moves on at once.
 */
final class InferenceDispatch {

    private static final Logger log = LoggerFactory.getLogger(InferenceDispatch.class);

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

    /** The validated body, as it was sent. */
    static JsonObject body(RoutingContext ctx) {
        RequestParameters params = ctx.get(ValidationHandler.REQUEST_CONTEXT_KEY);
        return params.body().getJsonObject();
    }

    /** Sends the validated body to {@code model} and answers with the task's response body. */
    void dispatch(RoutingContext ctx, Task task, String model) {
        dispatch(ctx, task, model, body(ctx), InferenceReply::toBuffer);
    }

    /**
     * Sends {@code input} to {@code model} and answers with what {@code render} makes of the
     * reply (another API's shape of the same answer, say). A render that finds the request
     * cannot be answered throws {@link InvalidRequest}, answered with 400.
     */
    void dispatch(RoutingContext ctx, Task task, String model, JsonObject input, Function<InferenceReply, Buffer> render) {
        long timeoutMs = timeoutMs(ctx);
        if (timeoutMs < 0) {
            ErrorResponses.send(ctx, ErrorCode.VALIDATION, TIMEOUT_HEADER + " must be a positive integer (milliseconds)");
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
                    ok(ctx, reply, render);
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

    private static void ok(RoutingContext ctx, InferenceReply reply, Function<InferenceReply, Buffer> render) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Buffer body;
        try {
            body = render.apply(reply);
        } catch (InvalidRequest e) {
            ErrorResponses.send(ctx, ErrorCode.VALIDATION, ErrorResponses.body(ErrorCode.VALIDATION, e.path() + ": " + e.getMessage())
                    .put("path", e.path()));
            return;
        } catch (RuntimeException e) {
            // A reply this route cannot render is a bug; the caller still gets its one answer.
            String id = UUID.randomUUID().toString();
            log.error("error {} rendering the answer of {} {}", id, ctx.request().method(), ctx.request().path(), e);
            ErrorResponses.send(ctx, ErrorCode.INTERNAL, ErrorResponses.body(ErrorCode.INTERNAL, "internal error").put("id", id));
            return;
        }
        ctx.response().putHeader("content-type", "application/json").end(body);
    }

    /** A request that turned out, once answered, to ask what cannot be given; {@code path} is the field. */
    static final class InvalidRequest extends RuntimeException {

        private final String path;

        InvalidRequest(String path, String message) {
            super(message, null, false, false);
            this.path = path;
        }

        String path() {
            return path;
        }
    }

    private static void failed(RoutingContext ctx, String model, Throwable error) {
        if (!(error instanceof ReplyException reply)) {
            ctx.fail(error);
            return;
        }
        switch (reply.failureType()) {
            case NO_HANDLERS -> unavailable(ctx, "no inference worker is available for model " + model);
            case TIMEOUT -> ErrorResponses.send(ctx, ErrorCode.DEADLINE_EXCEEDED,
                    "no answer within the request deadline");
            default -> recipientFailure(ctx, reply);
        }
    }

    /** The recipient's failure, read back by its code ({@link BusFailure}), never by a status number. */
    private static void recipientFailure(RoutingContext ctx, ReplyException reply) {
        BusFailure failure = BusFailure.decode(reply);
        switch (failure.code()) {
            case OVERLOADED -> unavailable(ctx, failure.message());
            case CALLER_GONE -> ctx.response().reset();
            case INTERNAL -> {
                JsonObject body = ErrorResponses.body(ErrorCode.INTERNAL, "internal error");
                if (failure.id() != null) {
                    body.put("id", failure.id());
                }
                ErrorResponses.send(ctx, ErrorCode.INTERNAL, body);
            }
            default -> ErrorResponses.send(ctx, failure.code(), failure.message());
        }
    }

    private static void unavailable(RoutingContext ctx, String message) {
        ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        ErrorResponses.send(ctx, ErrorCode.OVERLOADED, message);
    }
}
