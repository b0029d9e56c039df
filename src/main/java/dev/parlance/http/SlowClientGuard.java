package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * Cuts off clients that send a request's headers too slowly (slowloris). Vert.x closes idle
 * connections, but a client that trickles one byte every few seconds is never idle. So each
 * connection gets a deadline for the headers of its next request: from the moment it opens,
 * and again after each response; the headers arriving clear it. Past it, the connection is
 * closed. Body deadlines are the routes' job ({@link BodyDeadline}). One instance per HTTP
 * verticle: everything here runs on that verticle's event loop, so no locking.
 */
final class SlowClientGuard {

    private static final String REARM_ADDED = "parlance.rearmAdded";

    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<HttpConnection, Long> timers = new HashMap<>();
    /** Requests whose headers arrived, per connection: a response re-arms only if no later request began. */
    private final Map<HttpConnection, Long> requestsSeen = new HashMap<>();

    SlowClientGuard(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.timeoutMs = timeoutMs;
    }

    /** A new connection: its first request's headers must arrive in time. */
    void watch(HttpConnection connection) {
        arm(connection);
    }

    /** The connection closed: nothing left to watch. */
    void forget(HttpConnection connection) {
        disarm(connection);
        requestsSeen.remove(connection);
    }

    /** Wraps the request handler: the headers arrived in time. */
    Handler<HttpServerRequest> around(Handler<HttpServerRequest> next) {
        return request -> {
            disarm(request.connection());
            requestsSeen.merge(request.connection(), 1L, Long::sum);
            next.handle(request);
        };
    }

    /** The router's first handler: see {@link #rearmOnce}. */
    void rearmAfterResponse(RoutingContext ctx) {
        rearmOnce(ctx);
        ctx.next();
    }

    /**
     * Once this response is done, the connection's next request gets the same deadline. Called
     * by the router's first handler and by its error handlers too, since the router answers
     * some requests (no Host header, a path without "/") before any route runs. It must be a
     * routing-context end handler: Vert.x Web takes over the response's own end and close
     * handlers for its end handlers, so a handler set on the response directly is silently
     * replaced (which let a keep-alive connection trickle the headers of its second request
     * for as long as it liked). A pipelined request that already began is not put on the clock.
     */
    void rearmOnce(RoutingContext ctx) {
        if (ctx.get(REARM_ADDED) != null) {
            return;
        }
        ctx.put(REARM_ADDED, true);
        HttpConnection connection = ctx.request().connection();
        Long seen = requestsSeen.get(connection);
        ctx.addEndHandler(done -> {
            if (done.succeeded() && !ctx.response().closed() && seen != null && seen.equals(requestsSeen.get(connection))) {
                arm(connection);
            }
        });
    }

    private void arm(HttpConnection connection) {
        disarm(connection);
        timers.put(connection, vertx.setTimer(timeoutMs, id -> {
            timers.remove(connection);
            connection.close();
        }));
    }

    private void disarm(HttpConnection connection) {
        Long timer = timers.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Requests Netty could not parse: a request line or headers over the limits get 414 or
     * 431, anything else 400, each with the API's JSON error body; then the connection closes.
     */
    static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String name = cause == null ? "" : cause.getClass().getSimpleName();
        int status;
        JsonObject body;
        if (name.equals("TooLongHttpLineException")) {
            status = 414;
            body = ErrorResponses.body(ErrorCode.URI_TOO_LONG, "the request line is longer than the configured limit");
        } else if (name.equals("TooLongHttpHeaderException")) {
            status = 431;
            body = ErrorResponses.body(ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than the configured limit");
        } else {
            status = 400;
            body = ErrorResponses.body(ErrorCode.BAD_REQUEST, "the request is not valid HTTP");
        }
        request.response().setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader("connection", "close").end(body.toBuffer())
                .onComplete(v -> request.connection().close());
    }
}
