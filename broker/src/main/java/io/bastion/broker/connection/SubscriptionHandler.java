package io.bastion.broker.connection;

import io.bastion.broker.Message;
import io.bastion.broker.retain.RetainedMessage;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.Session;
import io.bastion.broker.subscription.SubscriptionEntry;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.Topics;
import io.bastion.mqtt.packet.SubAck;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.Subscription;
import io.bastion.mqtt.packet.UnsubAck;
import io.bastion.mqtt.packet.Unsubscribe;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE (sections 3.8 to 3.11): per-filter validation and reason codes, the
 * subscription index, and retained messages sent after the SUBACK as Retain Handling says.
 */
final class SubscriptionHandler {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionHandler.class);
    private final MqttConnection c;

    SubscriptionHandler(MqttConnection connection) {
        this.c = connection;
    }

    void subscribe(Subscribe subscribe) {
        List<Integer> ids = subscribe.properties().subscriptionIdentifiers();
        if (!ids.isEmpty() && !c.settings.subscriptionIdentifiersAvailable()) {
            c.disconnect(
                    ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, "Subscription Identifiers are not available");
            return;
        }
        int subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        Session session = c.session;
        List<ReasonCode> codes = new ArrayList<>(subscribe.subscriptions().size());
        List<Runnable> retainedSends = new ArrayList<>();
        for (Subscription sub : subscribe.subscriptions()) {
            String filter = sub.topicFilter();
            boolean shared = Topics.isShared(filter);
            if (shared && sub.noLocal()) {
                c.disconnect(ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription [MQTT-3.8.3-4]");
                return;
            }
            ReasonCode refused = refusal(filter, shared);
            if (refused != null) {
                codes.add(refused);
                continue;
            }
            int granted = Math.min(sub.maxQos(), c.settings.maximumQos());
            String group = shared ? Topics.shareGroup(filter) : null;
            String plain = shared ? Topics.stripShare(filter) : filter;
            if (!c.broker.authorizer().canSubscribe(c.identity, plain, granted)) {
                c.broker.metrics().subscribeDenied.increment();
                codes.add(c.version.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR);
                continue;
            }
            SubscriptionEntry entry = new SubscriptionEntry(
                    c.clientId,
                    group,
                    plain,
                    granted,
                    sub.noLocal(),
                    sub.retainAsPublished(),
                    sub.retainHandling(),
                    subscriptionId);
            SubscriptionEntry previous = session.subscribe(filter, entry);
            c.broker.subscriptions().add(entry); // replaces an existing one [MQTT-3.8.4-3]
            codes.add(ReasonCode.grantedQos(granted));
            boolean sendRetained = !shared // [MQTT-4.8.2-5? retained are not sent to shared subscriptions]
                    && (sub.retainHandling() == 0 || (sub.retainHandling() == 1 && previous == null));
            if (sendRetained && c.settings.retainAvailable()) {
                retainedSends.add(() -> sendRetained(session, entry));
            }
        }
        c.write(new SubAck(subscribe.packetId(), codes, MqttProperties.EMPTY));
        retainedSends.forEach(Runnable::run);
    }

    /** Why a filter cannot be subscribed, or null when it can. */
    private ReasonCode refusal(String filter, boolean shared) {
        boolean v5 = c.version.isV5();
        if (!Topics.isValidTopicFilter(filter)) {
            return v5 ? ReasonCode.TOPIC_FILTER_INVALID : ReasonCode.UNSPECIFIED_ERROR;
        }
        if (shared && !c.settings.sharedSubscriptionsAvailable()) {
            return v5 ? ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED : ReasonCode.UNSPECIFIED_ERROR;
        }
        if (!c.settings.wildcardSubscriptionAvailable() && Topics.hasWildcard(filter)) {
            return v5 ? ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED : ReasonCode.UNSPECIFIED_ERROR;
        }
        return null;
    }

    /** Retained messages go out with the retain flag set [MQTT-3.3.1-8], at most at the granted QoS. */
    private void sendRetained(Session session, SubscriptionEntry entry) {
        long now = c.broker.nowMillis();
        int[] ids = entry.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {entry.subscriptionId()};
        c.broker.retained().match(entry.topicFilter(), now, (RetainedMessage r) -> {
            Message m = new Message(r.topic(), r.qos(), true, r.payload(), r.properties(), "", r.expiresAtMillis());
            session.offerRetained(new Delivery(m, Math.min(r.qos(), entry.maxQos()), true, ids, null));
        });
    }

    /**
     * Removes the session's subscriptions the authorizer no longer allows (after a security change, or when a
     * stored session is resumed); on the session's executor. Returns how many were removed.
     */
    int revokeRefused() {
        int removed = 0;
        for (SubscriptionEntry e : c.session.subscriptions()) {
            if (c.broker.authorizer().canSubscribe(c.identity, e.topicFilter(), e.maxQos())) {
                continue;
            }
            String key = e.isShared() ? Topics.SHARE_PREFIX + e.shareGroup() + "/" + e.topicFilter() : e.topicFilter();
            c.session.unsubscribe(key);
            c.broker.subscriptions().remove(e.clientId(), e.shareGroup(), e.topicFilter());
            c.broker.metrics().subscriptionsRevoked.increment();
            log.info(
                    "client {} from {}: subscription {} removed, no longer authorized",
                    c.clientId,
                    c.channel.remoteAddress(),
                    key);
            removed++;
        }
        return removed;
    }

    void unsubscribe(Unsubscribe unsubscribe) {
        Session session = c.session;
        List<ReasonCode> codes = new ArrayList<>(unsubscribe.topicFilters().size());
        for (String filter : unsubscribe.topicFilters()) {
            SubscriptionEntry removed = session.unsubscribe(filter);
            if (removed != null) {
                c.broker.subscriptions().remove(removed.clientId(), removed.shareGroup(), removed.topicFilter());
                codes.add(ReasonCode.SUCCESS);
            } else {
                codes.add(ReasonCode.NO_SUBSCRIPTION_EXISTED);
            }
        }
        c.write(new UnsubAck(unsubscribe.packetId(), codes, MqttProperties.EMPTY)); // [MQTT-3.10.4-4]
    }
}
