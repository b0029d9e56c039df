package dev.parlance.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Vert.x logs at ERROR, as "Connection reset", any socket reset by its peer that has no
 * exception handler, and the clustered event bus sets none on its connections: every node
 * that crashes (kill -9, OOM kill, power loss) leaves such a line in the log of each member
 * it talked to. A peer that resets a connection is an event of the network, not a fault of
 * this process: the line is told at WARN instead. Every other Vert.x connection error keeps
 * its ERROR (a failed TLS handshake, for instance).
 */
public final class PeerResetLogFilter extends TurboFilter {

    private static final String CONNECTION_BASE = "io.vertx.core.net.impl.ConnectionBase";
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(PeerResetLogFilter.class);

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.ERROR && logger.getName().equals(CONNECTION_BASE) && isPeerReset(format)) {
            log.warn("a connection was reset by its peer ({})", format);
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    static boolean isPeerReset(String message) {
        return "Connection reset".equals(message) || "Connection reset by peer".equals(message);
    }
}
