package dev.parlance.api;

import dev.parlance.config.ModelConfig;
import dev.parlance.config.ModelKind;
import dev.parlance.config.ParlanceConfig;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of tasks: one constant per task, each holding the {@link TaskDefinition} that
 * says everything about it but its pipeline (which runs on engine types, in
 * {@code inference/Pipelines.java}, whose switch the compiler makes list every task).
 * {@link #path()} is the URL segment, the schema files' name and the event-bus {@code task}.
 *
 * <p>To add a task: a definition class in this package, a constant here, its two schema
 * files in {@code schemas/}, and the case the compiler then asks for in {@code Pipelines}.
 */
public enum Task {
    CLASSIFICATION(new ClassificationTask()),
    ENTITIES(new EntitiesTask()),
    EMBEDDINGS(new EmbeddingsTask()),
    SEMANTIC_SIMILARITY(new SemanticSimilarityTask()),
    SENTIMENT(new SentimentTask()),
    TEXT_CLASSIFICATION(new TextClassificationTask()),
    RERANK(new RerankTask()),
    TOKENIZE(new TokenizeTask());

    private final TaskDefinition definition;

    Task(TaskDefinition definition) {
        this.definition = definition;
    }

    public TaskDefinition definition() {
        return definition;
    }

    public String path() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean servedBy(ModelKind kind) {
        return definition.servedBy().contains(kind);
    }

    /** The tasks a kind of model serves. */
    public static Set<Task> tasksOf(ModelKind kind) {
        Set<Task> tasks = EnumSet.noneOf(Task.class);
        for (Task task : values()) {
            if (task.servedBy(kind)) {
                tasks.add(task);
            }
        }
        return tasks;
    }

    /** The model {@code {root}/<task>} goes to: the first configured one that serves the task. */
    public Optional<ModelConfig> defaultModel(ParlanceConfig config) {
        return config.models().stream().filter(m -> servedBy(m.kind())).findFirst();
    }

    public static Optional<Task> fromPath(String path) {
        for (Task t : values()) {
            if (t.path().equals(path)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
