package dev.parlance.api;

import dev.parlance.config.ModelKind;

import java.util.Set;

/**
 * Hugging Face's {@code text-classification} pipeline: a text through a sequence-classification
 * model with fixed labels, {@code top_k} and {@code function_to_apply} as the pipeline takes
 * them, answered as its list of {@code {label, score}}.
 */
final class TextClassificationTask extends OneTextTask {

    static final String HOW_TO_SERVE = "export a sequence-classification model from Hugging Face (e.g."
            + " distilbert/distilbert-base-uncased-finetuned-sst-2-english with optimum-cli, see the README"
            + " section on sentiment and text classification) and add it to \"models\" with \"kind\": \"text-classification\"";

    @Override
    public String summary() {
        return "Text classification with the model's own labels (Hugging Face's text-classification pipeline)";
    }

    @Override
    public Set<ModelKind> servedBy() {
        return Set.of(ModelKind.TEXT_CLASSIFICATION);
    }

    @Override
    public String howToServe() {
        return HOW_TO_SERVE;
    }
}
