package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
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

    static void send(RoutingContext ctx, ErrorCode code, String message) {
        send(ctx, code, body(code, message));
    }

    /** @param body made by {@link #body}, with the fields the error needs added ({@code path}, {@code id}) */
    static void send(RoutingContext ctx, ErrorCode code, JsonObject body) {
        int status = code.status();
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        JsonObject shaped = OpenAiEmbeddings.isOpenAi(ctx) ? OpenAiEmbeddings.error(status, body) : body;
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(shaped.toBuffer());
    }

    static JsonObject body(ErrorCode code, String message) {
        return new JsonObject().put("error", code.code()).put("message", message);
    }
}
