package dev.parlance.tasks;

/**
 * One window of a tokenized text, with what token classification needs to map tokens back
 * to the text. Offsets are in Unicode code points of the original text (as Hugging Face's
 * offset mapping is); the caller converts them to whatever unit its clients count in.
 *
 * @param pieces  the token strings, e.g. "##ance"
 * @param starts  start offset of each token (code points); special tokens have 0
 * @param ends    end offset of each token (code points, exclusive)
 * @param special true for [CLS], [SEP] and other added special tokens
 * @param unknown true for the tokenizer's unknown token
 */
public record TokenWindow(Tokens tokens, String[] pieces, int[] starts, int[] ends, boolean[] special, boolean[] unknown) {

    public int length() {
        return tokens.length();
    }
}
