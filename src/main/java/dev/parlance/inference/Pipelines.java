package dev.parlance.inference;

import dev.parlance.config.ModelConfig;
import dev.parlance.config.Task;
import dev.parlance.tasks.TokenClassification;
import dev.parlance.tasks.VectorCache;
import dev.parlance.tasks.ZeroShotByEmbedding;
import dev.parlance.tasks.ZeroShotNli;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.Map;

/** Which pipeline serves which task, per kind of model. Add a task here. */
final class Pipelines {

    private Pipelines() {
    }

    /** Blocking: an embedding model's classification pipeline runs a few forward passes on {@code encoder}. */
    static Map<Task, TaskPipeline> create(LoadedModel model, VectorCache labelCache, Encoder encoder) {
        ModelConfig config = model.config();
        Map<Task, TaskPipeline> pipelines = new EnumMap<>(Task.class);
        switch (config.kind()) {
            case EMBEDDING -> {
                pipelines.put(Task.CLASSIFICATION, ClassificationByEmbedding.create(
                        new ZeroShotByEmbedding(config.hypothesisTemplate(), config.temperature(), config.midpoint()),
                        model.tokenizer(), config.pooling(), labelCache, encoder));
                EmbeddingsPipeline embeddings = new EmbeddingsPipeline(model.tokenizer(), config.pooling(), config.normalize());
                pipelines.put(Task.EMBEDDINGS, embeddings.embeddings());
                pipelines.put(Task.SEMANTIC_SIMILARITY, embeddings.similarity());
            }
            case NLI -> pipelines.put(Task.CLASSIFICATION, new ClassificationByNli(
                    new ZeroShotNli(model.label2id(), config.hypothesisTemplate()), model.tokenizer()));
            case TOKEN_CLASSIFICATION -> pipelines.put(Task.ENTITIES, new EntitiesPipeline(
                    new TokenClassification(model.id2label(), config.aggregation(), model.tokenizer().subwordPrefix()),
                    model.tokenizer()));
        }
        return pipelines;
    }

    /** A cheap guess of what a request costs, before anything is tokenized. */
    record Estimate(int tokens, int typicalLength) {
    }

    /**
     * Estimates a request at about 4 characters a token (English), plus 2 special tokens per
     * sequence. Runs on the event loop: no tokenizing here.
     */
    static Estimate estimate(Task task, JsonObject input) {
        if (task == Task.EMBEDDINGS || task == Task.SEMANTIC_SIMILARITY) {
            JsonArray sentences = input.getJsonArray("sentences", new JsonArray());
            int tokens = 0;
            for (Object sentence : sentences) {
                tokens += (sentence instanceof String s ? s.length() : 0) / 4 + 2;
            }
            return new Estimate(tokens, tokens / Math.max(1, sentences.size()));
        }
        Object text = input.getValue("text");
        int textTokens = (text instanceof String s ? s.length() : 0) / 4 + 2;
        int sequences = task == Task.CLASSIFICATION ? Math.max(1, input.getJsonArray("labels", new JsonArray()).size()) : 1;
        return new Estimate(textTokens * sequences, textTokens);
    }
}
