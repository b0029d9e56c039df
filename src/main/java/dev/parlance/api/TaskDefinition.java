package dev.parlance.api;

import dev.parlance.config.LimitsConfig;
import dev.parlance.config.ModelKind;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * What the server knows about one task, apart from how it runs: the HTTP side (summary,
 * limits written into its request schema), the batching side (its cost, guessed before
 * tokenizing) and the configuration side (which kinds of model serve it, and what to do when
 * none is configured). Its request and response schemas are {@code schemas/<path>.request.json}
 * and {@code schemas/<path>.response.json}.
 */
public interface TaskDefinition {

    /** One line: the OpenAPI summary and tag of its routes. */
    String summary();

    /** The kinds of model ({@code "kind"} in the config) that serve it. */
    Set<ModelKind> servedBy();

    /** Told to a caller when no configured model serves the task: how to serve it. */
    String howToServe();

    /**
     * The configured limits to write into its request schema, as JSON pointers into the schema
     * and their values; a pointer the schema does not hold stops the server at start.
     */
    Map<String, Integer> limits(LimitsConfig limits);

    /**
     * A cheap guess of what a request costs, before anything is tokenized. Runs on the event
     * loop (no tokenizing here) on an input that passed the request schema.
     */
    Cost estimate(JsonObject input);
}
