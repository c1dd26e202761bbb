package io.bastion.security.acl;

import java.util.Set;

/**
 * A compiled rule source and the listeners it is for.
 *
 * @param listeners listener names; empty means every listener
 */
public record ScopedRuleSet(String name, AclRuleSet rules, Set<String> listeners) {

    public ScopedRuleSet {
        listeners = Set.copyOf(listeners);
    }

    boolean appliesTo(String listenerName) {
        return listeners.isEmpty() || listeners.contains(listenerName);
    }
}
