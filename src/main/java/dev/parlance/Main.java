package dev.parlance;

import dev.parlance.config.CommandLine;
import dev.parlance.config.ConfigException;
import dev.parlance.config.ConfigLoader;
import dev.parlance.config.ParlanceConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Parlance: reads the configuration, deploys, stops cleanly on SIGTERM/SIGINT. */
public final class Main {

    static {
        // Before any DJL class loads: DJL otherwise reports usage to 169.254.169.254.
        System.setProperty("OPT_OUT_TRACKING", "true");
        // And it must never try to download anything: every native library ships in the jars.
        System.setProperty("ai.djl.offline", "true");
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
        } catch (ConfigException e) {
            System.err.println("parlance: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Parlance.createVertx(registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "parlance-shutdown"));
        Parlance.deploy(vertx, config, registry)
                .onSuccess(ids -> log.info("Parlance listening on http://{}:{}{}", config.http().host(),
                        config.http().port(), config.http().rootPath()))
                .onFailure(error -> {
                    log.error("Parlance failed to start: {}", error.getMessage(), error);
                    vertx.close().onComplete(v -> System.exit(1));
                });
    }
}
