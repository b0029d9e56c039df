package dev.parlance.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads from one JSON object of the configuration. A wrong value is recorded with its
 * full path (e.g. {@code models[0].workers}) and a usable default is returned, so parsing
 * carries on and every problem is reported together.
 */
final class ConfigReader {

    private final JsonObject json;
    private final String path;
    private final List<String> problems;

    ConfigReader(JsonObject json, String path, List<String> problems) {
        this.json = json == null ? new JsonObject() : json;
        this.path = path;
        this.problems = problems;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        problems.add(path(key) + ": " + message);
    }

    boolean has(String key) {
        return json.getValue(key) != null;
    }

    ConfigReader object(String key) {
        Object value = json.getValue(key);
        if (value != null && !(value instanceof JsonObject)) {
            problem(key, "must be an object");
            value = null;
        }
        return new ConfigReader((JsonObject) value, path(key), problems);
    }

    List<ConfigReader> objects(String key) {
        Object value = json.getValue(key);
        List<ConfigReader> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof JsonArray array)) {
            problem(key, "must be an array of objects");
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            Object item = array.getValue(i);
            String itemPath = path(key) + "[" + i + "]";
            if (item instanceof JsonObject obj) {
                out.add(new ConfigReader(obj, itemPath, problems));
            } else {
                problems.add(itemPath + ": must be an object");
            }
        }
        return out;
    }

    String string(String key, String fallback) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s)) {
            problem(key, "must be a string");
            return fallback;
        }
        return s;
    }

    String requiredString(String key) {
        String value = string(key, null);
        if (value == null && !has(key)) {
            problem(key, "is required");
        } else if (value != null && value.isBlank()) {
            problem(key, "must not be empty");
        }
        return value == null ? "" : value;
    }

    boolean bool(String key, boolean fallback) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            problem(key, "must be true or false");
            return fallback;
        }
        return b;
    }

    int integer(String key, int fallback, int min, int max) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            problem(key, "must be an integer");
            return fallback;
        }
        long v = n.longValue();
        if (v < min || v > max) {
            problem(key, "must be between " + min + " and " + max + " (was " + v + ")");
            return fallback;
        }
        return (int) v;
    }

    double number(String key, double fallback, double min, double max) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n)) {
            problem(key, "must be a number");
            return fallback;
        }
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) {
            problem(key, "must be between " + min + " and " + max + " (was " + v + ")");
            return fallback;
        }
        return v;
    }

    List<String> strings(String key) {
        Object value = json.getValue(key);
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof JsonArray array)) {
            problem(key, "must be an array of strings");
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            if (array.getValue(i) instanceof String s) {
                out.add(s);
            } else {
                problems.add(path(key) + "[" + i + "]: must be a string");
            }
        }
        return out;
    }

    <E extends Enum<E>> E choice(String key, E fallback, Class<E> type) {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        String constant = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        problem(key, "must be one of " + allowed + " (was \"" + value + "\")");
        return fallback;
    }
}
