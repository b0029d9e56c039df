package dev.parlance.inference;

import dev.parlance.bus.BusFailure;
import dev.parlance.bus.ErrorCode;
import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.InferenceRequest;
import dev.parlance.cluster.ReplyCheck;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request waiting for, or being given, a forward pass. Whatever happens to it, its caller
 * gets exactly one reply: the first of succeed/fail wins and later calls do nothing.
 */
final class Job {

    /** Whoever waits for the answer: an event-bus message in production. */
    interface Caller {
        void reply(Object body);

        void fail(BusFailure failure);

        /**
         * Replies go out on the context that received the message (an event loop), not on the
         * worker thread that computed them: a clustered reply may need a new connection, whose
         * callbacks would otherwise queue behind the worker's never-ending loop. In one JVM the
         * extra hop costs nothing measurable (A/B at 64 clients on 2 cores: within the noise).
         */
        static Caller of(io.vertx.core.eventbus.Message<?> message, io.vertx.core.Context context) {
            return new Caller() {
                @Override
                public void reply(Object body) {
                    // The job's token goes back with the answer: the gateway's proof that it is ours.
                    context.runOnContext(v -> message.reply(body, ReplyCheck.echo(message)));
                }

                @Override
                public void fail(BusFailure failure) {
                    context.runOnContext(v -> failure.failOn(message));
                }
            };
        }
    }

    private final InferenceRequest request;
    private final Caller caller;
    private final boolean replyAsJson;
    private final int cost;
    private final int lengthHint;
    private final AtomicBoolean replied = new AtomicBoolean();
    /** Jobs are made as they are offered to the queue: this is when the wait began. */
    private final long admittedNanos = System.nanoTime();

    /**
     * @param replyAsJson answer with the plain JSON body (for callers that sent JSON) rather
     *                    than an {@link InferenceReply}
     * @param cost        estimated tokens of all its sequences, for the batch budget
     * @param lengthHint  estimated tokens of its typical sequence, to batch it with its like
     */
    Job(InferenceRequest request, Caller caller, boolean replyAsJson, int cost, int lengthHint) {
        this.request = request;
        this.caller = caller;
        this.replyAsJson = replyAsJson;
        this.cost = cost;
        this.lengthHint = lengthHint;
    }

    InferenceRequest request() {
        return request;
    }

    int cost() {
        return cost;
    }

    int lengthHint() {
        return lengthHint;
    }

    long admittedNanos() {
        return admittedNanos;
    }

    /** Nobody would read the answer: the deadline passed or the caller went away. */
    boolean abandoned() {
        return request.expired() || request.cancellation().isCancelled();
    }

    void succeed(Object body, int batchSize, int tokens) {
        if (replied.compareAndSet(false, true)) {
            caller.reply(replyAsJson ? body : new InferenceReply(body, batchSize, tokens));
        }
    }

    /** @return whether this was the job's answer (false: it had been answered already) */
    boolean fail(ErrorCode code, String reason) {
        return fail(BusFailure.of(code, reason));
    }

    /** @return whether this was the job's answer (false: it had been answered already) */
    boolean fail(BusFailure failure) {
        if (replied.compareAndSet(false, true)) {
            caller.fail(failure);
            return true;
        }
        return false;
    }
}
