package dev.parlance.api;

import dev.parlance.config.ModelKind;

import java.util.Set;

/** Named entities (NLP Cloud's {@code entities}) from a token-classification model. */
final class EntitiesTask extends OneTextTask {

    @Override
    public String summary() {
        return "Named entities of a text";
    }

    @Override
    public Set<ModelKind> servedBy() {
        return Set.of(ModelKind.TOKEN_CLASSIFICATION);
    }

    @Override
    public String howToServe() {
        return "export a token-classification model from Hugging Face (e.g. dslim/bert-base-NER with"
                + " optimum-cli, see the README section 'Named entities') and add it to \"models\" with"
                + " \"kind\": \"token-classification\"";
    }
}
