package dev.parlance.inference;

import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.InferenceRequest;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request waiting for, or being given, a forward pass. Whatever happens to it, its caller
 * gets exactly one reply: the first of succeed/fail wins and later calls do nothing.
 */
final class Job {

    private final InferenceRequest request;
    private final Message<?> message;
    private final boolean replyAsJson;
    private final int cost;
    private final AtomicBoolean replied = new AtomicBoolean();

    /**
     * @param replyAsJson answer with a plain JsonObject (for callers that sent JSON) rather
     *                    than an {@link InferenceReply}
     * @param cost        estimated tokens, for the batch budget
     */
    Job(InferenceRequest request, Message<?> message, boolean replyAsJson, int cost) {
        this.request = request;
        this.message = message;
        this.replyAsJson = replyAsJson;
        this.cost = cost;
    }

    InferenceRequest request() {
        return request;
    }

    int cost() {
        return cost;
    }

    /** Nobody would read the answer: the deadline passed or the caller went away. */
    boolean abandoned() {
        return request.expired() || request.cancellation().isCancelled();
    }

    void succeed(JsonObject body, int batchSize) {
        if (replied.compareAndSet(false, true)) {
            message.reply(replyAsJson ? body : new InferenceReply(body, batchSize));
        }
    }

    void fail(int code, String reason) {
        if (replied.compareAndSet(false, true)) {
            message.fail(code, reason);
        }
    }
}
