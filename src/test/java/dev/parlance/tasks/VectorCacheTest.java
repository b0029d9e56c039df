package dev.parlance.tasks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class VectorCacheTest {

    @Test
    void evictsTheLeastRecentlyUsedBeyondCapacity() {
        VectorCache cache = new VectorCache(2);
        cache.put("a", new float[] {1});
        cache.put("b", new float[] {2});
        assertNotNull(cache.get("a"));
        cache.put("c", new float[] {3});
        assertNull(cache.get("b"));
        assertEquals(1f, cache.get("a")[0]);
        assertEquals(3f, cache.get("c")[0]);
        assertEquals(2, cache.size());
    }

    @Test
    void capacityZeroCachesNothing() {
        VectorCache cache = new VectorCache(0);
        cache.put("a", new float[] {1});
        assertNull(cache.get("a"));
    }
}
