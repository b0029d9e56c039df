package dev.parlance.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.parlance.tasks.TextTokenizer;
import dev.parlance.tasks.Tokens;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Hugging Face's tokenizer (Rust, through DJL) as the tasks need it. Padding is switched off
 * whatever tokenizer.json says (the embedded one pads everything to 128): batches are padded
 * to their own longest sequence instead. Truncation length comes from the model's config.
 * Safe to share between threads: encoding does not mutate the tokenizer.
 */
final class HfTokenizer implements TextTokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * @param pairsTruncateFirst truncate only the first text of a pair (the premise), as
     *                           zero-shot classification needs; otherwise the longest first
     */
    static HfTokenizer load(Path tokenizerJson, int maxTokens, boolean pairsTruncateFirst) throws IOException {
        String max = Integer.toString(maxTokens);
        return new HfTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                "padding", "false",
                "truncation", pairsTruncateFirst ? "only_first" : "longest_first",
                "maxLength", max,
                "modelMaxLength", max)));
    }

    @Override
    public Tokens encode(String text) {
        return tokens(tokenizer.encode(text));
    }

    @Override
    public Tokens encodePair(String premise, String hypothesis) {
        return tokens(tokenizer.encode(premise, hypothesis));
    }

    private static Tokens tokens(Encoding encoding) {
        return new Tokens(encoding.getIds(), encoding.getTypeIds());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
