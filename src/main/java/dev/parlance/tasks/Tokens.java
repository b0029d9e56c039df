package dev.parlance.tasks;

/**
 * One tokenized sequence, unpadded: what a model sees for one text (or one text pair).
 * Padding is added per batch, to the batch's longest sequence, by the inference layer.
 *
 * @param ids token ids, special tokens included
 * @param typeIds segment ids (0 for the first text of a pair, 1 for the second)
 */
public record Tokens(long[] ids, long[] typeIds) {

    public int length() {
        return ids.length;
    }
}
