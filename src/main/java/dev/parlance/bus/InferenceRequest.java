package dev.parlance.bus;

import dev.parlance.api.Task;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One job for a model, sent to {@link Addresses#infer(String)}.
 *
 * <p>In the same JVM it travels by reference (see {@link InferenceRequestCodec}); across a
 * cluster, or from a caller that sends JSON, its form is
 * {@code {"task": "classification", "input": {...the HTTP request body...}, "timeoutMs": 30000}}.
 *
 * @param input        the task's request body, as the HTTP API takes it
 * @param deadline     epoch milliseconds after which the answer is no use to anyone
 * @param cancellation set when the caller has gone
 */
public record InferenceRequest(Task task, JsonObject input, long deadline, Cancellation cancellation) {

    public InferenceRequest {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(cancellation, "cancellation");
    }

    public static InferenceRequest of(Task task, JsonObject input, long timeoutMs) {
        return new InferenceRequest(task, input, System.currentTimeMillis() + timeoutMs, new Cancellation());
    }

    public long remainingMillis() {
        return deadline - System.currentTimeMillis();
    }

    public boolean expired() {
        return remainingMillis() <= 0;
    }

    /**
     * The JSON form; the deadline becomes a relative timeout so clocks of two hosts need not
     * agree. An expired request still says 1 ms (0 is not a timeout): the receiver answers
     * that the deadline passed.
     */
    public JsonObject toJson() {
        return new JsonObject()
                .put("task", task.path())
                .put("input", input)
                .put("timeoutMs", Math.max(1, remainingMillis()));
    }

    /**
     * Reads the JSON form. A caller may ask a shorter deadline than {@code maxTimeoutMs}, never
     * a longer one (as X-Timeout-Ms over HTTP); without {@code timeoutMs} it is
     * {@code maxTimeoutMs} away.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static InferenceRequest fromJson(JsonObject json, long maxTimeoutMs) {
        Object taskName = json.getValue("task");
        if (!(taskName instanceof String name)) {
            throw new IllegalArgumentException("/task: must be a string");
        }
        Task task = Task.fromPath(name).orElseThrow(() ->
                new IllegalArgumentException("/task: unknown task \"" + name + "\""));
        if (!(json.getValue("input") instanceof JsonObject input)) {
            throw new IllegalArgumentException("/input: must be an object");
        }
        Object timeout = json.getValue("timeoutMs");
        long timeoutMs = maxTimeoutMs;
        if (timeout != null) {
            if (!(timeout instanceof Integer || timeout instanceof Long) || ((Number) timeout).longValue() <= 0) {
                throw new IllegalArgumentException("/timeoutMs: must be a positive integer (milliseconds)");
            }
            timeoutMs = Math.min(((Number) timeout).longValue(), maxTimeoutMs);
        }
        return of(task, input, timeoutMs);
    }
}
