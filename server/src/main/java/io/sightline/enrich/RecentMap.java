package io.sightline.enrich;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded map of recent answers in two generations: new entries go into {@code current}; when it holds half
 * the budget it becomes {@code previous} and the old {@code previous} is dropped whole. A hit in
 * {@code previous} is copied into {@code current}, so keys asked for often survive every rotation while rare
 * ones fall out: close to LRU, with no per-entry bookkeeping and no lock on a hit. Races between threads can at
 * worst lose an entry, which only costs the caller one more computation.
 */
final class RecentMap<K, V> {
    private final int generationSize;
    private volatile Map<K, V> current = new ConcurrentHashMap<>();
    private volatile Map<K, V> previous = new ConcurrentHashMap<>();

    /** @param size how many entries to keep at most, at least 1 */
    RecentMap(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a cache size must be at least 1, not " + size);
        }
        this.generationSize = Math.max(1, size / 2);
    }

    /** The remembered value, or null. */
    V get(K key) {
        V value = current.get(key);
        if (value == null) {
            value = previous.get(key);
            if (value != null) {
                put(key, value);
            }
        }
        return value;
    }

    void put(K key, V value) {
        Map<K, V> generation = current;
        generation.put(key, value);
        if (generation.size() >= generationSize) {
            rotate(generation);
        }
    }

    private synchronized void rotate(Map<K, V> full) {
        if (current == full) {
            previous = full;
            current = new ConcurrentHashMap<>();
        }
    }
}
