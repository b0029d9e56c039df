package dev.parlance.cluster;

import dev.parlance.bus.Schemas;
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

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's quick shape check says what the full JSON Schema validator says, on every
 * task's documented examples and on broken variants of them.
 */
class ResponseShapeTest {

    private static final Schemas SCHEMAS = Schemas.load(
            new LimitsConfig(1 << 20, 1000, 3, 200, 64, 30_000, 16, 8192, 4096, 10_000, 60_000, 4096, 32 << 20, 2));
    private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
            .setBaseUri("https://parlance.dev/schemas/").setOutputFormat(OutputFormat.Flag);

    @Test
    void agreesWithTheFullValidatorOnExamplesAndBrokenVariants() {
        int checked = 0;
        int refused = 0;
        for (Task task : Task.values()) {
            JsonObject schema = SCHEMAS.response(task);
            ResponseShape shape = new ResponseShape(schema);
            Validator full = Validator.create(JsonSchema.of(schema.copy()), OPTIONS);
            for (Object example : schema.getJsonArray("examples")) {
                assertTrue(shape.accepts(example), task + " example " + example);
                for (Object variant : variants(example)) {
                    boolean expected = Boolean.TRUE.equals(full.validate(variant).getValid());
                    assertEquals(expected, shape.accepts(variant), task + ": " + variant);
                    checked++;
                    refused += expected ? 0 : 1;
                }
            }
        }
        assertTrue(checked > 50 && refused > 30, "variants checked: " + checked + ", refused: " + refused);
    }

    @Test
    void aSchemaWithAKeywordItDoesNotKnowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ResponseShape(new JsonObject().put("type", "object")
                .put("properties", new JsonObject().put("x", new JsonObject().put("pattern", "^a")))));
        assertThrows(IllegalArgumentException.class, () -> new ResponseShape(new JsonObject().put("oneOf", new JsonArray())));
        assertFalse(new ResponseShape(new JsonObject().put("type", "integer")).accepts(1.5));
        assertTrue(new ResponseShape(new JsonObject().put("type", "integer")).accepts(2.0));
    }

    /** Each value of the example replaced, removed, or joined by an unknown field, one at a time. */
    private static List<Object> variants(Object value) {
        List<Object> out = new ArrayList<>();
        for (Object wrong : new Object[] {"FORGED", -1, 2, 0.5, 3, true, null, new JsonObject(), new JsonArray()}) {
            out.add(wrong);
        }
        if (value instanceof JsonObject object) {
            for (String key : object.fieldNames()) {
                JsonObject without = object.copy();
                without.remove(key);
                out.add(without);
                for (Object inner : variants(object.getValue(key))) {
                    out.add(object.copy().put(key, inner));
                }
            }
            out.add(object.copy().put("extra", 1));
        } else if (value instanceof JsonArray array && !array.isEmpty()) {
            for (Object inner : variants(array.getValue(0))) {
                JsonArray changed = array.copy();
                changed.set(0, inner);
                out.add(changed);
            }
        }
        return out;
    }
}
