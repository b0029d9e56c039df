package dev.parlance.http;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8: JSON must be UTF-8 (RFC 8259), and the JSON parser is lenient about some
 * invalid forms (overlong encodings such as C0 AF for "/"), which are a classic way to smuggle
 * characters past filters. The JDK's decoder rejects them all.
 */
final class Utf8 {

    private Utf8() {
    }

    static boolean isValid(Buffer bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.getBytes()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
