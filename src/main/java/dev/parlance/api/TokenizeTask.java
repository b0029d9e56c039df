package dev.parlance.api;

import dev.parlance.config.LimitsConfig;
import dev.parlance.config.ModelKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Hugging Face TEI's {@code /tokenize}: a model's tokens for texts (ids, pieces, offsets), so a
 * caller can count tokens and see where truncation cuts. Every model has a tokenizer, so every
 * kind serves it; it runs no forward pass.
 */
final class TokenizeTask implements TaskDefinition {

    @Override
    public String summary() {
        return "A model's tokens for texts: ids, pieces and offsets (Hugging Face TEI's shape)";
    }

    @Override
    public Set<ModelKind> servedBy() {
        return EnumSet.allOf(ModelKind.class);
    }

    @Override
    public String howToServe() {
        return "configure any model in \"models\" (see the README)";
    }

    @Override
    public Map<String, Integer> limits(LimitsConfig limits) {
        return Map.of("/properties/inputs/maxLength", limits.maxTextChars(),
                "/properties/inputs/maxItems", limits.maxSentences(),
                "/properties/inputs/items/maxLength", limits.maxTextChars());
    }

    /**
     * It runs no forward pass, but its answer is an object per token: counted like the tokens it
     * would run, so the batch budget keeps a worker from building many large answers at once.
     */
    @Override
    public Cost estimate(JsonObject input) {
        Object inputs = input.getValue("inputs");
        return Cost.ofTexts(inputs instanceof JsonArray texts ? texts : new JsonArray().add(inputs));
    }
}
