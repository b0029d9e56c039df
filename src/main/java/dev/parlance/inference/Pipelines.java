package dev.parlance.inference;

import dev.parlance.api.Task;
import dev.parlance.config.ModelConfig;
import dev.parlance.tasks.TokenClassification;
import dev.parlance.tasks.VectorCache;
import dev.parlance.tasks.ZeroShotByEmbedding;
import dev.parlance.tasks.ZeroShotNli;

import java.util.EnumMap;
import java.util.Map;

/**
 * How each task runs on a model: the one switch over every task, so a new task does not
 * compile until it says here how it runs. (Everything else about a task is in api/.)
 */
final class Pipelines {

    private Pipelines() {
    }

    /**
     * The pipelines of every task the model's kind serves. Blocking: an embedding model's
     * classification pipeline runs a few forward passes on {@code encoder}.
     */
    static Map<Task, TaskPipeline> create(LoadedModel model, VectorCache labelCache, Encoder encoder) {
        Map<Task, TaskPipeline> pipelines = new EnumMap<>(Task.class);
        for (Task task : Task.tasksOf(model.config().kind())) {
            pipelines.put(task, pipeline(task, model, labelCache, encoder));
        }
        return pipelines;
    }

    private static TaskPipeline pipeline(Task task, LoadedModel model, VectorCache labelCache, Encoder encoder) {
        ModelConfig config = model.config();
        return switch (task) {
            case CLASSIFICATION -> switch (config.kind()) {
                case NLI -> new ClassificationByNli(new ZeroShotNli(model.label2id(), config.hypothesisTemplate()),
                        model.tokenizer());
                case EMBEDDING -> ClassificationByEmbedding.create(
                        new ZeroShotByEmbedding(config.hypothesisTemplate(), config.temperature(), config.midpoint()),
                        model.tokenizer(), config.pooling(), labelCache, encoder);
                case TOKEN_CLASSIFICATION, TEXT_CLASSIFICATION, RERANK ->
                        throw new IllegalStateException(config.kind().configName() + " models do not serve classification");
            };
            case ENTITIES -> new EntitiesPipeline(
                    new TokenClassification(model.id2label(), config.aggregation(), model.tokenizer().subwordPrefix()),
                    model.tokenizer());
            case EMBEDDINGS -> embeddings(model).embeddings();
            case SEMANTIC_SIMILARITY -> embeddings(model).similarity();
            case SENTIMENT -> textClassification(model, TextClassificationPipeline.Shape.NLP_CLOUD);
            case TEXT_CLASSIFICATION -> textClassification(model, TextClassificationPipeline.Shape.HUGGING_FACE);
            case RERANK -> new RerankPipeline(model.tokenizer(), config.tooLong() == ModelConfig.TooLong.REJECT);
            case TOKENIZE -> new TokenizePipeline(model.tokenizer());
        };
    }

    private static EmbeddingsPipeline embeddings(LoadedModel model) {
        return new EmbeddingsPipeline(model.tokenizer(), model.config().pooling(), model.config().normalize());
    }

    private static TaskPipeline textClassification(LoadedModel model, TextClassificationPipeline.Shape shape) {
        int labels = model.id2label().size();
        return new TextClassificationPipeline(model.tokenizer(), model.id2label(),
                model.config().functionToApply().resolve(model.problemType(), labels), shape);
    }
}
