package io.bastion.security.acl;

import io.bastion.broker.auth.Authorizer;
import io.bastion.broker.auth.ClientIdentity;
import java.util.List;

/**
 * The broker's {@link Authorizer} over the configured rule sources. A request is allowed when some rule allows it
 * and no deny rule matches it, across every source that applies to the client's listener; when no source applies,
 * nothing is allowed. Publishing into {@code $SYS} is refused whatever the rules say: it belongs to the broker.
 *
 * <p>The rule sets are swapped whole when a source changes ({@link #update}); each check reads the current ones,
 * so a narrowed rule takes effect on the next PUBLISH or SUBSCRIBE.
 */
public final class AclAuthorizer implements Authorizer {
    private volatile List<ScopedRuleSet> ruleSets;

    public AclAuthorizer(List<ScopedRuleSet> ruleSets) {
        this.ruleSets = List.copyOf(ruleSets);
    }

    public void update(List<ScopedRuleSet> newRuleSets) {
        this.ruleSets = List.copyOf(newRuleSets);
    }

    public List<ScopedRuleSet> ruleSets() {
        return ruleSets;
    }

    @Override
    public boolean canPublish(ClientIdentity client, String topic, int qos, boolean retain) {
        if (topic.equals("$SYS") || topic.startsWith("$SYS/")) {
            return false;
        }
        int flags = 0;
        for (ScopedRuleSet set : ruleSets) {
            if (set.appliesTo(client.listenerName())) {
                flags |= set.rules().checkPublish(client, topic, qos, retain);
            }
        }
        return flags == RuleTrie.ALLOW;
    }

    @Override
    public boolean canSubscribe(ClientIdentity client, String topicFilter, int qos) {
        String[] levels = topicFilter.split("/", -1);
        int flags = 0;
        for (ScopedRuleSet set : ruleSets) {
            if (set.appliesTo(client.listenerName())) {
                flags |= set.rules().checkSubscribe(client, levels, qos);
            }
        }
        return flags == RuleTrie.ALLOW;
    }
}
