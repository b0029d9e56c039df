package dev.parlance.cluster;

import io.vertx.core.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x exception handler of a cluster member. It exists for one Vert.x 5.0.7 defect: when
 * a write on a clustered event-bus connection fails (the node at the other end has just died
 * and its socket is closed, but Hazelcast has not dropped it yet), {@code OutboundConnection}
 * hands the failure to the message's write promise with {@code Promise.fail}, and that promise
 * ({@code OutboundDeliveryContext}) answers {@code false} to every {@code tryFail}, so
 * {@code fail} throws {@code IllegalStateException("Promise already completed")}. Nothing was
 * completed twice: one write failed. The message is lost; its job is sent again when the
 * cluster drops the node, or when the node is found silent ({@link ClusterDispatcher}).
 * That is an expected consequence of a node's death, told in one WARN line without a stack
 * trace; every other unhandled exception is logged as Vert.x logs it, at ERROR.
 */
public final class LostEventBusWrites implements Handler<Throwable> {

    private static final Logger log = LoggerFactory.getLogger(LostEventBusWrites.class);
    private static final Logger vertxLog = LoggerFactory.getLogger("io.vertx.core.impl.ContextImpl");
    private static final String OUTBOUND_CONNECTION = "io.vertx.core.eventbus.impl.clustered.OutboundConnection";

    @Override
    public void handle(Throwable error) {
        if (isLostWrite(error)) {
            log.warn("an event-bus message to a cluster node was lost: its connection had just closed "
                    + "(the node is probably dying; its jobs are sent elsewhere once it is gone or found silent)");
        } else {
            vertxLog.error("Unhandled exception", error);
        }
    }

    static boolean isLostWrite(Throwable error) {
        if (!(error instanceof IllegalStateException) || !"Promise already completed".equals(error.getMessage())) {
            return false;
        }
        for (StackTraceElement frame : error.getStackTrace()) {
            if (frame.getClassName().equals(OUTBOUND_CONNECTION) && frame.getMethodName().equals("writeMessage")) {
                return true;
            }
        }
        return false;
    }
}
