package io.bastion.broker.session;

import io.bastion.broker.BrokerMetrics;
import io.bastion.broker.BrokerSettings;
import io.bastion.broker.Message;
import io.bastion.broker.subscription.SubscriptionEntry;

/** What a session needs from the broker around it. */
public interface SessionServices {

    BrokerSettings settings();

    BrokerMetrics metrics();

    /** Publishes a will (or any broker-originated message) to its subscribers. */
    void publish(Message message);

    /** Removes one of the session's subscriptions from the subscription index. */
    void unsubscribe(SubscriptionEntry entry);

    /** Hands an unacknowledged shared-subscription message to another member of its group. */
    void redeliverShared(Delivery delivery, String fromClientId);

    /** The session has ended: forget it. */
    void ended(Session session);

    long nowMillis();
}
