package dev.parlance.api;

import dev.parlance.config.LimitsConfig;
import dev.parlance.config.ModelKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * Hugging Face TEI's {@code /rerank}: texts ordered by how well they answer a query, one
 * (query, text) pair per text through a cross-encoder.
 */
final class RerankTask implements TaskDefinition {

    @Override
    public String summary() {
        return "Rerank texts by relevance to a query (a cross-encoder; Hugging Face TEI's shape)";
    }

    @Override
    public Set<ModelKind> servedBy() {
        return Set.of(ModelKind.RERANK);
    }

    @Override
    public String howToServe() {
        return "export a cross-encoder from Hugging Face (e.g. cross-encoder/ms-marco-MiniLM-L-6-v2 with optimum-cli,"
                + " see the README section 'Rerank') and add it to \"models\" with \"kind\": \"rerank\"";
    }

    @Override
    public Map<String, Integer> limits(LimitsConfig limits) {
        return Map.of("/properties/query/maxLength", limits.maxTextChars(),
                "/properties/texts/maxItems", limits.maxSentences(),
                "/properties/texts/items/maxLength", limits.maxTextChars());
    }

    /** One (query, text) pair per text, one more special token each. */
    @Override
    public Cost estimate(JsonObject input) {
        JsonArray texts = input.getJsonArray("texts", new JsonArray());
        Object query = input.getValue("query");
        int queryChars = query instanceof String s ? s.length() : 0;
        int tokens = 0;
        for (Object text : texts) {
            tokens += Cost.tokensOf(text) + 1 + queryChars / 4;
        }
        return new Cost(tokens, tokens / Math.max(1, texts.size()));
    }
}
