package dev.parlance.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;

/**
 * The effective configuration as JSON (what --print-config shows): every default filled in,
 * in the file's own vocabulary, with every secret masked.
 */
public final class ConfigPrinter {

    private static final String MASK = "****";

    private ConfigPrinter() {
    }

    public static JsonObject toJson(ParlanceConfig config) {
        JsonObject json = (JsonObject) value(config);
        JsonArray masked = new JsonArray();
        config.auth().tokens().forEach(t -> masked.add(MASK));
        json.getJsonObject("auth").put("tokens", masked);
        if (config.cluster().tls().password() != null) {
            json.getJsonObject("cluster").getJsonObject("tls").put("password", MASK);
        }
        return json;
    }

    /** Records become objects (component name = config key), lists arrays, enums their config spelling. */
    private static Object value(Object value) {
        if (value instanceof Record record) {
            JsonObject json = new JsonObject();
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                try {
                    json.put(c.getName(), value(c.getAccessor().invoke(record)));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + c.getName(), e);
                }
            }
            return json;
        }
        if (value instanceof java.util.Collection<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(item -> array.add(value(item)));
            return array;
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return value;
    }
}
