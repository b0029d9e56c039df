package dev.parlance.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only Vert.x's report of a failed clustered write is taken for a lost write; anything else stays an error. */
class LostEventBusWritesTest {

    private static IllegalStateException thrownAt(String message, String className, String method) {
        IllegalStateException e = new IllegalStateException(message);
        e.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 104),
                new StackTraceElement(className, method, "X.java", 86),
        });
        return e;
    }

    @Test
    void aFailedWriteOnAClusterConnectionIsALostWrite() {
        assertTrue(LostEventBusWrites.isLostWrite(thrownAt("Promise already completed",
                "io.vertx.core.eventbus.impl.clustered.OutboundConnection", "writeMessage")));
    }

    @Test
    void otherExceptionsAreNot() {
        assertFalse(LostEventBusWrites.isLostWrite(thrownAt("Promise already completed",
                "dev.parlance.cluster.ClusterDispatcher", "attempt")), "a double completion of our own is a bug");
        assertFalse(LostEventBusWrites.isLostWrite(thrownAt("something else",
                "io.vertx.core.eventbus.impl.clustered.OutboundConnection", "writeMessage")));
        assertFalse(LostEventBusWrites.isLostWrite(new RuntimeException("Promise already completed")));
    }
}
