package io.bastion.broker.connection;

import io.bastion.broker.BrokerSettings;
import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.broker.BrokerSettings.QueueOverflowPolicy;
import java.time.Duration;

/** A mutable copy of {@link BrokerSettings#defaults()} for tests ($SYS publishing off). */
public final class Settings {
    public int maximumPacketSize;
    public int maximumConnections;
    public int maximumInflight;
    public int maximumQueuedMessages;
    public QueueOverflowPolicy queueOverflow;
    public int minimumKeepAlive;
    public int maximumKeepAlive;
    public long maximumSessionExpiry;
    public int topicAliasMaximum;
    public int receiveMaximum;
    public int maximumQos;
    public boolean retainAvailable;
    public boolean wildcardSubscriptionAvailable;
    public boolean subscriptionIdentifiersAvailable;
    public boolean sharedSubscriptionsAvailable;
    public int maximumClientIdLength;
    public Duration connectTimeout;
    public Duration sysInterval;
    public AnonymousAccess anonymous;

    public Settings() {
        BrokerSettings d = BrokerSettings.defaults();
        maximumPacketSize = d.maximumPacketSize();
        maximumConnections = d.maximumConnections();
        maximumInflight = d.maximumInflight();
        maximumQueuedMessages = d.maximumQueuedMessages();
        queueOverflow = d.queueOverflow();
        minimumKeepAlive = d.minimumKeepAlive();
        maximumKeepAlive = d.maximumKeepAlive();
        maximumSessionExpiry = d.maximumSessionExpiry();
        topicAliasMaximum = d.topicAliasMaximum();
        receiveMaximum = d.receiveMaximum();
        maximumQos = d.maximumQos();
        retainAvailable = d.retainAvailable();
        wildcardSubscriptionAvailable = d.wildcardSubscriptionAvailable();
        subscriptionIdentifiersAvailable = d.subscriptionIdentifiersAvailable();
        sharedSubscriptionsAvailable = d.sharedSubscriptionsAvailable();
        maximumClientIdLength = d.maximumClientIdLength();
        connectTimeout = d.connectTimeout();
        sysInterval = Duration.ZERO;
        anonymous = d.anonymous();
    }

    public BrokerSettings build() {
        return new BrokerSettings(
                maximumPacketSize,
                maximumConnections,
                maximumInflight,
                maximumQueuedMessages,
                queueOverflow,
                minimumKeepAlive,
                maximumKeepAlive,
                maximumSessionExpiry,
                topicAliasMaximum,
                receiveMaximum,
                maximumQos,
                retainAvailable,
                wildcardSubscriptionAvailable,
                subscriptionIdentifiersAvailable,
                sharedSubscriptionsAvailable,
                maximumClientIdLength,
                connectTimeout,
                sysInterval,
                anonymous,
                BrokerSettings.DeniedPublish.DROP);
    }
}
