package dev.parlance.tasks;

/**
 * The tokenizer as the tasks need it. Implemented over Hugging Face's tokenizers by the
 * inference layer; tasks stay free of engine types and can be tested with any implementation.
 */
public interface TextTokenizer {

    /** A single text, truncated to the model's maximum length. */
    Tokens encode(String text);

    /**
     * A pair of texts, truncated as the model's kind needs: an NLI model truncates only the
     * premise (Hugging Face's zero-shot pipeline), a rerank model the longer text first
     * ({@code longest_first}, as sentence-transformers' CrossEncoder and TEI do).
     */
    Tokens encodePair(String premise, String hypothesis);

    /**
     * A text of any length as overlapping windows of the model's maximum length, with token
     * offsets (Hugging Face's overflowing tokens with stride).
     */
    java.util.List<TokenWindow> encodeWindows(String text);

    /**
     * A text's tokens with their pieces and offsets: every token ({@code truncate} false), or
     * those the model would run ({@code truncate} true).
     */
    TokenWindow tokenize(String text, boolean addSpecialTokens, boolean truncate);
}
