package dev.parlance.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a body against a response schema of {@code schemas/}, reading the schema itself (no
 * second copy of its rules), but only the few keywords those schemas use: {@code type},
 * {@code properties}, {@code required}, {@code additionalProperties: false}, {@code items},
 * {@code minimum}, {@code maximum}, {@code const}. A gateway checks every answer with it, on the
 * event loop: the general JSON Schema validator took about 80 ms for one answer of 64
 * embeddings of 384 values here (2 busy cores), this check well under a millisecond. A schema with any other keyword
 * is refused when the check is made, so a richer schema can never be checked only in part.
 */
final class ResponseShape {

    /** Keywords that say nothing about validity. */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "title", "description", "examples");
    private static final Set<String> KNOWN = Set.of("type", "properties", "required", "additionalProperties", "items",
            "minimum", "maximum", "const", "minItems");

    /** One schema, read once: checking an answer then only walks these. */
    private record Node(List<String> types, Double minimum, Double maximum, Map<String, Node> properties,
                        List<String> required, boolean closed, Node items, Integer minItems, boolean hasConst,
                        Object constant) {

        static Node of(JsonObject schema) {
            Map<String, Node> properties = new HashMap<>();
            JsonObject declared = schema.getJsonObject("properties", new JsonObject());
            for (String name : declared.fieldNames()) {
                properties.put(name, of(declared.getJsonObject(name)));
            }
            List<String> required = new ArrayList<>();
            for (Object name : schema.getJsonArray("required", new JsonArray())) {
                required.add((String) name);
            }
            return new Node(types(schema), number(schema, "minimum"), number(schema, "maximum"),
                    Map.copyOf(properties), List.copyOf(required), Boolean.FALSE.equals(schema.getValue("additionalProperties")),
                    schema.getJsonObject("items") == null ? null : of(schema.getJsonObject("items")),
                    schema.getInteger("minItems"), schema.containsKey("const"), schema.getValue("const"));
        }

        /** {@code "type": "integer"} or {@code "type": ["integer", "null"]}; empty when untyped. */
        private static List<String> types(JsonObject schema) {
            Object type = schema.getValue("type");
            if (type instanceof String one) {
                return List.of(one);
            }
            return type instanceof JsonArray many ? many.stream().map(String.class::cast).toList() : List.of();
        }

        private static Double number(JsonObject schema, String key) {
            return schema.getValue(key) instanceof Number n ? n.doubleValue() : null;
        }

        boolean accepts(Object value) {
            if (hasConst && !Objects.equals(constant, value)) {
                return false;
            }
            if (!types.isEmpty() && types.stream().noneMatch(type -> hasType(type, value))) {
                return false;
            }
            if (value instanceof Number n) {
                double v = n.doubleValue();
                if ((minimum != null && v < minimum) || (maximum != null && v > maximum)) {
                    return false;
                }
            }
            // Vert.x keeps nested values as they were parsed (maps and lists) and wraps them on each
            // read: both forms are taken as they are, without a wrapper per value.
            Map<String, Object> object = value instanceof JsonObject json ? json.getMap()
                    : value instanceof Map<?, ?> map ? cast(map) : null;
            if (object != null) {
                for (String name : required) {
                    if (!object.containsKey(name)) {
                        return false;
                    }
                }
                for (Map.Entry<String, Object> field : object.entrySet()) {
                    Node property = properties.get(field.getKey());
                    if (property == null ? closed : !property.accepts(field.getValue())) {
                        return false;
                    }
                }
            }
            List<?> array = value instanceof JsonArray json ? json.getList() : value instanceof List<?> list ? list : null;
            if (array != null && minItems != null && array.size() < minItems) {
                return false;
            }
            if (array != null && items != null) {
                for (Object item : array) {
                    if (!items.accepts(item)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private final Node root;

    ResponseShape(JsonObject schema) {
        requireKnownKeywords(schema, "#");
        this.root = Node.of(schema);
    }

    boolean accepts(Object value) {
        return root.accepts(value);
    }

    private static boolean hasType(String type, Object value) {
        return switch (type) {
            case "object" -> value instanceof JsonObject || value instanceof Map;
            case "array" -> value instanceof JsonArray || value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            case "number" -> value instanceof Number n && Double.isFinite(n.doubleValue());
            // JSON Schema counts 1.0 as an integer too.
            case "integer" -> value instanceof Number n && Double.isFinite(n.doubleValue())
                    && n.doubleValue() == Math.rint(n.doubleValue());
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    private static void requireKnownKeywords(JsonObject schema, String at) {
        for (String keyword : schema.fieldNames()) {
            if (!ANNOTATIONS.contains(keyword) && !KNOWN.contains(keyword)) {
                throw new IllegalArgumentException("response schema keyword " + at + "/" + keyword
                        + " is not one the answer check knows: teach ResponseShape, or use the full validator");
            }
        }
        List<String> names = List.of("object", "array", "string", "boolean", "null", "number", "integer");
        Object type = schema.getValue("type");
        boolean known = type == null || (type instanceof String one && names.contains(one))
                || (type instanceof JsonArray many && !many.isEmpty() && many.stream().allMatch(names::contains));
        if (!known) {
            throw new IllegalArgumentException("response schema " + at + "/type must be type names");
        }
        if (schema.getValue("additionalProperties") != null && !Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
            throw new IllegalArgumentException("response schema " + at + "/additionalProperties: only false is supported");
        }
        JsonObject properties = schema.getJsonObject("properties", new JsonObject());
        for (String name : properties.fieldNames()) {
            requireKnownKeywords(properties.getJsonObject(name), at + "/properties/" + name);
        }
        if (schema.getJsonObject("items") != null) {
            requireKnownKeywords(schema.getJsonObject("items"), at + "/items");
        }
    }
}
