package io.bastion.security.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * CONNECTs per address in a window: a fixed window per address whose count restarts when the window has passed
 * (cheap, and enough to stop a reconnect storm).
 */
final class ConnectionRate {
    private final int limit;
    private final long windowMillis;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long start;
        int count;
    }

    ConnectionRate(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /** Counts a CONNECT; false when it is one too many in the current window. */
    boolean tryAcquire(String address, long now) {
        if (limit <= 0) {
            return true;
        }
        if (windows.size() >= FailureTracker.MAX_TRACKED && !windows.containsKey(address)) {
            purge(now);
        }
        Window w = windows.computeIfAbsent(address, a -> new Window());
        synchronized (w) {
            if (now - w.start >= windowMillis) {
                w.start = now;
                w.count = 0;
            }
            w.count++;
            return w.count <= limit;
        }
    }

    void purge(long now) {
        windows.values().removeIf(w -> {
            synchronized (w) {
                return now - w.start >= windowMillis;
            }
        });
    }
}
