package dev.parlance.inference;

import io.vertx.core.json.JsonObject;

/**
 * Joins a task's request body to its math in {@code tasks/}: tokenizes the input into
 * sequences and maps the model outputs back into the response body. Runs on worker threads.
 * A new task is one of these plus its class in {@code tasks/} and its schemas.
 */
interface TaskPipeline {

    /**
     * @throws IllegalArgumentException when the input cannot be served (answered with 400)
     */
    Work prepare(JsonObject input);
}
