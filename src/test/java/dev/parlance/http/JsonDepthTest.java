package dev.parlance.http;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonDepthTest {

    private static JsonDepth.Verdict scan(String json, int max) {
        return JsonDepth.scan(Buffer.buffer(json), max);
    }

    @Test
    void nestingIsCountedOutsideStringsOnly() {
        assertEquals(JsonDepth.Verdict.FINE, scan("{\"a\": [[1]]}", 3));
        assertEquals(JsonDepth.Verdict.TOO_DEEP, scan("{\"a\": [[[1]]]}", 3));
        assertEquals(JsonDepth.Verdict.FINE, scan("{\"a\": \"[[[[{{{{ \\\" [[[[\"}", 1));
    }

    @Test
    void aSlashInAStringIsText() {
        assertEquals(JsonDepth.Verdict.FINE, scan("{\"url\": \"https://example.com/a/*b*/\", \"c\": \"\\/\"}", 2));
    }

    @Test
    void commentsAreNotStrictJson() {
        assertEquals(JsonDepth.Verdict.NOT_STRICT_JSON, scan("{\"a\": 1 /* note */}", 16));
        assertEquals(JsonDepth.Verdict.NOT_STRICT_JSON, scan("{\"a\": 1 // note\n}", 16));
    }

    @Test
    void bracketsInACommentCannotHideNesting() {
        String json = "{\"a\": /*" + "]".repeat(900) + "*/ " + "[".repeat(900) + "]".repeat(900) + "}";
        assertEquals(JsonDepth.Verdict.NOT_STRICT_JSON, scan(json, 16));
    }

    @Test
    void aClosingBracketWithNothingOpenIsNotStrictJson() {
        assertEquals(JsonDepth.Verdict.NOT_STRICT_JSON, scan("]]]" + "[".repeat(20), 16));
    }
}
