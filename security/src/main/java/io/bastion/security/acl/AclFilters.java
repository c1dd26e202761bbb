package io.bastion.security.acl;

import io.bastion.mqtt.Topics;

/** Validation of the topic filters rules are written with. */
final class AclFilters {
    private AclFilters() {}

    static void requireValid(String filter, String origin) {
        if (Topics.isShared(filter)) {
            throw new IllegalArgumentException(where(origin)
                    + "rules are written for the filter without its $share/{group}/ prefix: \"" + filter + "\"");
        }
        if (!Topics.isValidTopicFilter(filter)) {
            throw new IllegalArgumentException(where(origin) + "not a valid topic filter: \"" + filter
                    + "\" ('#' only as the whole last level, '+' only as a whole level)");
        }
    }

    private static String where(String origin) {
        return origin == null || origin.isEmpty() ? "" : origin + ": ";
    }
}
