package dev.parlance.bus;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.OutputUnit;

import java.util.List;

/**
 * The API's sentence for each violated schema keyword, in one place. The validator's own
 * messages are written for schema authors ("Array has too few items ( + 0 < 1)"); a caller
 * reads these after the field's path: "/labels: must have at least 1 item".
 */
final class ViolationMessages {

    private ViolationMessages() {
    }

    /**
     * @param schema the schema that was validated against; the keyword's value (the limit, the
     *               types) is read from it. A keyword it does not hold (reached through a
     *               {@code $ref} into another file) keeps the validator's message.
     */
    static String describe(OutputUnit error, JsonObject schema) {
        String location = String.valueOf(error.getKeywordLocation());
        String keyword = location.substring(location.lastIndexOf('/') + 1);
        Object value = valueAt(schema, location);
        if (value == null) {
            return error.getError();
        }
        return switch (keyword) {
            case "required" -> "is required";
            case "additionalProperties", "unevaluatedProperties" -> "is not an accepted field";
            case "type" -> "must be " + types(value);
            case "minItems" -> "must have at least " + count(value, "item");
            case "maxItems" -> "must have at most " + count(value, "item");
            case "minLength" -> Integer.valueOf(1).equals(value) ? "must not be empty"
                    : "must be at least " + count(value, "character") + " long";
            case "maxLength" -> "must be at most " + count(value, "character") + " long";
            case "enum" -> "must be one of " + Json.encode(value);
            case "const" -> "must be " + Json.encode(value);
            case "minimum" -> "must be at least " + value;
            case "maximum" -> "must be at most " + value;
            default -> error.getError();
        };
    }

    /** The validator writes keyword locations as "#/properties/labels/minItems". */
    private static Object valueAt(JsonObject schema, String location) {
        if (schema == null || !location.startsWith("#/")) {
            return null;
        }
        try {
            return JsonPointer.from(location.substring(1)).queryJson(schema);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String count(Object n, String noun) {
        return n + " " + noun + (Integer.valueOf(1).equals(n) ? "" : "s");
    }

    private static String types(Object type) {
        List<?> names = type instanceof JsonArray array ? array.getList() : List.of(type);
        return String.join(" or ", names.stream().map(t -> switch (String.valueOf(t)) {
            case "object" -> "an object";
            case "array" -> "an array";
            case "string" -> "a string";
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "boolean" -> "a boolean";
            case "null" -> "null";
            default -> String.valueOf(t);
        }).toList());
    }
}
