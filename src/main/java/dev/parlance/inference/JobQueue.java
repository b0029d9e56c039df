package dev.parlance.inference;

import dev.parlance.bus.Failure;
import dev.parlance.config.BatchingConfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
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
     * The next batch: waits up to {@code waitMs} for a first job, then takes what is queued up
     * to {@code maxBatchSize} jobs and {@code maxBatchTokens} estimated tokens, waiting up to
     * {@code maxBatchDelayMs} for more if the batch is not full. Jobs nobody waits for any
     * more are answered (504, or 499 for a caller that left) and skipped. Empty on timeout.
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
            int tokens = 0;
            long delayNanos = TimeUnit.MILLISECONDS.toNanos(policy.maxBatchDelayMs());
            while (batch.size() < policy.maxBatchSize()) {
                Job next = jobs.peekFirst();
                if (next == null) {
                    if (batch.isEmpty() || delayNanos <= 0 || closed) {
                        break;
                    }
                    delayNanos = arrived.awaitNanos(delayNanos);
                    continue;
                }
                if (next.abandoned()) {
                    abandoned.add(jobs.pollFirst());
                    continue;
                }
                if (!batch.isEmpty() && tokens + next.cost() > policy.maxBatchTokens()) {
                    break;
                }
                tokens += next.cost();
                batch.add(jobs.pollFirst());
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
        metrics.skipped(gone);
        if (gone) {
            job.fail(Failure.GONE, "the caller went away; the job was skipped");
        } else {
            job.fail(Failure.DEADLINE, "the deadline passed before the job could run; it was skipped");
        }
    }
}
