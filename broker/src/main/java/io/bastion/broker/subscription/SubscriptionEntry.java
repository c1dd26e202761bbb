package io.bastion.broker.subscription;

import java.util.Objects;

/**
 * One client's subscription as stored in the index.
 *
 * @param shareGroup the share name, {@code null} when the subscription is not shared
 * @param topicFilter the filter without the {@code $share/{group}/} prefix
 * @param retainHandling 0 send retained on subscribe, 1 only if the subscription is new, 2 never
 * @param subscriptionId the Subscription Identifier, 0 when none
 */
public record SubscriptionEntry(
        String clientId,
        String shareGroup,
        String topicFilter,
        int maxQos,
        boolean noLocal,
        boolean retainAsPublished,
        int retainHandling,
        int subscriptionId) {

    public SubscriptionEntry {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topicFilter, "topicFilter");
    }

    /** A non-shared subscription with default options. */
    public static SubscriptionEntry of(String clientId, String topicFilter, int maxQos) {
        return new SubscriptionEntry(clientId, null, topicFilter, maxQos, false, false, 0, 0);
    }

    /** A shared subscription with default options. */
    public static SubscriptionEntry shared(String clientId, String shareGroup, String topicFilter, int maxQos) {
        return new SubscriptionEntry(clientId, shareGroup, topicFilter, maxQos, false, false, 0, 0);
    }

    public boolean isShared() {
        return shareGroup != null;
    }
}
