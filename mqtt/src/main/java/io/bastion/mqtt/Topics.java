package io.bastion.mqtt;

/**
 * Topic names and topic filters (4.7, 4.8.2): validity, shared-subscription parsing and matching.
 *
 * <p>Everything here walks the strings by index: matching runs for every PUBLISH, so it must not
 * allocate. UTF-8 well-formedness and the 65,535-byte length limit are the codec's job.
 */
public final class Topics {
    /** The prefix that marks a shared subscription's topic filter [MQTT-4.8.2-1]. */
    public static final String SHARE_PREFIX = "$share/";

    private Topics() {}

    /**
     * A topic name a PUBLISH may carry: non-empty, no wildcard characters [MQTT-3.3.2-2] and no
     * U+0000 [MQTT-4.7.3-2].
     */
    public static boolean isValidTopicName(String topic) {
        if (topic == null || topic.isEmpty()) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000') {
                return false;
            }
        }
        return true;
    }

    /**
     * A topic filter a SUBSCRIBE or UNSUBSCRIBE may carry, shared ({@code $share/{group}/{filter}})
     * or not.
     */
    public static boolean isValidTopicFilter(String filter) {
        if (filter == null || filter.isEmpty()) {
            return false; // [MQTT-4.7.3-1]
        }
        if (!isShared(filter)) {
            return isValidPlainFilter(filter, 0);
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        if (slash <= SHARE_PREFIX.length()) {
            return false; // no group, or no filter after it [MQTT-4.8.2-1]
        }
        for (int i = SHARE_PREFIX.length(); i < slash; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000') {
                return false; // [MQTT-4.8.2-2]
            }
        }
        return slash + 1 < filter.length() && isValidPlainFilter(filter, slash + 1);
    }

    /** Checks {@code filter} from {@code from} on, which is non-empty. */
    private static boolean isValidPlainFilter(String filter, int from) {
        int end = filter.length();
        for (int i = from; i < end; i++) {
            char c = filter.charAt(i);
            boolean levelStart = i == from || filter.charAt(i - 1) == '/';
            if (c == '#') {
                if (!levelStart || i != end - 1) {
                    return false; // '#' is the whole last level [MQTT-4.7.1-2]
                }
            } else if (c == '+') {
                if (!levelStart || (i + 1 < end && filter.charAt(i + 1) != '/')) {
                    return false; // '+' is a whole level [MQTT-4.7.1-3]
                }
            } else if (c == '\u0000') {
                return false; // [MQTT-4.7.3-2]
            }
        }
        return true;
    }

    /** Whether {@code filter} names a shared subscription, i.e. starts with {@code $share/}. */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /**
     * The share name of a shared subscription's filter, or {@code null} when the filter is not
     * shared. Meant for filters that passed {@link #isValidTopicFilter}.
     */
    public static String shareGroup(String filter) {
        if (!isShared(filter)) {
            return null;
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        return slash < 0 ? filter.substring(SHARE_PREFIX.length()) : filter.substring(SHARE_PREFIX.length(), slash);
    }

    /**
     * The filter without its {@code $share/{group}/} prefix; a non-shared filter is returned as is.
     * Meant for filters that passed {@link #isValidTopicFilter}.
     */
    public static String stripShare(String filter) {
        int start = plainFilterStart(filter);
        return start < 0 ? "" : filter.substring(start);
    }

    /** Whether {@code filter} contains {@code +} or {@code #}. */
    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * Whether the topic filter matches the topic name (4.7). A shared filter is matched by the part
     * after its share name. Both arguments are expected to be valid; an invalid filter may match
     * nothing or behave as the nearest valid one.
     */
    public static boolean matches(String filter, String topic) {
        int fi = plainFilterStart(filter);
        int fl = filter.length();
        int tl = topic.length();
        if (fi < 0 || fi >= fl || tl == 0) {
            return false;
        }
        char first = filter.charAt(fi);
        if ((first == '+' || first == '#') && topic.charAt(0) == '$') {
            return false; // [MQTT-4.7.2-1]
        }
        int ti = 0;
        while (true) {
            // fi and ti are at the start of a level
            if (fi < fl && filter.charAt(fi) == '#') {
                return true; // matches this level and all below [MQTT-4.7.1-2]
            }
            if (fi < fl && filter.charAt(fi) == '+') {
                fi++;
                while (ti < tl && topic.charAt(ti) != '/') {
                    ti++;
                }
            } else {
                while (fi < fl && filter.charAt(fi) != '/') {
                    if (ti >= tl || topic.charAt(ti) != filter.charAt(fi)) {
                        return false;
                    }
                    fi++;
                    ti++;
                }
                if (ti < tl && topic.charAt(ti) != '/') {
                    return false;
                }
            }
            // both are now at a '/' or at their end
            if (fi == fl) {
                return ti == tl;
            }
            if (ti == tl) {
                // the topic has no more levels: only a trailing "/#" still matches (its parent level)
                return fi + 2 == fl && filter.charAt(fi + 1) == '#';
            }
            fi++;
            ti++;
        }
    }

    /** Index where the non-shared part of the filter starts; -1 for a shared filter without one. */
    private static int plainFilterStart(String filter) {
        if (!isShared(filter)) {
            return 0;
        }
        int slash = filter.indexOf('/', SHARE_PREFIX.length());
        return slash < 0 ? -1 : slash + 1;
    }
}
