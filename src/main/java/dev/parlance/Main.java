package dev.parlance;

import ch.qos.logback.classic.LoggerContext;
import dev.parlance.config.CommandLine;
import dev.parlance.config.ConfigException;
import dev.parlance.config.ConfigLoader;
import dev.parlance.config.ConfigPrinter;
import dev.parlance.config.ParlanceConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/** Starts Parlance: reads the configuration, deploys, stops gracefully on SIGTERM/SIGINT. */
public final class Main {

    static {
        // Before any DJL class loads: DJL otherwise reports usage to the cloud metadata (link-local) address.
        System.setProperty("OPT_OUT_TRACKING", "true");
        // And it must never try to download anything: every native library ships in the jars.
        System.setProperty("ai.djl.offline", "true");
        // Hazelcast reports usage to phonehome.hazelcast.com unless told not to (clustered mode).
        System.setProperty("hazelcast.phone.home.enabled", "false");
        // Cluster members found through DNS (a headless service) come and go with their pods:
        // answers are kept 5 s, not the JVM's 30, so a merge check sees new pods (unless the
        // operator chose a TTL). Before any lookup: the JVM reads it once.
        if (java.security.Security.getProperty("networkaddress.cache.ttl") == null) {
            java.security.Security.setProperty("networkaddress.cache.ttl", "5");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        ParlanceConfig config;
        try {
            CommandLine cli = CommandLine.parse(args);
            if (cli.help()) {
                System.out.print(CommandLine.usage());
                return;
            }
            config = ConfigLoader.load(cli, System.getenv(), Runtime.getRuntime().availableProcessors());
            if (cli.printConfig()) {
                System.out.println(ConfigPrinter.toJson(config).encodePrettily());
                return;
            }
        } catch (ConfigException e) {
            System.err.println("parlance: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Parlance.launch(config, registry)
                .onSuccess(parlance -> {
                    log.info("Parlance ready on http://{}:{}{} (roles {}{})", config.http().host(), config.http().port(),
                            config.http().rootPath(), config.roles(),
                            config.cluster().enabled() ? ", cluster " + config.cluster().name() : "");
                    stopOnSignals(parlance.vertx(), parlance);
                })
                .onFailure(error -> {
                    log.error("Parlance failed to start: {}", error.getMessage());
                    System.exit(1);
                });
    }

    /**
     * SIGTERM and SIGINT start the graceful shutdown, and the process then exits 0: an orderly
     * stop, not a crash. (A JVM shutdown hook could not give exit code 0 after a signal.)
     */
    private static void stopOnSignals(Vertx vertx, Parlance parlance) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (!stopping.compareAndSet(false, true)) {
                    return;
                }
                log.info("SIG{} received", name);
                // The signal's own thread may wait: it is not one of Vert.x's.
                try {
                    parlance.stop().await();
                } catch (RuntimeException e) {
                    log.error("shutdown was not clean: {}", e.getMessage());
                }
                vertx.close().await();
                log.info("stopped");
                // Writes out what the asynchronous access log still holds.
                if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
                    logging.stop();
                }
                System.exit(0);
            });
        }
    }
}
