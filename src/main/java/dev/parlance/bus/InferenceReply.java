package dev.parlance.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The answer to an {@link InferenceRequest}: the task's response body, exactly as the HTTP
 * API returns it. Not modified after it is sent, so it can travel by reference.
 *
 * @param body      a JsonObject, or a JsonArray for the tasks whose API answers with a list
 *                  (rerank, tokenize, text-classification)
 * @param batchSize how many requests shared the forward pass that produced it (for logs and metrics)
 * @param tokens    tokens the job ran through the model, special tokens included, padding not
 *                  (what OpenAI's {@code usage.prompt_tokens} reports)
 */
public record InferenceReply(Object body, int batchSize, int tokens) {

    public InferenceReply {
        if (!(Objects.requireNonNull(body, "body") instanceof JsonObject || body instanceof JsonArray)) {
            throw new IllegalArgumentException("a reply body is a JsonObject or a JsonArray, not " + body.getClass().getName());
        }
    }

    /** The body of a task that answers with an object. */
    public JsonObject object() {
        return (JsonObject) body;
    }

    public Buffer toBuffer() {
        return body instanceof JsonObject o ? o.toBuffer() : ((JsonArray) body).toBuffer();
    }
}
