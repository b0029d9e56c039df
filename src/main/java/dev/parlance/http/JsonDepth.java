package dev.parlance.http;

import io.vertx.core.buffer.Buffer;

/**
 * How deeply a JSON text nests arrays and objects, measured on the raw bytes before any
 * parser builds a tree: a megabyte of "[" must cost a scan, not a stack.
 */
final class JsonDepth {

    private JsonDepth() {
    }

    /** True when the text nests deeper than {@code max}; strings (and escapes in them) are skipped. */
    static boolean exceeds(Buffer json, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0, n = json.length(); i < n; i++) {
            byte b = json.getByte(i);
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > max) {
                    return true;
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return false;
    }
}
