package dev.parlance.api;

import dev.parlance.config.ModelKind;

import java.util.Set;

/**
 * NLP Cloud's {@code sentiment}: a text through a sequence-classification model with fixed
 * labels, answered as {@code {"scored_labels": [{label, score}]}}. The same model and scores
 * as {@link TextClassificationTask}, in NLP Cloud's shape.
 */
final class SentimentTask extends OneTextTask {

    @Override
    public String summary() {
        return "Sentiment (or any fixed-label classification) of a text, in NLP Cloud's shape";
    }

    @Override
    public Set<ModelKind> servedBy() {
        return Set.of(ModelKind.TEXT_CLASSIFICATION);
    }

    @Override
    public String howToServe() {
        return TextClassificationTask.HOW_TO_SERVE;
    }
}
