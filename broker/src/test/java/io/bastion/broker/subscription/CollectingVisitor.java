package io.bastion.broker.subscription;

import java.util.ArrayList;
import java.util.List;

/** Records what a match visits, in order. */
final class CollectingVisitor implements SubscriptionVisitor {
    final List<SubscriptionEntry> subscribers = new ArrayList<>();
    final List<SharedGroup> groups = new ArrayList<>();

    static CollectingVisitor match(SubscriptionTree tree, String topic) {
        CollectingVisitor visitor = new CollectingVisitor();
        tree.match(topic, visitor);
        return visitor;
    }

    @Override
    public void subscriber(SubscriptionEntry entry) {
        subscribers.add(entry);
    }

    @Override
    public void sharedGroup(SharedGroup group) {
        groups.add(group);
    }

    List<String> filters() {
        return subscribers.stream().map(SubscriptionEntry::topicFilter).sorted().toList();
    }

    List<String> groupKeys() {
        return groups.stream()
                .map(g -> g.name() + ":" + g.topicFilter())
                .sorted()
                .toList();
    }
}
