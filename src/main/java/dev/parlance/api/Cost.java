package dev.parlance.api;

import io.vertx.core.json.JsonArray;

/**
 * What a request will cost the model, guessed from its characters: about 4 a token (English),
 * plus the special tokens of each sequence. The batcher keeps a batch's {@code tokens} within
 * its budget and groups requests of similar {@code typicalLength}.
 *
 * @param tokens        tokens of all its sequences together
 * @param typicalLength tokens of its typical sequence
 */
public record Cost(int tokens, int typicalLength) {

    /** Special tokens added to a single text ([CLS] ... [SEP]); a pair gets one more. */
    static final int SPECIAL_TOKENS = 2;

    static int tokensOf(Object text) {
        return (text instanceof String s ? s.length() : 0) / 4 + SPECIAL_TOKENS;
    }

    /** {@code sequences} sequences that each hold {@code text} plus {@code extraChars} characters. */
    static Cost repeated(Object text, int sequences, int extraChars) {
        int each = tokensOf(text) + extraChars / 4;
        return new Cost(each * Math.max(1, sequences), each);
    }

    /** One sequence per text of the array. */
    static Cost ofTexts(JsonArray texts) {
        int tokens = 0;
        for (Object text : texts) {
            tokens += tokensOf(text);
        }
        return new Cost(tokens, tokens / Math.max(1, texts.size()));
    }
}
