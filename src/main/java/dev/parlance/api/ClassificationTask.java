package dev.parlance.api;

import dev.parlance.config.LimitsConfig;
import dev.parlance.config.ModelKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/** Zero-shot classification (NLP Cloud's {@code classification}): a text against the caller's labels. */
final class ClassificationTask implements TaskDefinition {

    @Override
    public String summary() {
        return "Zero-shot classification: score a text against candidate labels";
    }

    @Override
    public Set<ModelKind> servedBy() {
        return Set.of(ModelKind.NLI, ModelKind.EMBEDDING);
    }

    @Override
    public String howToServe() {
        return "add an \"nli\" or \"embedding\" model to \"models\" (see the README)";
    }

    @Override
    public Map<String, Integer> limits(LimitsConfig limits) {
        return Map.of("/properties/text/maxLength", limits.maxTextChars(),
                "/properties/labels/maxItems", limits.maxLabels(),
                "/properties/labels/items/maxLength", limits.maxLabelChars());
    }

    /** One (text, hypothesis) sequence per label on an NLI model. */
    @Override
    public Cost estimate(JsonObject input) {
        return Cost.repeated(input.getValue("text"), input.getJsonArray("labels", new JsonArray()).size(), 0);
    }
}
