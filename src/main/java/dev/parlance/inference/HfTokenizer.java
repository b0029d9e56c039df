package dev.parlance.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.parlance.tasks.TextTokenizer;
import dev.parlance.tasks.TokenWindow;
import dev.parlance.tasks.Tokens;
import io.vertx.core.json.JsonArray;
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
    /**
     * The same tokenizer without truncation: for pairs whose second text alone is too long to
     * truncate the first (NLI), and for tokenize requests that ask for every token. Made at
     * load, while the files are there: an embedded model's unpacked folder is deleted after it.
     */
    private final HuggingFaceTokenizer untruncated;
    /** Pairs truncate only their first text (NLI), so a second text too long for the model falls back to untruncated. */
    private final boolean truncatesOnlyFirst;
    private final String subwordPrefix;
    private final long unknownId;
    private final int maxTokens;
    /** The longest pair the model can take at all (its position embeddings): the untruncated fallback's bound. */
    private final int maxPairTokens;
    private final boolean rejectTooLong;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, HuggingFaceTokenizer untruncated, boolean truncatesOnlyFirst,
                        String subwordPrefix, long unknownId, int maxTokens, int maxPairTokens, boolean rejectTooLong) {
        this.tokenizer = tokenizer;
        this.untruncated = untruncated;
        this.truncatesOnlyFirst = truncatesOnlyFirst;
        this.subwordPrefix = subwordPrefix;
        this.unknownId = unknownId;
        this.maxTokens = maxTokens;
        this.maxPairTokens = maxPairTokens;
        this.rejectTooLong = rejectTooLong;
    }

    /**
     * @param stride        tokens shared by consecutive windows (only with {@link Overflow#WINDOWS})
     * @param rejectTooLong refuse (400) rather than truncate a text longer than maxTokens
     * @param maxPairTokens the most tokens the model takes at all (its position embeddings), which
     *                      bounds a pair whose hypothesis alone is too long to truncate the premise
     */
    static HfTokenizer load(Path tokenizerJson, int maxTokens, Overflow overflow, int stride, boolean rejectTooLong,
                            int maxPairTokens)
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
        JsonObject file = new JsonObject(Files.readString(tokenizerJson));
        JsonObject model = file.getJsonObject("model", new JsonObject());
        HuggingFaceTokenizer untruncated = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                "padding", "false", "truncation", "false", "modelMaxLength", max));
        // An empty prefix means none (RoBERTa, BART and GPT-2 files carry ""), as it does to
        // Hugging Face, whose pipeline then falls back to its space rule to find sub-words.
        String prefix = model.getString("continuing_subword_prefix");
        HuggingFaceTokenizer truncating;
        try {
            truncating = HuggingFaceTokenizer.newInstance(tokenizerJson, options);
        } catch (IOException | RuntimeException e) {
            untruncated.close();
            throw e;
        }
        return new HfTokenizer(truncating, untruncated, overflow == Overflow.TRUNCATE_FIRST_OF_PAIR,
                prefix == null || prefix.isEmpty() ? null : prefix, unknownId(file), maxTokens, maxPairTokens,
                rejectTooLong && overflow != Overflow.WINDOWS);
    }

    /**
     * The unknown token's id, as Hugging Face compares it: Unigram files give {@code unk_id};
     * WordPiece and BPE files name {@code unk_token}, looked up in the vocabulary; byte-level
     * BPE files (RoBERTa) name none, but still declare {@code <unk>} as an added token, which
     * Hugging Face's tokenizer class knows as its unknown token. -1 when there is none.
     * (By id, not by text: a Unigram unknown piece carries the original text.)
     */
    static long unknownId(JsonObject tokenizerJson) {
        JsonObject model = tokenizerJson.getJsonObject("model", new JsonObject());
        if (model.getValue("unk_id") instanceof Number n) {
            return n.longValue();
        }
        String token = model.getString("unk_token");
        if (token != null && model.getValue("vocab") instanceof JsonObject vocab && vocab.getValue(token) instanceof Number n) {
            return n.longValue();
        }
        JsonArray added = tokenizerJson.getJsonArray("added_tokens", new JsonArray());
        for (int i = 0; i < added.size(); i++) {
            JsonObject t = added.getJsonObject(i);
            if (("<unk>".equals(t.getString("content")) || "[UNK]".equals(t.getString("content")))
                    && t.getValue("id") instanceof Number n) {
                return n.longValue();
            }
        }
        return -1;
    }

    /** The continuing-subword prefix of the tokenizer's model ("##" for WordPiece), or null. */
    String subwordPrefix() {
        return subwordPrefix;
    }

    @Override
    public Tokens encode(String text) {
        return tokens(checked(tokenizer.encode(wellFormed(text)), rejectTooLong));
    }

    @Override
    public Tokens encodePair(String premise, String hypothesis) {
        return encodePair(premise, hypothesis, rejectTooLong);
    }

    /**
     * A pair, cut to the model's length as the tokenizer was loaded to cut it, or refused (400)
     * when {@code reject} and it is too long. An NLI tokenizer truncates only the premise: when
     * the hypothesis alone is longer than the model takes, there is nothing to truncate, and
     * Hugging Face's zero-shot pipeline then encodes that pair without truncation (it catches
     * the tokenizer's "too short" error), and so does this.
     */
    Tokens encodePair(String premise, String hypothesis, boolean reject) {
        String first = wellFormed(premise);
        String second = wellFormed(hypothesis);
        try {
            return tokens(checked(tokenizer.encode(first, second), reject));
        } catch (RuntimeException e) {
            if (!truncatesOnlyFirst || e.getMessage() == null || !e.getMessage().contains("too short")) {
                throw e;
            }
            Encoding whole = untruncated.encode(first, second);
            int length = whole.getIds().length;
            if ((reject && length > maxTokens) || length > maxPairTokens) {
                throw new IllegalArgumentException("a label is too long for this model: with it the hypothesis"
                        + " alone exceeds " + maxTokens + " tokens, and the whole pair (" + length + " tokens) exceeds "
                        + (reject ? maxTokens : maxPairTokens) + "; shorten the label");
            }
            return tokens(whole);
        }
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

    private Encoding checked(Encoding encoding, boolean reject) {
        if (reject && encoding.exceedMaxLength()) {
            throw new IllegalArgumentException("a text is longer than the " + maxTokens + " tokens this model takes"
                    + (reject == rejectTooLong ? " (the model is configured to reject, not truncate, long texts)"
                    : " (the request asked not to truncate)"));
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

    /**
     * A text's tokens as the caller asks: all of them, or only those the model runs (truncated
     * to its length; for a token-classification model, the first of its windows).
     */
    @Override
    public TokenWindow tokenize(String text, boolean addSpecialTokens, boolean truncate) {
        HuggingFaceTokenizer which = truncate ? tokenizer : untruncated;
        return window(which.encode(wellFormed(text), addSpecialTokens, false));
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
        long[] ids = e.getIds();
        for (int i = 0; i < n; i++) {
            special[i] = specialMask[i] == 1 || spans[i] == null;
            if (!special[i]) {
                starts[i] = spans[i].getStart();
                ends[i] = spans[i].getEnd();
            }
            unknown[i] = ids[i] == unknownId;
        }
        return new TokenWindow(tokens(e), pieces, starts, ends, special, unknown);
    }

    private static Tokens tokens(Encoding encoding) {
        return new Tokens(encoding.getIds(), encoding.getTypeIds());
    }

    @Override
    public void close() {
        tokenizer.close();
        untruncated.close();
    }
}
