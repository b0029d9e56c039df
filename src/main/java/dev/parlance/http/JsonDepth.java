package dev.parlance.http;

import io.vertx.core.buffer.Buffer;

/**
 * A look at a JSON text's raw bytes before any parser builds a tree: how deeply it nests
 * arrays and objects (a megabyte of "[" must cost a scan, not a stack), and whether it is
 * strict JSON as far as the count depends on it.
 */
final class JsonDepth {

    /** What the scan found. */
    enum Verdict {
        FINE,
        TOO_DEEP,
        /**
         * A "/" outside a string, or a closing bracket with nothing open. Strict JSON has
         * neither, but the Jackson parser of Vert.x accepts comments, and brackets inside a
         * comment would throw the count off: a comment holding 900 "]" would let 900 levels
         * through. So a comment is refused as malformed, not skipped.
         */
        NOT_STRICT_JSON
    }

    private JsonDepth() {
    }

    /** One pass over the bytes; strings (and escapes in them) are skipped. */
    static Verdict scan(Buffer json, int max) {
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
            } else if (b == '/') {
                return Verdict.NOT_STRICT_JSON;
            } else if (b == '{' || b == '[') {
                if (++depth > max) {
                    return Verdict.TOO_DEEP;
                }
            } else if (b == '}' || b == ']') {
                if (--depth < 0) {
                    return Verdict.NOT_STRICT_JSON;
                }
            }
        }
        return Verdict.FINE;
    }
}
