package dev.parlance.cluster;

import dev.parlance.bus.Addresses;
import dev.parlance.bus.BusFailure;
import dev.parlance.bus.Dispatcher;
import dev.parlance.bus.ErrorCode;
import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.InferenceRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway's way to the models. Each job goes to the node serving its model that owes the
 * fewest answers, skipping nodes that owe answers and have given none for a while
 * ({@link NodeLoad}: a frozen or cut-off node gets no new jobs, a busy one gets fewer).
 *
 * <p>A job is sent at most twice. Its second send goes to another node when its first node
 * left the cluster, withdrew its model (no consumer any more), or went silent with the job
 * still unanswered: inference has no side effects, so a second run can only cost time. The
 * first result is the answer, and so is an error that any node would give (bad input); an
 * error about one node's state (its queue full) waits for the other send, if one is out. The
 * reply that comes second, if any, is dropped: every caller gets exactly one answer. A job never
 * waits past its deadline, and never waits for a node that is gone.
 *
 * <p>An answer reaches the caller only if {@link ReplyCheck} finds it came from the node it was
 * sent to and has the task's response shape; otherwise it counts as no answer from that node
 * (the other send, if one is out, may still answer) and the log says why.
 *
 * <p>Threads: a job's state is touched only on its caller's context; {@link NodeLoad} is shared.
 */
public final class ClusterDispatcher implements Dispatcher {

    private final Vertx vertx;
    private static final Logger log = LoggerFactory.getLogger(ClusterDispatcher.class);

    private final NodeDirectory directory;
    private final ReplyCheck replies;
    private final NodeLoad<Attempt> load;
    private final Counter resentLeft;
    private final Counter resentWithdrawn;
    private final Counter resentSilent;

    /** @param suspectAfterMs silence after which a node owing answers gets no new jobs and its jobs go elsewhere */
    public ClusterDispatcher(Vertx vertx, NodeDirectory directory, MeterRegistry registry, long suspectAfterMs,
                             ReplyCheck replies) {
        this.vertx = vertx;
        this.directory = directory;
        this.replies = replies;
        this.load = new NodeLoad<>(suspectAfterMs, () -> System.nanoTime() / 1_000_000);
        this.resentLeft = resent(registry, "left");
        this.resentWithdrawn = resent(registry, "withdrawn");
        this.resentSilent = resent(registry, "silent");
        directory.onNodeLeft(this::nodeLeft);
        // A silent node's jobs are found within a quarter of the threshold after it is reached.
        vertx.setPeriodic(Math.max(50, suspectAfterMs / 4), id -> resendFromSilentNodes());
    }

    private static Counter resent(MeterRegistry registry, String reason) {
        return Counter.builder("parlance.cluster.resent")
                .description("jobs sent a second time, to another node, because their first node left the cluster,"
                        + " withdrew its model, or went silent")
                .tag("reason", reason).register(registry);
    }

    /** One caller's job. Touched only on its caller's context. */
    private static final class Job {
        final String model;
        final InferenceRequest request;
        final Promise<InferenceReply> answer = Promise.promise();
        final Context context;
        /** Sends awaiting a reply. */
        int pending;
        /** Read by the sweep on another thread, to skip jobs already sent twice. */
        volatile boolean resent;

        Job(String model, InferenceRequest request, Context context) {
            this.model = model;
            this.request = request;
            this.context = context;
        }
    }

    /** One send of a job to one node; identity is what counts. */
    private record Attempt(Job job, String node, long id, String token) {
    }

    private final AtomicLong attempts = new AtomicLong();

    @Override
    public Future<InferenceReply> send(String model, InferenceRequest request) {
        Job job = new Job(model, request, vertx.getOrCreateContext());
        if (!dispatch(job, null)) {
            job.answer.tryFail(new ReplyException(ReplyFailure.NO_HANDLERS, "no inference node serves model " + model));
        }
        return job.answer.future();
    }

    @Override
    public boolean serves(String model) {
        return !directory.nodesFor(model).isEmpty();
    }

    /** Sends the job to the best node other than {@code avoid}; false if there is none. */
    private boolean dispatch(Job job, String avoid) {
        List<String> nodes = directory.nodesFor(job.model).stream().filter(n -> !n.equals(avoid)).toList();
        if (nodes.isEmpty()) {
            return false;
        }
        if (job.request.expired()) {
            job.answer.tryFail(new ReplyException(ReplyFailure.TIMEOUT, "the deadline passed"));
            return true;
        }
        String node = load.choose(nodes);
        Attempt attempt = new Attempt(job, node, attempts.incrementAndGet(), replies.newToken());
        job.pending++;
        load.sent(node, attempt);
        vertx.eventBus().<InferenceReply>request(Addresses.inferOn(job.model, node), job.request,
                        replies.mark(new DeliveryOptions().setSendTimeout(Math.max(1, job.request.remainingMillis())),
                                attempt.token()))
                .onComplete(ar -> replied(attempt, ar));
        return true;
    }

    private void replied(Attempt attempt, AsyncResult<Message<InferenceReply>> ar) {
        boolean fromNode = ar.succeeded()
                || ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE;
        if (!load.finished(attempt.node(), attempt, fromNode)) {
            return; // given up when its node left: already accounted for
        }
        Job job = attempt.job();
        job.pending--;
        Optional<String> problem = ar.succeeded() ? replies.problem(ar.result(), attempt.token(), job.request.task())
                : Optional.empty();
        if (problem.isPresent()) {
            String id = UUID.randomUUID().toString();
            log.warn("error {}: rejected the answer of node {} to a {} job: {}", id, attempt.node(),
                    job.request.task().path(), problem.get());
            if (job.pending == 0) {
                job.answer.tryFail(new BusFailure(ErrorCode.INTERNAL, "internal error", id).toException());
            }
        } else if (ar.succeeded()) {
            job.answer.tryComplete(ar.result().body());
        } else if (job.pending > 0 && (!fromNode || nodeCondition((ReplyException) ar.cause()))) {
            return; // no verdict on the job itself, and the other send may still answer
        } else if (!fromNode && ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS
                && resendable(job)) {
            job.resent = true;
            resentWithdrawn.increment();
            if (!dispatch(job, attempt.node())) {
                job.answer.tryFail(ar.cause());
            }
        } else {
            job.answer.tryFail(ar.cause());
        }
    }

    /**
     * A node's error that says something about the node, not about the job: its queue was
     * full (a frozen node thawing has a backlog), the job waited past its deadline there, or
     * it thought the caller gone. Any other error (bad input, a task the model lacks, an
     * internal error) would come from every node alike: it is the answer.
     */
    private static boolean nodeCondition(ReplyException e) {
        ErrorCode code = BusFailure.decode(e).code();
        return code == ErrorCode.OVERLOADED || code == ErrorCode.DEADLINE_EXCEEDED || code == ErrorCode.CALLER_GONE;
    }

    private static boolean resendable(Job job) {
        return !job.resent && !job.answer.future().isComplete() && !job.request.expired();
    }

    private void nodeLeft(String node) {
        for (Attempt orphan : load.left(node)) {
            Job job = orphan.job();
            job.context.runOnContext(v -> {
                job.pending--;
                if (job.pending > 0 || job.answer.future().isComplete()) {
                    return;
                }
                if (resendable(job) && serves(job.model)) {
                    job.resent = true;
                    resentLeft.increment();
                    if (dispatch(job, node)) {
                        return;
                    }
                }
                job.answer.tryFail(BusFailure.of(ErrorCode.OVERLOADED,
                        "the inference node serving this job left the cluster").toException());
            });
        }
    }

    /**
     * A node owing answers that has given none for the threshold is probably frozen: its jobs
     * are sent once more, to a node that is not suspect, while the first send stays open (if
     * the node wakes up in time, whichever answers first wins).
     */
    private void resendFromSilentNodes() {
        load.owedBySuspects().forEach((node, owed) -> {
            for (Attempt attempt : owed) {
                Job job = attempt.job();
                if (job.resent) {
                    continue;
                }
                job.context.runOnContext(v -> {
                    if (!resendable(job)) {
                        return;
                    }
                    List<String> healthy = directory.nodesFor(job.model).stream()
                            .filter(n -> !n.equals(node) && !load.suspect(n)).toList();
                    if (healthy.isEmpty()) {
                        return; // nowhere better: keep waiting (the cluster may yet drop the node)
                    }
                    job.resent = true;
                    resentSilent.increment();
                    dispatch(job, node);
                });
            }
        });
    }
}
