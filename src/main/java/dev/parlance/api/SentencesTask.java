package dev.parlance.api;

import dev.parlance.config.ModelKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** A task of an embedding model over {@code sentences}, one sequence each. */
abstract class SentencesTask implements TaskDefinition {

    @Override
    public Set<ModelKind> servedBy() {
        return Set.of(ModelKind.EMBEDDING);
    }

    @Override
    public String howToServe() {
        return "add an \"embedding\" model to \"models\" (see the README)";
    }

    @Override
    public Cost estimate(JsonObject input) {
        return Cost.ofTexts(input.getJsonArray("sentences", new JsonArray()));
    }
}
