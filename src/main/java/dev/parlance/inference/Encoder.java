package dev.parlance.inference;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.parlance.tasks.Matrix;
import dev.parlance.tasks.Tokens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One worker's handle on a model: a DJL predictor (not thread-safe, hence one per worker) on
 * the model's ONNX Runtime session (thread-safe, hence shareable).
 */
final class Encoder implements AutoCloseable {

    private final Predictor<List<Tokens>, List<Matrix>> predictor;
    private final ModelMetrics metrics;
    private final PassPolicy policy;

    Encoder(LoadedModel model, ModelMetrics metrics) {
        this.predictor = model.model().newPredictor(new BatchTranslator(model.inputNames()));
        this.metrics = metrics;
        this.policy = model.passPolicy();
    }

    /**
     * Runs every sequence, in as few forward passes as the token budget allows: sequences are
     * sorted by length so each pass pads little (see {@link Chunks}), and only sequences that
     * the model's {@link PassPolicy} lets share a pass do. Results are in input order.
     */
    List<Matrix> forward(List<Tokens> sequences, int maxSequences, int maxTokens, double maxPaddingRatio) {
        Matrix[] results = new Matrix[sequences.size()];
        int perPass = policy.alone() ? 1 : maxSequences;
        for (int[] chunk : Chunks.plan(sequences, perPass, maxTokens, maxPaddingRatio, policy::key)) {
            List<Tokens> batch = new ArrayList<>(chunk.length);
            int longest = 0;
            for (int index : chunk) {
                batch.add(sequences.get(index));
                longest = Math.max(longest, sequences.get(index).length());
            }
            long start = System.nanoTime();
            List<Matrix> out = run(batch);
            metrics.forwardPass(batch.size() * longest, System.nanoTime() - start);
            for (int i = 0; i < chunk.length; i++) {
                results[chunk[i]] = out.get(i);
            }
        }
        return Arrays.asList(results);
    }

    private List<Matrix> run(List<Tokens> batch) {
        try {
            return predictor.predict(batch);
        } catch (TranslateException e) {
            throw new IllegalStateException("forward pass failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
    }
}
