package io.bastion.security.acl;

import io.bastion.broker.auth.ClientIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one subject, indexed by the levels of their topic filters, so a check walks only the branches a
 * topic can match instead of scanning every rule. Built once per rule-set version, then read-only and shared by
 * every event loop.
 *
 * <p>Checks return bit flags: {@link #ALLOW} when an allowing rule matches (for a subscription: covers every topic
 * of the filter), {@link #DENY} when a deny rule matches (for a subscription: matches any topic of the filter).
 */
final class RuleTrie {
    static final int ALLOW = 1;
    static final int DENY = 2;

    private static final AclRule[] NONE = new AclRule[0];

    private static final class Node {
        Map<String, Node> literals = Map.of();
        List<TemplateChild> templates = List.of();
        Node plus;
        /** Rules whose filter ends here. */
        AclRule[] exact = NONE;
        /** Rules whose filter ends with {@code #} here: they match this level and everything below. */
        AclRule[] below = NONE;
    }

    private record TemplateChild(TemplateLevel template, Node node) {}

    private final Node root = new Node();
    private boolean empty = true;

    void add(AclRule rule) {
        String[] levels = rule.topicFilter().split("/", -1);
        Node node = root;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                node.below = append(node.below, rule);
                empty = false;
                return;
            }
            node = child(node, level, rule);
        }
        node.exact = append(node.exact, rule);
        empty = false;
    }

    boolean isEmpty() {
        return empty;
    }

    private static Node child(Node node, String level, AclRule rule) {
        if (level.equals("+")) {
            if (node.plus == null) {
                node.plus = new Node();
            }
            return node.plus;
        }
        TemplateLevel template = rule.templates() ? TemplateLevel.parse(level, rule.origin()) : null;
        if (template != null) {
            for (TemplateChild t : node.templates) {
                if (t.template().toString().equals(level)) {
                    return t.node();
                }
            }
            Node created = new Node();
            List<TemplateChild> templates = new ArrayList<>(node.templates);
            templates.add(new TemplateChild(template, created));
            node.templates = List.copyOf(templates);
            return created;
        }
        if (node.literals.isEmpty()) {
            node.literals = new HashMap<>();
        }
        return node.literals.computeIfAbsent(level, l -> new Node());
    }

    private static AclRule[] append(AclRule[] rules, AclRule rule) {
        AclRule[] grown = java.util.Arrays.copyOf(rules, rules.length + 1);
        grown[rules.length] = rule;
        return grown;
    }

    // ---- publish: one topic name

    int checkPublish(ClientIdentity client, String topic, int qos, boolean retain) {
        return empty ? 0 : publish(root, client, topic, 0, qos, retain);
    }

    /** {@code start} is where the next level of {@code topic} begins; past the end when all levels matched. */
    private static int publish(Node node, ClientIdentity client, String topic, int start, int qos, boolean retain) {
        boolean dollarLevel = start == 0 && topic.startsWith("$"); // [MQTT-4.7.2-1]: no wildcard match at level 1
        int flags = dollarLevel ? 0 : publishRules(node.below, qos, retain);
        if (start > topic.length()) {
            return flags | publishRules(node.exact, qos, retain);
        }
        int slash = topic.indexOf('/', start);
        int end = slash < 0 ? topic.length() : slash;
        int next = end + 1;
        if (!node.literals.isEmpty()) {
            Node literal = node.literals.get(topic.substring(start, end));
            if (literal != null) {
                flags |= publish(literal, client, topic, next, qos, retain);
            }
        }
        if (node.plus != null && !dollarLevel) {
            flags |= publish(node.plus, client, topic, next, qos, retain);
        }
        for (TemplateChild t : node.templates) {
            if (t.template().matches(topic, start, end, client)) {
                flags |= publish(t.node(), client, topic, next, qos, retain);
            }
        }
        return flags;
    }

    private static int publishRules(AclRule[] rules, int qos, boolean retain) {
        int flags = 0;
        for (AclRule r : rules) {
            if (!r.publish()) {
                continue;
            }
            if (r.deny()) {
                flags |= DENY;
            } else if (qos <= r.maxQos() && (!retain || r.retainAllowed())) {
                flags |= ALLOW;
            }
        }
        return flags;
    }

    // ---- subscribe: a topic filter, granted only when every topic it can match is allowed

    int checkSubscribe(ClientIdentity client, String[] filterLevels, int qos) {
        return empty ? 0 : subscribe(root, client, filterLevels, 0, qos, true);
    }

    /**
     * Walks the filter's levels from {@code i}. {@code canCover} turns false once the filter took a branch wider
     * than the rule's (a {@code +} filter level under a literal rule level): from there on such rules only overlap
     * the filter, which matters for deny rules alone.
     */
    private static int subscribe(Node node, ClientIdentity client, String[] f, int i, int qos, boolean canCover) {
        // a filter starting with a wildcard matches no $-topic, and a rule starting with one matches none either
        boolean dollarLevel = i == 0 && f[0].startsWith("$");
        int flags = dollarLevel ? 0 : subscribeRules(node.below, qos, canCover);
        if (i == f.length) {
            return flags | subscribeRules(node.exact, qos, canCover);
        }
        String level = f[i];
        if (level.equals("#")) {
            // covered only by a '#' rule here (above); any deny rule at or below this level overlaps it
            return flags | denyAnywhere(node, i == 0);
        }
        if (level.equals("+")) {
            if (node.plus != null) {
                flags |= subscribe(node.plus, client, f, i + 1, qos, canCover);
            }
            for (Map.Entry<String, Node> e : node.literals.entrySet()) {
                if (i > 0 || !e.getKey().startsWith("$")) {
                    flags |= subscribe(e.getValue(), client, f, i + 1, qos, false);
                }
            }
            for (TemplateChild t : node.templates) {
                flags |= subscribe(t.node(), client, f, i + 1, qos, false);
            }
            return flags;
        }
        Node literal = node.literals.get(level);
        if (literal != null) {
            flags |= subscribe(literal, client, f, i + 1, qos, canCover);
        }
        if (node.plus != null && !dollarLevel) {
            flags |= subscribe(node.plus, client, f, i + 1, qos, canCover);
        }
        for (TemplateChild t : node.templates) {
            if (t.template().matches(level, client)) {
                flags |= subscribe(t.node(), client, f, i + 1, qos, canCover);
            }
        }
        return flags;
    }

    private static int subscribeRules(AclRule[] rules, int qos, boolean canCover) {
        int flags = 0;
        for (AclRule r : rules) {
            if (!r.subscribe()) {
                continue;
            }
            if (r.deny()) {
                flags |= DENY;
            } else if (canCover && qos <= r.maxQos()) {
                flags |= ALLOW;
            }
        }
        return flags;
    }

    /** DENY when a subscribe deny rule sits at or below {@code node} (templates count, whoever they expand for). */
    private static int denyAnywhere(Node node, boolean rootLevel) {
        if (hasSubscribeDeny(node.exact) || hasSubscribeDeny(node.below)) {
            return DENY;
        }
        for (Map.Entry<String, Node> e : node.literals.entrySet()) {
            if ((!rootLevel || !e.getKey().startsWith("$")) && denyAnywhere(e.getValue(), false) != 0) {
                return DENY;
            }
        }
        if (node.plus != null && denyAnywhere(node.plus, false) != 0) {
            return DENY;
        }
        for (TemplateChild t : node.templates) {
            if (denyAnywhere(t.node(), false) != 0) {
                return DENY;
            }
        }
        return 0;
    }

    private static boolean hasSubscribeDeny(AclRule[] rules) {
        for (AclRule r : rules) {
            if (r.deny() && r.subscribe()) {
                return true;
            }
        }
        return false;
    }
}
