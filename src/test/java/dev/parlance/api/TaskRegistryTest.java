package dev.parlance.api;

import dev.parlance.bus.Schemas;
import dev.parlance.config.LimitsConfig;
import dev.parlance.config.ModelKind;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one test that lists what a new task forgot (the compiler lists the rest): its schema
 * files with an example each, the configured limits landing in its schema, a summary, a hint,
 * a model kind that serves it, and its section in the README.
 */
class TaskRegistryTest {

    private static final LimitsConfig LIMITS = new LimitsConfig(1 << 20, 1234, 7, 56, 9, 30_000, 16, 8192, 4096,
            10_000, 60_000, 4096, 1 << 25, 2);

    @Test
    void everyTaskHasItsSchemasLimitsDocsAndAModelKind() throws Exception {
        Schemas schemas = Schemas.load(LIMITS);
        String readme = Files.readString(Path.of("README.md"));
        Set<ModelKind> kindsServing = EnumSet.noneOf(ModelKind.class);
        for (Task task : Task.values()) {
            TaskDefinition definition = task.definition();
            String what = task.path();
            // Schemas.load above refuses a task without its two files; each also needs an example.
            assertFalse(schemas.request(task).getJsonArray("examples").isEmpty(), what + ": a request example");
            assertFalse(schemas.response(task).getJsonArray("examples").isEmpty(), what + ": a response example");
            assertFalse(definition.limits(LIMITS).isEmpty(), what + ": limits");
            definition.limits(LIMITS).forEach((pointer, value) ->
                    assertEquals(value, JsonPointer.from(pointer).queryJson(schemas.request(task)), what + " " + pointer));
            assertFalse(definition.summary().isBlank(), what + ": summary");
            assertFalse(definition.howToServe().isBlank(), what + ": hint");
            assertFalse(definition.servedBy().isEmpty(), what + ": a kind that serves it");
            kindsServing.addAll(definition.servedBy());
            assertTrue(readme.contains("`POST {root}/" + what + "`"), what + ": a README section");
            assertEquals(task, Task.fromPath(what).orElseThrow());
        }
        assertEquals(EnumSet.allOf(ModelKind.class), kindsServing, "every kind serves a task");
    }

    /** Costs are guessed on the event loop from the request alone: they grow with the work. */
    @Test
    void aTasksCostGrowsWithItsWork() {
        Cost one = Task.RERANK.definition().estimate(new JsonObject().put("query", "q".repeat(40))
                .put("texts", new io.vertx.core.json.JsonArray().add("t".repeat(400))));
        Cost two = Task.RERANK.definition().estimate(new JsonObject().put("query", "q".repeat(40))
                .put("texts", new io.vertx.core.json.JsonArray().add("t".repeat(400)).add("t".repeat(400))));
        assertEquals(2 * one.tokens(), two.tokens());
        assertEquals(one.typicalLength(), two.typicalLength());
        assertTrue(one.tokens() > 100, "about 4 characters a token: " + one);
        // Tokenize runs no forward pass, but its answer grows with its tokens: it counts them too.
        assertEquals(Task.TOKENIZE.definition().estimate(new JsonObject().put("inputs", "x".repeat(1000))),
                Task.TOKENIZE.definition().estimate(new JsonObject().put("inputs", new io.vertx.core.json.JsonArray().add("x".repeat(1000)))));
        assertTrue(Task.TOKENIZE.definition().estimate(new JsonObject().put("inputs", "x".repeat(1000))).tokens() >= 250);
        Cost classification = Task.CLASSIFICATION.definition().estimate(new JsonObject().put("text", "x".repeat(400))
                .put("labels", new io.vertx.core.json.JsonArray().add("a").add("b").add("c")));
        assertEquals(3 * classification.typicalLength(), classification.tokens());
    }
}
