package dev.parlance.inference;

import dev.parlance.bus.ErrorCode;
import dev.parlance.config.BatchingConfig;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One model's queue: bounded admission on one side (never blocks: a full queue refuses at
 * once), batches for the workers on the other. This is where batching policy lives.
 */
final class JobQueue {

    private final BatchingConfig policy;
    private final ModelMetrics metrics;
    /** Oldest first. A list, not a deque: batches are picked from anywhere in it. */
    private final LinkedList<Job> jobs = new LinkedList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private boolean closed;

    JobQueue(BatchingConfig policy, ModelMetrics metrics) {
        this.policy = policy;
        this.metrics = metrics;
        metrics.queueDepth(this::depth);
    }

    /** Admits a job; false when the queue is full or closed. Never blocks. */
    boolean offer(Job job) {
        lock.lock();
        try {
            if (closed || jobs.size() >= policy.queueSize()) {
                return false;
            }
            jobs.addLast(job);
            arrived.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    int depth() {
        lock.lock();
        try {
            return jobs.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next batch: waits up to {@code waitMs} for a first job, then takes the oldest job
     * and, from the whole queue, others of similar length (estimated length within
     * {@code lengthSpread} of the oldest's), up to {@code maxBatchSize} jobs and
     * {@code maxBatchTokens} estimated tokens, waiting up to {@code maxBatchDelayMs} for more
     * if the batch is not full. Choosing by length from the whole queue, not in arrival order,
     * lets the forward passes pad little: with two workers, each would otherwise get half of
     * the queue to group. The oldest job always goes first, so none waits forever. Jobs nobody
     * waits for any more are answered (504, or 499 for a caller that left) and skipped.
     * Empty on timeout.
     */
    List<Job> take(long waitMs) throws InterruptedException {
        List<Job> batch = new ArrayList<>();
        List<Job> abandoned = new ArrayList<>();
        lock.lock();
        try {
            long waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMs);
            while (jobs.isEmpty() && !closed && waitNanos > 0) {
                waitNanos = arrived.awaitNanos(waitNanos);
            }
            long delayNanos = TimeUnit.MILLISECONDS.toNanos(policy.maxBatchDelayMs());
            int tokens = 0;
            double low = 0;
            double high = Double.MAX_VALUE;
            while (true) {
                for (Iterator<Job> it = jobs.iterator(); it.hasNext() && batch.size() < policy.maxBatchSize(); ) {
                    Job job = it.next();
                    if (job.abandoned()) {
                        it.remove();
                        abandoned.add(job);
                        continue;
                    }
                    if (batch.isEmpty()) {
                        low = job.lengthHint() / (1 + policy.lengthSpread());
                        high = job.lengthHint() * (1 + policy.lengthSpread());
                    } else if (job.lengthHint() < low || job.lengthHint() > high
                            || tokens + job.cost() > policy.maxBatchTokens()) {
                        continue;
                    }
                    it.remove();
                    batch.add(job);
                    tokens += job.cost();
                }
                if (batch.isEmpty() || batch.size() >= policy.maxBatchSize() || delayNanos <= 0 || closed) {
                    break;
                }
                delayNanos = arrived.awaitNanos(delayNanos);
            }
        } finally {
            lock.unlock();
        }
        abandoned.forEach(this::skip);
        return batch;
    }

    /** Refuses new jobs and hands back those still waiting, to be answered by the caller. */
    List<Job> close() {
        lock.lock();
        try {
            closed = true;
            List<Job> left = new ArrayList<>(jobs);
            jobs.clear();
            arrived.signalAll();
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Answers a job that will not run because nobody waits for it. */
    void skip(Job job) {
        boolean gone = job.request().cancellation().isCancelled();
        metrics.skipped(job.request().task(), gone);
        if (gone) {
            job.fail(ErrorCode.CALLER_GONE, "the caller went away; the job was skipped");
        } else {
            job.fail(ErrorCode.DEADLINE_EXCEEDED, "the deadline passed before the job could run; it was skipped");
        }
    }
}
