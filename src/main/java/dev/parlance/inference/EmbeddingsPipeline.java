package dev.parlance.inference;

import dev.parlance.tasks.Matrix;
import dev.parlance.tasks.Pooling;
import dev.parlance.tasks.Scores;
import dev.parlance.tasks.TextTokenizer;
import dev.parlance.tasks.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code embeddings} and {@code semantic-similarity} on a sentence-embedding model: every
 * sentence of the request in one forward pass, pooled (mean or CLS) and, if configured,
 * L2-normalised.
 */
final class EmbeddingsPipeline {

    private final TextTokenizer tokenizer;
    private final Pooling pooling;
    private final boolean normalize;

    EmbeddingsPipeline(TextTokenizer tokenizer, Pooling pooling, boolean normalize) {
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.normalize = normalize;
    }

    private List<Tokens> encode(JsonArray sentences) {
        List<Tokens> out = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            out.add(tokenizer.encode(sentences.getString(i)));
        }
        return out;
    }

    private float[] vector(Matrix hidden) {
        float[] v = pooling.pool(hidden);
        return normalize ? Scores.normalize(v) : v;
    }

    /** {@code {"sentences": [...]}} to {@code {"embeddings": [[...], ...]}}. */
    TaskPipeline embeddings() {
        return input -> {
            JsonArray sentences = input.getJsonArray("sentences");
            return new Work(encode(sentences), outputs -> {
                JsonArray embeddings = new JsonArray(new ArrayList<>(outputs.size()));
                for (Matrix hidden : outputs) {
                    float[] v = vector(hidden);
                    List<Object> values = new ArrayList<>(v.length);
                    for (float x : v) {
                        values.add(x);
                    }
                    embeddings.add(new JsonArray(values));
                }
                return new JsonObject().put("embeddings", embeddings);
            });
        };
    }

    /** {@code {"sentences": [a, b]}} to {@code {"score": cosine(a, b)}}. */
    TaskPipeline similarity() {
        return input -> new Work(encode(input.getJsonArray("sentences")), outputs ->
                new JsonObject().put("score", Scores.cosine(vector(outputs.get(0)), vector(outputs.get(1)))));
    }
}
