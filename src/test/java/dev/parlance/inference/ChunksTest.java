package dev.parlance.inference;

import dev.parlance.tasks.Tokens;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChunksTest {

    private static List<Tokens> lengths(int... n) {
        return IntStream.of(n).mapToObj(len -> new Tokens(new long[len], new long[len])).toList();
    }

    @Test
    void similarLengthsShareAPassWithinTheBudget() {
        // lengths 10, 50, 12, 48 -> sorted 10, 12 | 48, 50 under a budget of 100 padded tokens
        List<int[]> plan = Chunks.plan(lengths(10, 50, 12, 48), 8, 100, 1000, t -> 0);
        assertEquals(2, plan.size());
        assertArrayEquals(new int[] {0, 2}, plan.get(0));
        assertArrayEquals(new int[] {3, 1}, plan.get(1));
    }

    @Test
    void paddingBeyondTheAllowanceStartsANewPass() {
        // 20, 21, 22 pad to 3 x 22 = 66 for 63 real tokens (5%); 30 would pad to 120 for 93 (29%)
        List<int[]> plan = Chunks.plan(lengths(30, 20, 22, 21), 8, 10_000, 0.1, t -> 0);
        assertEquals(List.of(3, 1), plan.stream().map(c -> c.length).toList());
        assertArrayEquals(new int[] {0}, plan.get(1));
    }

    @Test
    void theSequenceCapSplitsToo() {
        List<int[]> plan = Chunks.plan(lengths(5, 5, 5, 5, 5), 2, 1000, 0, t -> 0);
        assertEquals(List.of(2, 2, 1), plan.stream().map(c -> c.length).toList());
    }

    @Test
    void everySequenceIsPlannedExactlyOnceEvenWhenTooLong() {
        List<int[]> plan = Chunks.plan(lengths(300, 3, 7), 8, 100, 1000, t -> 0);
        int[] all = plan.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2}, all);
        assertArrayEquals(new int[] {0}, plan.get(plan.size() - 1));
    }

    @Test
    void sequencesShareAPassOnlyWithTheirOwnKey() {
        // BART pools at the last </s>: rows with 2 and 3 of them must never share a pass.
        List<Tokens> sequences = lengths(5, 5, 5, 5);
        int[] keys = {2, 3, 2, 3};
        List<int[]> plan = Chunks.plan(sequences, 8, 1000, 0, t -> keys[sequences.indexOf(t)]);
        assertEquals(2, plan.size());
        for (int[] chunk : plan) {
            assertEquals(1, Arrays.stream(chunk).map(i -> keys[i]).distinct().count(), Arrays.toString(chunk));
        }
    }
}
