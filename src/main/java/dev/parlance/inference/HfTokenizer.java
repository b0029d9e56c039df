package dev.parlance.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.parlance.tasks.TextTokenizer;
import dev.parlance.tasks.TokenWindow;
import dev.parlance.tasks.Tokens;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's tokenizer (Rust, through DJL) as the tasks need it. Padding is switched off
 * whatever tokenizer.json says (the embedded one pads everything to 128): batches are padded
 * to their own longest sequence instead. Truncation length comes from the model's config.
 * Safe to share between threads: encoding does not mutate the tokenizer.
 */
final class HfTokenizer implements TextTokenizer, AutoCloseable {

    /** How texts longer than the model are handled. */
    enum Overflow {
        /** Truncate; in a pair, only the first text (the premise), as zero-shot classification needs. */
        TRUNCATE_FIRST_OF_PAIR,
        /** Truncate the longest text first. */
        TRUNCATE,
        /** Split into overlapping windows (token classification). */
        WINDOWS
    }

    private final HuggingFaceTokenizer tokenizer;
    private final String subwordPrefix;
    private final String unknownToken;
    private final int maxTokens;
    private final boolean rejectTooLong;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, String subwordPrefix, String unknownToken, int maxTokens,
                        boolean rejectTooLong) {
        this.tokenizer = tokenizer;
        this.subwordPrefix = subwordPrefix;
        this.unknownToken = unknownToken;
        this.maxTokens = maxTokens;
        this.rejectTooLong = rejectTooLong;
    }

    /**
     * @param stride        tokens shared by consecutive windows (only with {@link Overflow#WINDOWS})
     * @param rejectTooLong refuse (400) rather than truncate a text longer than maxTokens
     */
    static HfTokenizer load(Path tokenizerJson, int maxTokens, Overflow overflow, int stride, boolean rejectTooLong)
            throws IOException {
        String max = Integer.toString(maxTokens);
        Map<String, String> options = new HashMap<>(Map.of(
                "padding", "false",
                "truncation", overflow == Overflow.TRUNCATE_FIRST_OF_PAIR ? "only_first" : "longest_first",
                "maxLength", max,
                "modelMaxLength", max));
        if (overflow == Overflow.WINDOWS) {
            options.put("withOverflowingTokens", "true");
            options.put("stride", Integer.toString(stride));
        }
        JsonObject model = new JsonObject(Files.readString(tokenizerJson)).getJsonObject("model", new JsonObject());
        return new HfTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options),
                model.getString("continuing_subword_prefix"), model.getString("unk_token"), maxTokens,
                rejectTooLong && overflow != Overflow.WINDOWS);
    }

    /** The continuing-subword prefix of the tokenizer's model ("##" for WordPiece), or null. */
    String subwordPrefix() {
        return subwordPrefix;
    }

    @Override
    public Tokens encode(String text) {
        return tokens(checked(tokenizer.encode(wellFormed(text))));
    }

    @Override
    public Tokens encodePair(String premise, String hypothesis) {
        return tokens(checked(tokenizer.encode(wellFormed(premise), wellFormed(hypothesis))));
    }

    /**
     * JSON can carry lone surrogates ("\ud800"), which are not text. Handed to the Rust
     * tokenizer they become several replacement characters and shift every offset after them;
     * replaced here by one U+FFFD each, the text keeps its length in UTF-16 units and in code
     * points, so offsets still point into the caller's text.
     */
    static String wellFormed(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '\uFFFD';
            }
        }
        return chars == null ? text : new String(chars);
    }

    private Encoding checked(Encoding encoding) {
        if (rejectTooLong && encoding.exceedMaxLength()) {
            throw new IllegalArgumentException("a text is longer than the " + maxTokens
                    + " tokens this model takes (the model is configured to reject, not truncate, long texts)");
        }
        return encoding;
    }

    @Override
    public List<TokenWindow> encodeWindows(String text) {
        Encoding first = tokenizer.encode(wellFormed(text));
        List<TokenWindow> windows = new ArrayList<>();
        windows.add(window(first));
        for (Encoding more : first.getOverflowing()) {
            windows.add(window(more));
        }
        return windows;
    }

    private TokenWindow window(Encoding e) {
        String[] pieces = e.getTokens();
        CharSpan[] spans = e.getCharTokenSpans();
        long[] specialMask = e.getSpecialTokenMask();
        int n = pieces.length;
        int[] starts = new int[n];
        int[] ends = new int[n];
        boolean[] special = new boolean[n];
        boolean[] unknown = new boolean[n];
        for (int i = 0; i < n; i++) {
            special[i] = specialMask[i] == 1 || spans[i] == null;
            if (!special[i]) {
                starts[i] = spans[i].getStart();
                ends[i] = spans[i].getEnd();
            }
            unknown[i] = pieces[i].equals(unknownToken);
        }
        return new TokenWindow(tokens(e), pieces, starts, ends, special, unknown);
    }

    private static Tokens tokens(Encoding encoding) {
        return new Tokens(encoding.getIds(), encoding.getTypeIds());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
