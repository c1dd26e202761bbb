package io.bastion.security.acl;

import io.bastion.broker.auth.ClientIdentity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The compiled rules of one source (an ACL file or a list of YAML rules): one {@link RuleTrie} per subject, so a
 * check looks only at the rules for everyone, for this client's user, client id, roles and certificate.
 */
public final class AclRuleSet {
    private final RuleTrie everyone = new RuleTrie();
    private final RuleTrie anonymous = new RuleTrie();
    private final Map<String, RuleTrie> users = new HashMap<>();
    private final Map<String, RuleTrie> clientIds = new HashMap<>();
    private final Map<String, RuleTrie> roles = new HashMap<>();
    private final Map<String, RuleTrie> certificates = new HashMap<>();
    /** Role membership written in the source: user -> roles. */
    private final Map<String, Set<String>> rolesOfUser;

    private final int size;

    /**
     * @param rules the rules, in any order (deny wins, so order does not change the outcome)
     * @param rolesOfUser the roles each user has, from the source's role table
     * @throws IllegalArgumentException when a rule's topic filter is not a valid filter
     */
    public AclRuleSet(List<AclRule> rules, Map<String, Set<String>> rolesOfUser) {
        this.rolesOfUser = Map.copyOf(rolesOfUser);
        for (AclRule rule : rules) {
            AclFilters.requireValid(rule.topicFilter(), rule.origin());
            trieFor(rule.subject()).add(rule);
        }
        this.size = rules.size();
    }

    public int size() {
        return size;
    }

    private RuleTrie trieFor(Subject subject) {
        return switch (subject.kind()) {
            case EVERYONE -> everyone;
            case ANONYMOUS -> anonymous;
            case USER -> users.computeIfAbsent(subject.value(), v -> new RuleTrie());
            case CLIENT_ID -> clientIds.computeIfAbsent(subject.value(), v -> new RuleTrie());
            case ROLE -> roles.computeIfAbsent(subject.value(), v -> new RuleTrie());
            case CERTIFICATE -> certificates.computeIfAbsent(subject.value(), v -> new RuleTrie());
        };
    }

    int checkPublish(ClientIdentity client, String topic, int qos, boolean retain) {
        return check(client, t -> t.checkPublish(client, topic, qos, retain));
    }

    int checkSubscribe(ClientIdentity client, String[] filterLevels, int qos) {
        return check(client, t -> t.checkSubscribe(client, filterLevels, qos));
    }

    private int check(ClientIdentity client, ToIntFunction<RuleTrie> check) {
        int flags = check.applyAsInt(everyone);
        String user = Principals.user(client);
        if (user == null) {
            flags |= check.applyAsInt(anonymous);
        } else {
            flags |= checkIn(users, user, check);
        }
        if (client.clientId() != null) {
            flags |= checkIn(clientIds, client.clientId(), check);
        }
        String certificate = Principals.certificate(client);
        if (certificate != null) {
            flags |= checkIn(certificates, certificate, check);
        }
        if (!roles.isEmpty()) {
            flags |= checkRoles(client, user, check);
        }
        return flags;
    }

    private int checkRoles(ClientIdentity client, String user, ToIntFunction<RuleTrie> check) {
        int flags = 0;
        if (user != null) {
            for (String role : rolesOfUser.getOrDefault(user, Set.of())) {
                flags |= checkIn(roles, role, check);
            }
        }
        String attribute = client.attributes().get(Principals.ROLES_ATTRIBUTE);
        if (attribute != null) {
            for (String role : attribute.split(",")) {
                flags |= checkIn(roles, role.trim(), check);
            }
        }
        return flags;
    }

    private static int checkIn(Map<String, RuleTrie> tries, String key, ToIntFunction<RuleTrie> check) {
        RuleTrie trie = tries.get(key);
        return trie == null ? 0 : check.applyAsInt(trie);
    }
}
