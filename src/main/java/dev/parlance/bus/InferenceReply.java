package dev.parlance.bus;

import io.vertx.core.json.JsonObject;

/**
 * The answer to an {@link InferenceRequest}: the task's response body, exactly as the HTTP
 * API returns it. Not modified after it is sent, so it can travel by reference.
 *
 * @param batchSize how many requests shared the forward pass that produced it (for logs and metrics)
 * @param tokens    tokens the job ran through the model, special tokens included, padding not
 *                  (what OpenAI's {@code usage.prompt_tokens} reports)
 */
public record InferenceReply(JsonObject body, int batchSize, int tokens) {
}
