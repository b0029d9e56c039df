package dev.parlance.bus;

/**
 * Failure codes of inference replies ({@link io.vertx.core.eventbus.ReplyException#failureCode()}).
 * They are HTTP status codes, so every caller, HTTP or not, reads them the same way.
 */
public final class Failure {

    /** The input is not acceptable (e.g. not valid against the task's schema). */
    public static final int BAD_INPUT = 400;
    /** The model does not serve the task asked for. */
    public static final int NOT_SERVED = 404;
    /** The caller went away before the job ran; the work was skipped. */
    public static final int GONE = 499;
    /** Something broke inside; the message carries an error id that is in the server log. */
    public static final int INTERNAL = 500;
    /** The model's queue is full; try again shortly. */
    public static final int OVERLOADED = 503;
    /** The job's deadline passed before it could run; the work was skipped. */
    public static final int DEADLINE = 504;

    private Failure() {
    }
}
