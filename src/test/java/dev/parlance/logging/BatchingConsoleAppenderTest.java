package dev.parlance.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import dev.parlance.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log's appender: whole lines in order, bounded, never blocking the caller, flushed at stop. */
class BatchingConsoleAppenderTest {

    private final LoggerContext context = new LoggerContext();
    private final Logger access = context.getLogger("parlance.access");
    private BatchingConsoleAppender appender;

    BatchingConsoleAppenderTest() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // as logback's own start sets it: events read it
    }

    @AfterEach
    void stop() {
        if (appender != null) {
            appender.stop();
        }
    }

    @Test
    void linesArriveWholeAndInOrder() throws Exception {
        Capture out = new Capture();
        appender = started(out, 100, 10);
        IntStream.range(0, 50).forEach(i -> appender.doAppend(event("{\"n\":" + i + "}")));
        TestServer.await("50 lines are written", () -> out.lines().size() == 50);
        assertEquals(IntStream.range(0, 50).mapToObj(i -> "{\"n\":" + i + "}").toList(), out.lines());
    }

    @Test
    void stopWritesOutWhatIsQueued() throws Exception {
        Capture out = new Capture();
        appender = started(out, 100, 3_600_000); // the writer would wait an hour for more lines
        appender.doAppend(event("one"));
        appender.doAppend(event("two"));
        appender.doAppend(event("three"));
        appender.stop();
        TestServer.await("the queued lines are written", () -> out.lines().size() == 3);
        assertEquals(List.of("one", "two", "three"), out.lines());
    }

    /**
     * stdout stalls (a full pipe): the callers, event loops in the server, go on; the queue holds
     * its size, the rest is dropped and counted, and the count is reported once output moves again.
     */
    @Test
    void aStalledOutputDropsAndCountsInsteadOfBlocking() throws Exception {
        Capture out = new Capture();
        out.stall();
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        Logger own = (Logger) LoggerFactory.getLogger(BatchingConsoleAppender.class);
        own.addAppender(warnings);
        own.setAdditive(false); // the expected warning stays out of the build output
        try {
            appender = started(out, 4, 0);
            appender.doAppend(event("first"));
            out.writing.await(); // the writer holds "first" and is stuck in write
            for (int i = 0; i < 10; i++) {
                appender.doAppend(event("line " + i)); // returns at once: 4 are queued, 6 dropped
            }
            out.release.countDown();
            TestServer.await("the queued lines are written", () -> out.lines().size() == 5);
            TestServer.await("the drop is reported", () -> messages(warnings).size() == 1);
            appender.doAppend(event("after"));
            TestServer.await("output goes on", () -> out.lines().size() == 6);
        } finally {
            own.detachAppender(warnings);
            own.setAdditive(true);
        }
        assertEquals(List.of("first", "line 0", "line 1", "line 2", "line 3", "after"), out.lines());
        assertEquals(List.of("6 lines for access were dropped: the log output did not keep up"), messages(warnings));
    }

    /** The shipped logback.xml sets the access log up with this appender, and logback takes every setting. */
    @Test
    void theShippedConfigurationUsesItForTheAccessLog() throws Exception {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getClassLoader().getResource("logback.xml"));
        try {
            assertEquals(List.of(), context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(status -> status.getEffectiveLevel() >= Status.WARN).map(Status::getMessage).toList());
            Appender<ILoggingEvent> configured = context.getLogger("parlance.access").getAppender("ACCESS");
            assertTrue(configured instanceof BatchingConsoleAppender && configured.isStarted(), String.valueOf(configured));
            assertEquals(false, context.getLogger("parlance.access").isAdditive());
        } finally {
            context.stop();
        }
    }

    private BatchingConsoleAppender started(OutputStream out, int queueSize, long flushMillis) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        BatchingConsoleAppender started = new BatchingConsoleAppender(out);
        started.setContext(context);
        started.setName("access");
        started.setEncoder(encoder);
        started.setQueueSize(queueSize);
        started.setFlushMillis(flushMillis);
        started.start();
        assertTrue(started.isStarted());
        return started;
    }

    private ILoggingEvent event(String message) {
        return new LoggingEvent(getClass().getName(), access, Level.INFO, message, null, null);
    }

    private static List<String> messages(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** An output stream that records what is written, and can be made to stall in its first write. */
    private static final class Capture extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private boolean stalls;

        void stall() {
            stalls = true;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (stalls) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            synchronized (written) {
                written.write(bytes, offset, length);
            }
        }

        List<String> lines() {
            synchronized (written) {
                String text = written.toString(StandardCharsets.UTF_8);
                return text.isEmpty() ? List.of() : List.of(text.split("\n"));
            }
        }
    }
}
