package dev.parlance.cluster;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway's measure of its nodes, on a clock the test moves. */
class NodeLoadTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final NodeLoad<String> load = new NodeLoad<>(2_000, now::get);

    @Test
    void idleNodesShareTheWork() {
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(load.choose(List.of("a", "b")));
        }
        assertEquals(Set.of("a", "b"), chosen, "with nothing outstanding, both get jobs");
    }

    @Test
    void theNodeOwingFewerAnswersGetsTheJob() {
        load.sent("a", "j1");
        load.sent("a", "j2");
        load.sent("b", "j3");
        for (int i = 0; i < 4; i++) {
            assertEquals("b", load.choose(List.of("a", "b")));
        }
        assertTrue(load.finished("a", "j1", true));
        assertTrue(load.finished("a", "j2", true));
        assertEquals("a", load.choose(List.of("a", "b")));
    }

    @Test
    void aNodeSilentWithJobsOutstandingIsSuspectUntilItAnswers() {
        load.sent("a", "j1");
        now.addAndGet(1_999);
        assertFalse(load.suspect("a"));
        load.sent("a", "j2"); // a second job does not restart the silence
        now.addAndGet(1);
        assertTrue(load.suspect("a"));
        assertEquals(Map.of("a", List.of("j1", "j2")), sorted(load.owedBySuspects()));
        // Owing fewer answers does not make it a choice: it is skipped while another node is not suspect.
        load.sent("b", "j3");
        load.sent("b", "j4");
        load.sent("b", "j5");
        assertEquals("b", load.choose(List.of("a", "b")));
        // An answer ends the silence.
        assertTrue(load.finished("a", "j1", true));
        assertFalse(load.suspect("a"));
        assertEquals("a", load.choose(List.of("a", "b")));
    }

    @Test
    void aBusyNodeThatKeepsAnsweringIsNotSuspect() {
        for (int i = 0; i < 10; i++) {
            load.sent("a", "j" + i);
        }
        for (int i = 0; i < 9; i++) {
            now.addAndGet(1_500);
            assertTrue(load.finished("a", "j" + i, true));
            assertFalse(load.suspect("a"), "answering every 1.5 s with a 2 s threshold");
        }
    }

    @Test
    void aTimeoutIsNoAnswerAndWhenAllAreSuspectTheLeastLoadedStillGetsTheJob() {
        load.sent("a", "j1");
        load.sent("a", "j2");
        load.sent("a", "j4");
        load.sent("b", "j3");
        now.addAndGet(2_000);
        assertTrue(load.finished("a", "j1", false));
        assertTrue(load.suspect("a"), "a timeout is no sign of life");
        assertTrue(load.suspect("b"));
        assertEquals("b", load.choose(List.of("a", "b")));
    }

    @Test
    void aNodeThatLeftHandsBackWhatItOwed() {
        load.sent("a", "j1");
        load.sent("a", "j2");
        assertEquals(Set.of("j1", "j2"), new HashSet<>(load.left("a")));
        assertFalse(load.finished("a", "j1", true), "already handed back");
        assertEquals(0, load.outstanding("a"));
        assertEquals(List.of(), List.copyOf(load.left("a")));
    }

    private static Map<String, List<String>> sorted(Map<String, List<String>> owed) {
        return Map.copyOf(owed.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().stream().sorted().toList())));
    }
}
