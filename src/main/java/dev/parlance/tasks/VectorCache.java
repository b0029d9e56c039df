package dev.parlance.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used cache of vectors by text, shared by the workers of one model
 * (label embeddings, so a repeated label costs no forward pass). Synchronized: lookups are
 * a handful per request, far cheaper than the forward pass they save.
 */
public final class VectorCache {

    private final Map<String, float[]> entries;

    public VectorCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0");
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized float[] get(String key) {
        return entries.get(key);
    }

    public synchronized void put(String key, float[] vector) {
        entries.put(key, vector);
    }

    public synchronized int size() {
        return entries.size();
    }
}
