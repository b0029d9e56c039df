package dev.parlance.bus;

import dev.parlance.config.LimitsConfig;
import dev.parlance.api.Task;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Violations are reported as a field path and a plain sentence, whatever the validator says. */
class SchemasTest {

    private static final Schemas SCHEMAS = Schemas.load(
            new LimitsConfig(1 << 20, 1000, 3, 200, 64, 30_000, 16, 8192, 4096, 10_000, 60_000, 4096, 32 << 20, 2));

    private static JsonObject valid() {
        return new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("food"));
    }

    private static void assertViolation(String path, String message, Task task, Object body) {
        assertEquals(new Schemas.Violation(path, message), SCHEMAS.validateRequest(task, body).orElseThrow());
    }

    /** The published list of error codes is the server's own: a code added to one and not the other fails here. */
    @Test
    void theErrorSchemaListsEveryCodeTheServerSends() {
        java.util.List<Object> published = SCHEMAS.error().getJsonObject("properties").getJsonObject("error")
                .getJsonArray("enum").getList();
        java.util.List<String> sent = java.util.Arrays.stream(ErrorCode.values()).filter(ErrorCode::sentOverHttp)
                .map(ErrorCode::code).toList();
        assertEquals(new java.util.TreeSet<>(sent), new java.util.TreeSet<>(published));
        assertEquals(sent.size(), published.size(), "no code twice");
    }

    @Test
    void arraySizes() {
        assertViolation("/labels", "must have at least 1 item", Task.CLASSIFICATION, valid().put("labels", new JsonArray()));
        assertViolation("/labels", "must have at most 3 items", Task.CLASSIFICATION,
                valid().put("labels", new JsonArray().add("a").add("b").add("c").add("d")));
        assertViolation("/sentences", "must have at least 2 items", Task.SEMANTIC_SIMILARITY,
                new JsonObject().put("sentences", new JsonArray().add("one")));
    }

    @Test
    void stringLengths() {
        assertViolation("/text", "must not be empty", Task.CLASSIFICATION, valid().put("text", ""));
        assertViolation("/labels/1", "must not be empty", Task.CLASSIFICATION,
                valid().put("labels", new JsonArray().add("ok").add("")));
        assertViolation("/text", "must be at most 1000 characters long", Task.CLASSIFICATION,
                valid().put("text", "x".repeat(1001)));
    }

    @Test
    void typesRequiredFieldsAndEnums() {
        assertViolation("/text", "must be a string", Task.CLASSIFICATION, valid().put("text", 42));
        assertViolation("/multi_class", "must be a boolean or null", Task.CLASSIFICATION, valid().put("multi_class", "yes"));
        assertViolation("", "must be an object", Task.CLASSIFICATION, new JsonArray().add(1));
        assertViolation("/text", "is required", Task.CLASSIFICATION, new JsonObject().put("labels", new JsonArray().add("a")));
        assertViolation("/offsets", "must be one of [\"utf-16\",\"code-points\",null]", Task.ENTITIES,
                new JsonObject().put("text", "x").put("offsets", "bytes"));
    }

    @Test
    void anAdditionalPropertyIsNamed() {
        JsonObject schema = new JsonObject().put("type", "object")
                .put("properties", new JsonObject().put("a", new JsonObject()))
                .put("additionalProperties", false);
        Validator validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012).setBaseUri("https://parlance.dev/schemas/").setOutputFormat(OutputFormat.Basic));
        assertEquals(new Schemas.Violation("/b", "is not an accepted field"),
                Schemas.firstViolation(schema, validator.validate(new JsonObject().put("a", 1).put("b", 2))).orElseThrow());
    }

    /** The kept schemas are published in openapi.json: the validator must not have written into them. */
    @Test
    void theKeptSchemasHaveOnlyTheFilesKeywords() throws Exception {
        for (Task task : Task.values()) {
            try (var in = Schemas.class.getClassLoader().getResourceAsStream("schemas/" + task.path() + ".request.json")) {
                JsonObject file = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                assertEquals(file.fieldNames(), SCHEMAS.request(task).fieldNames(), task.path());
            }
        }
    }
}
