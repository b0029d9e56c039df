package dev.parlance.inference;

import dev.parlance.config.ModelConfig;
import dev.parlance.config.ParlanceConfig;
import dev.parlance.tasks.Tokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's own limit, no HTTP, no event bus: the benchmark's baseline. Sentences of the
 * corpus are tokenized and embedded by {@code threads} workers (one predictor each on one
 * shared session, one intra-op thread each: the server's defaults), {@code batch} at a time.
 * Prints one JSON line per setting. Used by scripts/bench; not a test.
 *
 * <p>Arguments: corpus file, model source, seconds per setting, then settings as
 * threads x batch [x padding ratio] (e.g. {@code 2x1 2x8 2x32x0.1}): a batch of random corpus
 * texts is split into forward passes as the server splits them.
 */
public final class EngineLimit {

    public static void main(String[] args) throws Exception {
        System.setProperty("OPT_OUT_TRACKING", "true");
        List<String> corpus = Files.readAllLines(Path.of(args[0])).stream().filter(l -> !l.isBlank()).toList();
        String source = args[1];
        double seconds = Double.parseDouble(args[2]);
        for (int i = 3; i < args.length; i++) {
            String[] setting = args[i].split("x");
            int threads = Integer.parseInt(setting[0]);
            int batch = Integer.parseInt(setting[1]);
            double padding = setting.length > 2 ? Double.parseDouble(setting[2]) : 1000;
            double rate = run(corpus, source, threads, batch, padding, seconds);
            System.out.println(new JsonObject().put("threads", threads).put("batch", batch).put("padding", padding)
                    .put("sentences_per_second", Math.round(rate * 10) / 10.0).encode());
        }
    }

    private static double run(List<String> corpus, String source, int threads, int batch, double padding,
                              double seconds) throws Exception {
        JsonObject json = new JsonObject().put("auth", new JsonObject().put("enabled", false))
                .put("models", new JsonArray().add(new JsonObject().put("name", "engine").put("kind", "embedding")
                        .put("source", source).put("workers", threads).put("intraOpThreads", 1)));
        ModelConfig config = ParlanceConfig.parse(json, threads, null).models().get(0);
        ModelMetrics metrics = new ModelMetrics(new SimpleMeterRegistry(), "engine", dev.parlance.api.Task.tasksOf(config.kind()), config.batching(),
                java.time.Duration.ofSeconds(30));
        try (LoadedModel model = LoadedModel.load(config)) {
            AtomicLong done = new AtomicLong();
            long warmupEnd = System.nanoTime() + 5_000_000_000L;
            long end = warmupEnd + (long) (seconds * 1e9);
            CountDownLatch finished = new CountDownLatch(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 97;
                Thread worker = new Thread(() -> {
                    try (Encoder encoder = new Encoder(model, metrics)) {
                        int next = offset;
                        while (System.nanoTime() < end) {
                            List<Tokens> sequences = new ArrayList<>(batch);
                            for (int b = 0; b < batch; b++) {
                                sequences.add(model.tokenizer().encode(corpus.get(next++ % corpus.size())));
                            }
                            encoder.forward(sequences, batch, Integer.MAX_VALUE, padding);
                            if (System.nanoTime() > warmupEnd) {
                                done.addAndGet(batch);
                            }
                        }
                    } finally {
                        finished.countDown();
                    }
                });
                workers.add(worker);
                worker.start();
            }
            finished.await();
            return done.get() / seconds;
        }
    }
}
