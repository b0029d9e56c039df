package dev.parlance.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes the one error body shape of the API ({@code schemas/error.json}):
 * {@code {"error": "<stable code>", "message": "...", "path": "/field", "id": "..."}}.
 */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static void send(RoutingContext ctx, int status, String code, String message) {
        send(ctx, status, new JsonObject().put("error", code).put("message", message));
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(body.toBuffer());
    }

    static JsonObject body(String code, String message) {
        return new JsonObject().put("error", code).put("message", message);
    }
}
