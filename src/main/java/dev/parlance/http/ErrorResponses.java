package dev.parlance.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes the error body shape of the API ({@code schemas/error.json}):
 * {@code {"error": "<stable code>", "message": "...", "path": "/field", "id": "..."}}, or the
 * same error in OpenAI's shape when the request was read as OpenAI's ({@link OpenAiEmbeddings}).
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
        JsonObject shaped = OpenAiEmbeddings.isOpenAi(ctx) ? OpenAiEmbeddings.error(status, body) : body;
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(shaped.toBuffer());
    }

    static JsonObject body(String code, String message) {
        return new JsonObject().put("error", code).put("message", message);
    }
}
