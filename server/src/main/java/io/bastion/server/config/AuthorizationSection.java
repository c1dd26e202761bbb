package io.bastion.server.config;

import io.bastion.security.acl.AclRule;
import io.bastion.security.acl.AclRuleSet;
import io.bastion.security.acl.AclSource;
import io.bastion.security.acl.Subject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Binds {@code security.authorization}: the list of ACL sources, each a Mosquitto {@code acl_file} or Bastion
 * {@code rules}, optionally scoped to listeners. Absent or empty means no ACL (everything allowed except publishing
 * into {@code $SYS}).
 */
final class AuthorizationSection {
    private enum SourceType {
        ACL_FILE,
        RULES
    }

    private enum Permission {
        ALLOW,
        DENY
    }

    private enum Action {
        PUBLISH,
        SUBSCRIBE,
        ALL
    }

    private AuthorizationSection() {}

    static List<AclSource> bind(ConfigSection root, Set<String> listenerNames) {
        List<ConfigSection> entries =
                root.section("security").sectionList("authorization").orElse(List.of());
        List<AclSource> sources = new ArrayList<>();
        for (ConfigSection entry : entries) {
            SourceType type = entry.choice("type", SourceType.class, null);
            if (type == null) {
                throw entry.error("type", "is required: acl_file or rules");
            }
            Set<String> listeners = new LinkedHashSet<>(entry.strings("listeners", List.of()));
            for (String name : listeners) {
                if (!listenerNames.contains(name)) {
                    throw entry.error(
                            "listeners", "names no listener \"" + name + "\" (listeners are " + listenerNames + ")");
                }
            }
            sources.add(
                    type == SourceType.ACL_FILE
                            ? new AclSource.MosquittoFile(path(entry), listeners)
                            : rules(entry, listeners));
        }
        return sources;
    }

    private static Path path(ConfigSection entry) {
        String path = entry.string("path", null);
        if (path == null || path.isBlank()) {
            throw entry.error("path", "is required for an acl_file: the Mosquitto ACL file to read");
        }
        return Path.of(path);
    }

    private static AclSource.Rules rules(ConfigSection entry, Set<String> listeners) {
        Map<String, Set<String>> rolesOfUser = new HashMap<>();
        ConfigSection roles = entry.section("roles");
        for (String role : roles.keys()) {
            for (String user : roles.strings(role, List.of())) {
                rolesOfUser.computeIfAbsent(user, u -> new HashSet<>()).add(role);
            }
        }
        List<AclRule> rules = new ArrayList<>();
        for (ConfigSection r : entry.sectionList("rules").orElse(List.of())) {
            rules.addAll(rule(r));
        }
        return new AclSource.Rules(rules, rolesOfUser, listeners, entry.path());
    }

    private static List<AclRule> rule(ConfigSection r) {
        boolean deny = r.choice("permission", Permission.class, Permission.ALLOW) == Permission.DENY;
        Action action = r.choice("action", Action.class, Action.ALL);
        List<String> topics = r.strings("topics", List.of());
        if (topics.isEmpty()) {
            throw r.error("topics", "is required: the topic filters the rule is about");
        }
        Subject subject = subject(r);
        int maxQos = r.integer("max_qos", 2, 0, 2);
        boolean retain = r.bool("retain", true);
        List<AclRule> rules = new ArrayList<>();
        for (String topic : topics) {
            AclRule rule = new AclRule(
                    deny,
                    action != Action.SUBSCRIBE,
                    action != Action.PUBLISH,
                    subject,
                    topic,
                    true,
                    maxQos,
                    retain,
                    r.path());
            try {
                new AclRuleSet(List.of(rule), Map.of()); // validates the filter and its templates
            } catch (IllegalArgumentException e) {
                throw r.error("topics", e.getMessage().replace(r.path() + ": ", ""));
            }
            rules.add(rule);
        }
        return rules;
    }

    private static Subject subject(ConfigSection r) {
        Subject subject = Subject.EVERYONE;
        String[] keys = {"user", "client_id", "role", "certificate"};
        for (String key : keys) {
            String value = r.string(key, null);
            if (value == null) {
                continue;
            }
            if (subject != Subject.EVERYONE) {
                throw r.error(key, "a rule names at most one of user, client_id, role, certificate");
            }
            subject = switch (key.toLowerCase(Locale.ROOT)) {
                case "user" -> Subject.user(value);
                case "client_id" -> Subject.clientId(value);
                case "role" -> Subject.role(value);
                default -> Subject.certificate(value);
            };
        }
        return subject;
    }
}
