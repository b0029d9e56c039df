package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
import dev.parlance.bus.InferenceReply;
import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.api.Task;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Optional;

/**
 * OpenAI's embeddings API on {@code {root}/embeddings}, so that the openai clients work with
 * {@code baseURL = http://host:port{root}}: a body with {@code input} is OpenAI's
 * ({@code {input, model, encoding_format?, dimensions?}}), one with {@code sentences} stays
 * NLP Cloud's. The job itself is an ordinary {@link Task#EMBEDDINGS} job; only the request and
 * the answer are translated here, and errors after the body is read take OpenAI's shape.
 */
final class OpenAiEmbeddings {

    /** The field that tells an OpenAI body from NLP Cloud's {@code sentences}. */
    private static final String INPUT = "input";
    private static final String DIALECT_KEY = "parlance.openai";

    private final ParlanceConfig config;
    private final InferenceDispatch dispatch;

    OpenAiEmbeddings(ParlanceConfig config, InferenceDispatch dispatch) {
        this.config = config;
        this.dispatch = dispatch;
    }

    /** A body with {@code input} and without NLP Cloud's {@code sentences} is OpenAI's. */
    static boolean isOpenAiBody(JsonObject body) {
        return body.containsKey(INPUT) && !body.containsKey("sentences");
    }

    /** Errors of this request from now on take OpenAI's shape. */
    static void markOpenAi(RoutingContext ctx) {
        ctx.put(DIALECT_KEY, Boolean.TRUE);
    }

    static boolean isOpenAi(RoutingContext ctx) {
        return Boolean.TRUE.equals(ctx.get(DIALECT_KEY));
    }

    /**
     * Parlance's error body in OpenAI's shape ({@code schemas/openai-error.json}): the code stays
     * Parlance's (but {@code model_not_found}, which OpenAI's clients know), the field at fault
     * becomes {@code param}.
     */
    static JsonObject error(int status, JsonObject body) {
        String code = body.getString("error");
        String message = body.getString("message");
        if (body.getString("id") != null) {
            message = message + " (error id " + body.getString("id") + ")";
        }
        return new JsonObject().put("error", new JsonObject()
                .put("message", message)
                .put("type", status >= 500 ? "server_error" : "invalid_request_error")
                .put("param", param(body.getString("path")))
                .put("code", "unknown_model".equals(code) ? "model_not_found" : code));
    }

    /** "/input/3" names the field "input". */
    private static String param(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        int end = path.indexOf('/', 1);
        return path.substring(1, end < 0 ? path.length() : end).replace("~1", "/").replace("~0", "~");
    }

    /**
     * @param urlModel the model the URL names (already checked), or null on {@code {root}/embeddings},
     *                 where the body's {@code model} chooses
     */
    void handle(RoutingContext ctx, String urlModel) {
        JsonObject body = InferenceDispatch.body(ctx);
        String requested = body.getString("model");
        String model = urlModel;
        if (model == null) {
            Optional<ModelConfig> named = config.model(requested);
            if (named.isEmpty()) {
                ErrorResponses.send(ctx, ErrorCode.UNKNOWN_MODEL, ErrorResponses.body(ErrorCode.UNKNOWN_MODEL, "the model \"" + requested
                        + "\" does not exist: name a configured model or one of its aliases").put("path", "/model"));
                return;
            }
            if (!Task.EMBEDDINGS.servedBy(named.get().kind())) {
                ErrorResponses.send(ctx, ErrorCode.TASK_NOT_SERVED, ErrorResponses.body(ErrorCode.TASK_NOT_SERVED, "model \"" + requested
                        + "\" does not make embeddings").put("path", "/model"));
                return;
            }
            model = named.get().name();
        }
        Object input = body.getValue(INPUT);
        JsonArray sentences = input instanceof String text ? new JsonArray().add(text) : (JsonArray) input;
        boolean base64 = "base64".equals(body.getString("encoding_format"));
        Integer dimensions = body.getInteger("dimensions");
        dispatch.dispatch(ctx, Task.EMBEDDINGS, model, new JsonObject().put("sentences", sentences),
                reply -> answer(reply, requested, base64, dimensions).toBuffer());
    }

    private static JsonObject answer(InferenceReply reply, String model, boolean base64, Integer dimensions) {
        JsonArray embeddings = reply.object().getJsonArray("embeddings");
        JsonArray data = new JsonArray(new ArrayList<>(embeddings.size()));
        for (int i = 0; i < embeddings.size(); i++) {
            JsonArray vector = embeddings.getJsonArray(i);
            if (dimensions != null && dimensions != vector.size()) {
                // Known only once answered (on a cluster the gateway has not loaded the model).
                throw new InferenceDispatch.InvalidRequest("/dimensions", "this model makes " + vector.size()
                        + "-dimensional embeddings and does not shorten them: leave dimensions out or send " + vector.size());
            }
            data.add(new JsonObject().put("object", "embedding").put("index", i)
                    .put("embedding", base64 ? base64(vector) : vector));
        }
        return new JsonObject().put("object", "list").put("data", data).put("model", model)
                .put("usage", new JsonObject().put("prompt_tokens", reply.tokens()).put("total_tokens", reply.tokens()));
    }

    /** OpenAI's base64 format: the vector's float32 values, little-endian, base64-encoded. */
    private static String base64(JsonArray vector) {
        ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * vector.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vector.size(); i++) {
            bytes.putFloat(((Number) vector.getValue(i)).floatValue());
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
