package io.bastion.broker.routing;

import io.bastion.broker.BrokerMetrics;
import io.bastion.broker.BrokerMetrics.Drop;
import io.bastion.broker.Message;
import io.bastion.broker.retain.RetainedMessage;
import io.bastion.broker.retain.RetainedMessages;
import io.bastion.broker.session.Backpressure;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.Session;
import io.bastion.broker.session.SessionRegistry;
import io.bastion.broker.store.PendingAck;
import io.bastion.broker.subscription.SharedGroup;
import io.bastion.broker.subscription.SubscriptionEntry;
import io.bastion.broker.subscription.SubscriptionTree;
import io.bastion.broker.subscription.SubscriptionVisitor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Routes a published message: keeps it if retained, finds the matching subscriptions and hands one
 * delivery to each subscribing session. A client with several matching subscriptions gets the message
 * once, at the highest granted QoS, with every Subscription Identifier [MQTT-3.3.4-2/3/5]; each shared
 * group gets it once, for one member [MQTT-4.8.2-2].
 */
public final class Router {
    private static final Comparator<SubscriptionEntry> BY_CLIENT = Comparator.comparing(SubscriptionEntry::clientId);

    private final BrokerMetrics metrics;
    private final SubscriptionTree subscriptions;
    private final RetainedMessages retained;
    private final SessionRegistry sessions;
    private final boolean retainAvailable;
    private final ThreadLocal<Matches> matches = ThreadLocal.withInitial(Matches::new);

    public Router(
            SubscriptionTree subscriptions,
            RetainedMessages retained,
            SessionRegistry sessions,
            boolean retainAvailable,
            BrokerMetrics metrics) {
        this.metrics = metrics;
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.sessions = sessions;
        this.retainAvailable = retainAvailable;
    }

    /** What became of a publish, for the publisher's acknowledgement. */
    public enum Outcome {
        DELIVERED,
        NO_MATCHING_SUBSCRIBERS,
        /** At least one session's queue was full and the overflow policy refuses new messages. */
        QUOTA_EXCEEDED
    }

    /**
     * Routes a message. {@code rejectWhenFull}: a session whose queue is full makes the outcome
     * QUOTA_EXCEEDED (the caller then acknowledges with 0x97) instead of queueing.
     */
    public Outcome publish(Message message, boolean rejectWhenFull) {
        return publish(message, rejectWhenFull, null, null);
    }

    /**
     * Routes a message from a client. {@code from} is paused while a subscribing session's event loop
     * is behind (see {@link Backpressure}); the acknowledgement {@code ack} waits until every persistent
     * session that gets the message has stored it (null: nobody waits).
     */
    public Outcome publish(Message message, boolean rejectWhenFull, Backpressure from, PendingAck ack) {
        if (message.retain() && retainAvailable) {
            retain(message);
        }
        Matches m = matches.get();
        try {
            subscriptions.match(message.topic(), m);
            return deliver(message, m, rejectWhenFull, from, ack);
        } finally {
            m.clear();
        }
    }

    private void retain(Message message) {
        if (message.payload().length == 0) {
            retained.remove(message.topic()); // [MQTT-3.3.1-10]
        } else {
            retained.put(new RetainedMessage(
                    message.topic(),
                    message.qos(),
                    message.payload(),
                    message.properties(),
                    message.expiresAtMillis()));
        }
    }

    private Outcome deliver(Message message, Matches m, boolean rejectWhenFull, Backpressure from, PendingAck ack) {
        int delivered = 0;
        boolean quotaExceeded = false;
        List<SubscriptionEntry> direct = m.direct;
        if (direct.size() > 1 && m.hasRepeatedClient()) {
            direct.sort(BY_CLIENT); // group a client's overlapping subscriptions; rare, so sort only then
        }
        for (int i = 0; i < direct.size(); ) {
            SubscriptionEntry first = direct.get(i);
            int end = i + 1;
            while (end < direct.size() && direct.get(end).clientId().equals(first.clientId())) {
                end++;
            }
            Session session = sessions.get(first.clientId());
            if (session != null) {
                int granted = 0;
                boolean retainAsPublished = false;
                int ids = 0;
                boolean skip = true;
                for (int j = i; j < end; j++) {
                    SubscriptionEntry e = direct.get(j);
                    if (e.noLocal() && e.clientId().equals(message.publisherId())) {
                        continue; // [MQTT-3.8.3-3]
                    }
                    skip = false;
                    granted = Math.max(granted, e.maxQos());
                    retainAsPublished |= e.retainAsPublished();
                    if (e.subscriptionId() != 0) {
                        ids++;
                    }
                }
                if (!skip) {
                    int[] subscriptionIds = ids == 0 ? Delivery.NO_IDS : new int[ids];
                    for (int j = i, k = 0; j < end && ids > 0; j++) {
                        SubscriptionEntry e = direct.get(j);
                        if (e.subscriptionId() != 0
                                && !(e.noLocal() && e.clientId().equals(message.publisherId()))) {
                            subscriptionIds[k++] = e.subscriptionId();
                        }
                    }
                    int qos = Math.min(message.qos(), granted);
                    // the retain flag is kept only for Retain As Published [MQTT-3.3.1-12/13]
                    Delivery d =
                            new Delivery(message, qos, retainAsPublished && message.retain(), subscriptionIds, null);
                    if (qos > 0 && rejectWhenFull) {
                        if (session.tryOffer(d, from, ack)) {
                            delivered++;
                        } else {
                            quotaExceeded = true;
                        }
                    } else {
                        session.offer(d, from, ack);
                        delivered++;
                    }
                }
            }
            i = end;
        }
        for (SharedGroup group : m.shared) {
            if (deliverShared(message, group, null, from, ack)) {
                delivered++;
            }
        }
        if (quotaExceeded) {
            return Outcome.QUOTA_EXCEEDED;
        }
        return delivered == 0 ? Outcome.NO_MATCHING_SUBSCRIBERS : Outcome.DELIVERED;
    }

    /** Gives the message to one member of a shared group, preferring connected members. */
    private boolean deliverShared(
            Message message, SharedGroup group, String excludeClientId, Backpressure from, PendingAck ack) {
        SubscriptionEntry member = group.next(e -> !e.clientId().equals(excludeClientId) && isConnected(e));
        if (member == null) {
            member = group.next(e -> !e.clientId().equals(excludeClientId) && sessions.get(e.clientId()) != null);
        }
        if (member == null) {
            return false;
        }
        Session session = sessions.get(member.clientId());
        if (session == null) {
            return false;
        }
        int[] ids = member.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {member.subscriptionId()};
        session.offer(
                new Delivery(
                        message,
                        Math.min(message.qos(), member.maxQos()),
                        member.retainAsPublished() && message.retain(),
                        ids,
                        group),
                from,
                ack);
        return true;
    }

    private boolean isConnected(SubscriptionEntry e) {
        Session s = sessions.get(e.clientId());
        return s != null && s.isConnected();
    }

    /** A member left its group with this message unacknowledged: another member gets it. */
    public void redeliverShared(Delivery delivery, String fromClientId) {
        if (delivery.message().isExpired(System.currentTimeMillis())) {
            metrics.dropped(Drop.EXPIRED);
        } else if (!deliverShared(delivery.message(), delivery.sharedGroup(), fromClientId, null, null)) {
            metrics.dropped(Drop.NO_SUBSCRIBER); // the last member of the group is gone
        }
    }

    /** Reusable per-thread match buffers, so routing allocates nothing per message for the lists. */
    private static final class Matches implements SubscriptionVisitor {
        final List<SubscriptionEntry> direct = new ArrayList<>();
        final List<SharedGroup> shared = new ArrayList<>();

        @Override
        public void subscriber(SubscriptionEntry entry) {
            direct.add(entry);
        }

        @Override
        public void sharedGroup(SharedGroup group) {
            shared.add(group);
        }

        private final Set<String> clients = new HashSet<>();

        boolean hasRepeatedClient() {
            try {
                for (SubscriptionEntry e : direct) {
                    if (!clients.add(e.clientId())) {
                        return true;
                    }
                }
                return false;
            } finally {
                clients.clear();
            }
        }

        void clear() {
            direct.clear();
            shared.clear();
        }
    }
}
