package dev.parlance.config;

import java.util.Set;

/** What a model is, which decides the tasks it can serve. */
public enum ModelKind {
    /** A sentence-embedding model: embeddings, similarity, zero-shot by cosine. */
    EMBEDDING(Set.of(Task.CLASSIFICATION, Task.EMBEDDINGS, Task.SEMANTIC_SIMILARITY)),
    /** An NLI cross-encoder (e.g. bart-large-mnli): true zero-shot classification. */
    NLI(Set.of(Task.CLASSIFICATION)),
    /** A token-classification model (e.g. bert-base-NER): entities. */
    TOKEN_CLASSIFICATION(Set.of(Task.ENTITIES));

    private final Set<Task> tasks;

    ModelKind(Set<Task> tasks) {
        this.tasks = tasks;
    }

    /** The name the configuration uses, e.g. {@code token-classification}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public boolean serves(Task task) {
        return tasks.contains(task);
    }

    public Set<Task> tasks() {
        return tasks;
    }
}
