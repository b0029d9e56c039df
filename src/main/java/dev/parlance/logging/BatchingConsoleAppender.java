package dev.parlance.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes log lines to stdout in batches, for the access log: one line per request would
 * otherwise cost a thread wake-up and a write system call per request (logback's AsyncAppender
 * wakes its worker for each line when it is idle, and ConsoleAppender flushes every line):
 * about one more context switch per request under load (BENCHMARKS.md, "The access log's cost").
 *
 * <p>The thread that logs (an event loop) only offers the event to a bounded queue and never
 * waits: when the queue is full (stdout is a stalled pipe, a log shipper is behind) the line is
 * dropped and counted, and the next write reports the count as a warning on this class's logger.
 * One writer thread sleeps until a line arrives, lets {@code flushMillis} more lines gather, and
 * writes them all with one write and one flush. Stopping the appender (Main stops logback on
 * SIGTERM) writes out what is queued.
 *
 * <pre>{@code
 * <appender name="ACCESS" class="dev.parlance.logging.BatchingConsoleAppender">
 *   <queueSize>8192</queueSize>
 *   <flushMillis>100</flushMillis>
 *   <encoder class="ch.qos.logback.classic.encoder.PatternLayoutEncoder"><pattern>%msg%n</pattern></encoder>
 * </appender>
 * }</pre>
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private static final Logger log = LoggerFactory.getLogger(BatchingConsoleAppender.class);
    /** How long stop() waits for the writer to write out what is queued. */
    private static final long STOP_WAIT_MILLIS = 1000;

    private final OutputStream target;
    private final AtomicLong dropped = new AtomicLong();
    private Encoder<ILoggingEvent> encoder;
    private int queueSize = 8192;
    private long flushMillis = 100;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread writer;

    public BatchingConsoleAppender() {
        this(System.out);
    }

    /** For tests: writes to {@code target} instead of stdout. */
    BatchingConsoleAppender(OutputStream target) {
        this.target = target;
    }

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setFlushMillis(long flushMillis) {
        this.flushMillis = flushMillis;
    }

    @Override
    public void start() {
        if (encoder == null || queueSize < 1 || flushMillis < 0) {
            addError("BatchingConsoleAppender " + name + " needs an encoder, queueSize >= 1 and flushMillis >= 0");
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        writer = new Thread(this::writeLoop, "log-writer-" + name);
        writer.setDaemon(true);
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        writer.interrupt();
        try {
            writer.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<ILoggingEvent> batch = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
        boolean running = true;
        while (running) {
            try {
                batch.add(queue.take());
                // Let the batch fill: one wake-up and one write per interval under load, none when idle.
                Thread.sleep(flushMillis);
            } catch (InterruptedException stopping) {
                running = false;
            }
            queue.drainTo(batch);
            write(batch, buffer);
            batch.clear();
            buffer.reset();
        }
    }

    private void write(List<ILoggingEvent> batch, ByteArrayOutputStream buffer) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            log.warn("{} lines for {} were dropped: the log output did not keep up", lost, name);
        }
        if (batch.isEmpty()) {
            return;
        }
        for (ILoggingEvent event : batch) {
            buffer.writeBytes(encoder.encode(event));
        }
        try {
            buffer.writeTo(target);
            target.flush();
        } catch (IOException | RuntimeException e) {
            addError("could not write " + batch.size() + " log lines", e);
        }
    }
}
