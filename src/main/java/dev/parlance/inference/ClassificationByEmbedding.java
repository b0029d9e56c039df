package dev.parlance.inference;

import dev.parlance.inference.ClassificationByNli.ClassificationInput;
import dev.parlance.tasks.Matrix;
import dev.parlance.tasks.Pooling;
import dev.parlance.tasks.Scores;
import dev.parlance.tasks.TextTokenizer;
import dev.parlance.tasks.Tokens;
import dev.parlance.tasks.VectorCache;
import dev.parlance.tasks.ZeroShotByEmbedding;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code classification} on a sentence-embedding model: the text and every label not yet in
 * the cache go through the model together in one forward pass; cached labels cost nothing.
 * The reference hypotheses that give a text its multi-label baseline are embedded once, when
 * the pipeline is made.
 */
final class ClassificationByEmbedding implements TaskPipeline {

    private final ZeroShotByEmbedding zeroShot;
    private final TextTokenizer tokenizer;
    private final Pooling pooling;
    private final VectorCache labelCache;
    private final List<float[]> referenceVectors;

    ClassificationByEmbedding(ZeroShotByEmbedding zeroShot, TextTokenizer tokenizer, Pooling pooling,
                              VectorCache labelCache, List<float[]> referenceVectors) {
        this.zeroShot = zeroShot;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.labelCache = labelCache;
        this.referenceVectors = List.copyOf(referenceVectors);
    }

    /**
     * Embeds the reference hypotheses, each in a forward pass of its own (an int8 model's
     * quantisation scale depends on the whole batch), then makes the pipeline. Blocking: call it
     * where the worker may block, as at its start.
     */
    static ClassificationByEmbedding create(ZeroShotByEmbedding zeroShot, TextTokenizer tokenizer, Pooling pooling,
                                            VectorCache labelCache, Encoder encoder) {
        List<Tokens> sequences = zeroShot.referenceHypotheses().stream().map(tokenizer::encode).toList();
        List<float[]> reference = encoder.forward(sequences, 1, Integer.MAX_VALUE, 0).stream()
                .map(hidden -> Scores.normalize(pooling.pool(hidden))).toList();
        return new ClassificationByEmbedding(zeroShot, tokenizer, pooling, labelCache, reference);
    }

    @Override
    public Work prepare(JsonObject input) {
        ClassificationInput in = ClassificationInput.from(input);
        List<Tokens> sequences = new ArrayList<>();
        sequences.add(tokenizer.encode(in.text()));
        Map<String, float[]> known = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String label : in.labels()) {
            String hypothesis = zeroShot.hypothesis(label);
            if (known.containsKey(hypothesis) || missing.contains(hypothesis)) {
                continue;
            }
            float[] cached = labelCache.get(hypothesis);
            if (cached != null) {
                known.put(hypothesis, cached);
            } else {
                missing.add(hypothesis);
                sequences.add(tokenizer.encode(hypothesis));
            }
        }
        return new Work(sequences, outputs -> {
            float[] text = vector(outputs.get(0));
            for (int i = 0; i < missing.size(); i++) {
                float[] v = vector(outputs.get(i + 1));
                labelCache.put(missing.get(i), v);
                known.put(missing.get(i), v);
            }
            List<float[]> labelVectors = in.labels().stream().map(l -> known.get(zeroShot.hypothesis(l))).toList();
            return in.toJson(zeroShot.score(in.labels(), text, labelVectors, referenceVectors, in.multiLabel()));
        });
    }

    private float[] vector(Matrix hidden) {
        return Scores.normalize(pooling.pool(hidden));
    }
}
