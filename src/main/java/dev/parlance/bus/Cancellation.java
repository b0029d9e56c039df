package dev.parlance.bus;

/**
 * Set by the caller's side when nobody waits for the answer any more (the HTTP client went
 * away), read by the inference side before spending a forward pass on the job. Local only:
 * it does not cross a cluster.
 */
public final class Cancellation {

    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
