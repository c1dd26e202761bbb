package io.bastion.security;

import java.util.Objects;

/**
 * The rule both file pollers apply before taking a change: a version of a file is used only once two polls
 * in a row see it. An edit caught half-written (truncated, not yet filled) may well parse, and applying it
 * could revoke what the finished edit keeps. Not thread-safe: one poller owns it.
 *
 * @param <V> what identifies a version of the file (size and modification time)
 */
public final class SettledChange<V> {
    private V seen;

    /** Whether the previous poll saw {@code version} already; otherwise remembers it for the next poll. */
    public boolean settled(V version) {
        if (Objects.equals(version, seen)) {
            seen = null;
            return true;
        }
        seen = version; // still being written, perhaps: look again at the next poll
        return false;
    }

    /** The file is back to the version in use (or was read anyway): nothing is pending. */
    public void reset() {
        seen = null;
    }
}
