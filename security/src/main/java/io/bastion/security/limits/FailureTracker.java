package io.bastion.security.limits;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed CONNECTs per key (an address, a user name, a client id) in a sliding window. When a key reaches the
 * threshold it backs off: attempts are refused until the back-off ends, and each back-off in a row lasts twice as
 * long as the one before (up to a maximum). A success forgets the key.
 */
final class FailureTracker {
    /** Keys tracked at most; beyond it new keys are not tracked until old ones are purged. */
    static final int MAX_TRACKED = 100_000;

    private final int maxFailures;
    private final long windowMillis;
    private final long backoffMillis;
    private final long maxBackoffMillis;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** One key's state; guarded by its own monitor. */
    private static final class Entry {
        final ArrayDeque<Long> failures = new ArrayDeque<>();
        long blockedUntil;
        long lastBackoff;
        long lastSeen;
    }

    FailureTracker(int maxFailures, long windowMillis, long backoffMillis, long maxBackoffMillis) {
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.backoffMillis = backoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
    }

    /** Milliseconds the key must still wait, or 0 when it may try. */
    long remainingBackoff(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return 0;
        }
        synchronized (e) {
            return Math.max(0, e.blockedUntil - now);
        }
    }

    /** Counts a failure; returns the back-off it started in milliseconds, or 0 when it started none. */
    long failed(String key, long now) {
        if (entries.size() >= MAX_TRACKED && !entries.containsKey(key)) {
            purge(now);
            if (entries.size() >= MAX_TRACKED) {
                return 0;
            }
        }
        Entry e = entries.computeIfAbsent(key, k -> new Entry());
        synchronized (e) {
            e.lastSeen = now;
            while (!e.failures.isEmpty() && e.failures.peekFirst() <= now - windowMillis) {
                e.failures.pollFirst();
            }
            e.failures.addLast(now);
            if (e.failures.size() < maxFailures) {
                return 0;
            }
            e.failures.clear();
            // a back-off right after the previous one ended doubles; after a quiet spell it starts small again
            boolean inARow = e.lastBackoff > 0 && now - e.blockedUntil < Math.max(windowMillis, e.lastBackoff);
            long backoff = inARow ? Math.min(maxBackoffMillis, e.lastBackoff * 2) : backoffMillis;
            e.lastBackoff = backoff;
            e.blockedUntil = now + backoff;
            return backoff;
        }
    }

    void succeeded(String key) {
        entries.remove(key);
    }

    /** Forgets keys that have nothing left to remember. */
    void purge(long now) {
        entries.values().removeIf(e -> {
            synchronized (e) {
                long quietSince = Math.max(e.lastSeen, e.blockedUntil);
                return now - quietSince > Math.max(windowMillis, maxBackoffMillis);
            }
        });
    }

    int size() {
        return entries.size();
    }
}
