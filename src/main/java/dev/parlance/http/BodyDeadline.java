package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * A request's body must arrive within the read timeout; a client sending it slower gets 408
 * and its connection is closed, so slow bodies cannot hold connections either. Once the body
 * is in, the request's own deadline (504) takes over.
 */
final class BodyDeadline implements PlatformHandler {

    private static final String RECEIVED = "parlance.bodyReceived";

    private final long timeoutMs;

    BodyDeadline(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** To run right after the body handler: the body is in, the deadline no longer applies. */
    static void received(RoutingContext ctx) {
        ctx.put(RECEIVED, true);
        ctx.next();
    }

    @Override
    public void handle(RoutingContext ctx) {
        long timer = ctx.vertx().setTimer(timeoutMs, id -> {
            if (ctx.get(RECEIVED) == null && !ctx.response().ended()) {
                ctx.response().putHeader("connection", "close");
                ErrorResponses.send(ctx, ErrorCode.REQUEST_TIMEOUT, "the request body did not arrive in time");
                ctx.request().connection().close();
            }
        });
        ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }
}
