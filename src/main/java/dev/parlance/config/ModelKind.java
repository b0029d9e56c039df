package dev.parlance.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a model is. Which tasks each kind serves is said by the tasks (api/Task.java). */
public enum ModelKind {
    /** A sentence-embedding model: embeddings, similarity, zero-shot by cosine. */
    EMBEDDING,
    /** An NLI cross-encoder (e.g. bart-large-mnli): true zero-shot classification. */
    NLI,
    /** A token-classification model (e.g. bert-base-NER): entities. */
    TOKEN_CLASSIFICATION,
    /** A sequence-classification model with fixed labels (e.g. distilbert-sst2): sentiment, text classification. */
    TEXT_CLASSIFICATION,
    /** A cross-encoder with one relevance logit (e.g. ms-marco-MiniLM-L-6-v2): rerank. */
    RERANK;

    /** The name the configuration uses, e.g. {@code token-classification}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every kind as the configuration spells them, for messages. */
    public static String configNames() {
        return Arrays.stream(values()).map(ModelKind::configName).collect(Collectors.joining(", "));
    }
}
