package dev.parlance;

import dev.parlance.bus.Schemas;
import dev.parlance.api.Task;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import static org.junit.jupiter.api.Assertions.fail;

/** Holds responses to the response schemas of schemas/: the documented shape is the real one. */
public final class ResponseSchemas {

    private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions()
            .setDraft(Draft.DRAFT202012).setBaseUri("https://parlance.dev/schemas/")
            .setOutputFormat(OutputFormat.Basic);

    private ResponseSchemas() {
    }

    public static void assertValid(Schemas schemas, Task task, Object body) {
        check(schemas.response(task), body);
    }

    public static void assertError(Schemas schemas, JsonObject body) {
        check(schemas.error(), body);
    }

    public static void check(JsonObject schema, Object body) {
        OutputUnit result = Validator.create(JsonSchema.of(schema), OPTIONS).validate(body);
        if (!Boolean.TRUE.equals(result.getValid())) {
            fail("response does not match its schema: " + Schemas.firstViolation(schema, result).orElseThrow() + " in " + body);
        }
    }
}
