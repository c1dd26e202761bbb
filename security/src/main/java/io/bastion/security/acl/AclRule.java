package io.bastion.security.acl;

import java.util.Objects;

/**
 * One access rule: who ({@link Subject}), which topics (a filter, possibly with templates), what (publish,
 * subscribe or both), allow or deny, and the optional limits of an allowing rule.
 *
 * @param deny a deny rule wins over every allowing rule that matches too (Mosquitto's {@code deny} precedence)
 * @param publish the rule is about publishing ("write")
 * @param subscribe the rule is about subscribing ("read")
 * @param topicFilter an MQTT topic filter; with {@code templates} it may contain {@code %u}, {@code %c} and
 *     {@code ${name}} within a level
 * @param templates whether {@code %u}, {@code %c} and {@code ${name}} are substituted (Mosquitto {@code pattern}
 *     lines and Bastion rules) or literal text (Mosquitto {@code topic} lines)
 * @param maxQos the highest QoS an allowing rule grants, for publish and subscribe
 * @param retainAllowed whether an allowing rule lets the client publish retained messages
 * @param origin where the rule was written, for log lines (e.g. {@code /etc/bastion/acl:12})
 */
public record AclRule(
        boolean deny,
        boolean publish,
        boolean subscribe,
        Subject subject,
        String topicFilter,
        boolean templates,
        int maxQos,
        boolean retainAllowed,
        String origin) {

    public AclRule {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(topicFilter, "topicFilter");
        if (!publish && !subscribe) {
            throw new IllegalArgumentException("a rule must be about publish, subscribe or both");
        }
        if (maxQos < 0 || maxQos > 2) {
            throw new IllegalArgumentException("max QoS must be 0, 1 or 2");
        }
    }

    /** An allowing rule without limits. */
    public static AclRule allow(Subject subject, String topicFilter, boolean publish, boolean subscribe) {
        return new AclRule(false, publish, subscribe, subject, topicFilter, true, 2, true, "");
    }

    /** A deny rule. */
    public static AclRule deny(Subject subject, String topicFilter, boolean publish, boolean subscribe) {
        return new AclRule(true, publish, subscribe, subject, topicFilter, true, 2, true, "");
    }
}
