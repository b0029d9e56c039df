package dev.parlance.inference;

import dev.parlance.tasks.TextTokenizer;
import dev.parlance.tasks.TokenWindow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * {@code tokenize}, in Hugging Face TEI's shape: {@code {inputs, add_special_tokens?, truncate?,
 * offsets?}} to one list per input of {@code {id, text, token, special, start, stop}}. As in
 * TEI, {@code text} is the token's slice of the input (a special token's own text), and a special
 * token has no offsets. Offsets count UTF-8 bytes by default, as TEI's do; {@code "utf-16"}
 * counts Java/JavaScript string indices, {@code "code-points"} Python's. Runs no forward pass.
 */
final class TokenizePipeline implements TaskPipeline {

    /**
     * The most tokens one request gets back, all its texts together. The answer holds an
     * object per token (about half a kilobyte of heap each): without a cap, one body of 64
     * texts of punctuation would ask for a million of them.
     */
    static final int MAX_TOKENS = 8192;

    private final TextTokenizer tokenizer;

    TokenizePipeline(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public Work prepare(JsonObject input) {
        Object inputs = input.getValue("inputs");
        List<String> texts = inputs instanceof String s ? List.of(s)
                : ((JsonArray) inputs).stream().map(String.class::cast).toList();
        boolean special = !Boolean.FALSE.equals(input.getBoolean("add_special_tokens"));
        boolean truncate = Boolean.TRUE.equals(input.getBoolean("truncate"));
        String unit = input.getString("offsets", "utf-8");
        JsonArray answer = new JsonArray();
        int total = 0;
        for (String text : texts) {
            TokenWindow window = tokenizer.tokenize(text, special, truncate);
            total += window.length();
            if (total > MAX_TOKENS) {
                throw new IllegalArgumentException("the texts hold more than " + MAX_TOKENS
                        + " tokens together, the most one tokenize request answers: send fewer or shorter texts");
            }
            answer.add(tokens(text, window, unit));
        }
        return new Work(List.of(), outputs -> answer);
    }

    private static JsonArray tokens(String text, TokenWindow window, String unit) {
        int[] utf8 = unit.equals("utf-8") ? utf8Offsets(text) : null;
        int[] utf16 = utf16Offsets(text);
        JsonArray tokens = new JsonArray();
        for (int i = 0; i < window.length(); i++) {
            JsonObject token = new JsonObject().put("id", window.tokens().ids()[i]).put("token", window.pieces()[i])
                    .put("special", window.special()[i]);
            if (window.special()[i]) {
                token.put("text", window.pieces()[i]).putNull("start").putNull("stop");
            } else {
                // Token offsets count code points; the caller's text is UTF-16.
                int start = utf16[window.starts()[i]];
                int end = utf16[window.ends()[i]];
                token.put("text", text.substring(start, end))
                        .put("start", offset(utf8, start, window.starts()[i], unit))
                        .put("stop", offset(utf8, end, window.ends()[i], unit));
            }
            tokens.add(token);
        }
        return tokens;
    }

    /** An offset in the unit the caller asked for, from its UTF-16 and code-point forms. */
    private static int offset(int[] utf8, int utf16, int codePoints, String unit) {
        return switch (unit) {
            case "utf-16" -> utf16;
            case "code-points" -> codePoints;
            default -> utf8[utf16];
        };
    }

    /** The UTF-16 index of every code point of a text (and of its end), in one pass. */
    private static int[] utf16Offsets(String text) {
        int[] out = new int[text.codePointCount(0, text.length()) + 1];
        int codePoint = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            out[codePoint++] = i;
        }
        out[codePoint] = text.length();
        return out;
    }

    /**
     * The UTF-8 byte offset of every UTF-16 index of a text, in one pass. A lone surrogate
     * counts as the U+FFFD the tokenizer read in its place (3 bytes).
     */
    private static int[] utf8Offsets(String text) {
        int[] out = new int[text.length() + 1];
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            out[i] = bytes;
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out[++i] = bytes; // the middle of a pair is no offset a token can have
                bytes += 4;
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        out[text.length()] = bytes;
        return out;
    }
}
