package dev.parlance.api;

import dev.parlance.config.LimitsConfig;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** A task whose request is one {@code text}, run as one sequence (its windows, for entities). */
abstract class OneTextTask implements TaskDefinition {

    @Override
    public Map<String, Integer> limits(LimitsConfig limits) {
        return Map.of("/properties/text/maxLength", limits.maxTextChars());
    }

    @Override
    public Cost estimate(JsonObject input) {
        return Cost.repeated(input.getValue("text"), 1, 0);
    }
}
