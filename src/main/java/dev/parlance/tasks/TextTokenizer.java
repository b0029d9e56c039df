package dev.parlance.tasks;

/**
 * The tokenizer as the tasks need it. Implemented over Hugging Face's tokenizers by the
 * inference layer; tasks stay free of engine types and can be tested with any implementation.
 */
public interface TextTokenizer {

    /** A single text, truncated to the model's maximum length. */
    Tokens encode(String text);

    /** A (premise, hypothesis) pair; only the premise is ever truncated, as Hugging Face does. */
    Tokens encodePair(String premise, String hypothesis);

    /**
     * A text of any length as overlapping windows of the model's maximum length, with token
     * offsets (Hugging Face's overflowing tokens with stride).
     */
    java.util.List<TokenWindow> encodeWindows(String text);
}
