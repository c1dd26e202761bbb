package io.bastion.broker.connection;

import io.bastion.broker.BrokerSettings.DeniedPublish;
import io.bastion.broker.BrokerSettings.QueueOverflowPolicy;
import io.bastion.broker.Message;
import io.bastion.broker.routing.Router;
import io.bastion.broker.store.PendingAck;
import io.bastion.broker.store.StoreException;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.codec.Utf8;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import io.bastion.mqtt.packet.Publish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUBLISH from the client (section 3.3 and 4.3): topic aliases, limits, flow control, exactly-once
 * bookkeeping for QoS 2, routing, and the acknowledgement.
 */
final class PublishReceiver {
    private static final Logger log = LoggerFactory.getLogger(PublishReceiver.class);
    private final MqttConnection c;

    PublishReceiver(MqttConnection connection) {
        this.c = connection;
    }

    void publish(Publish p) {
        c.broker.metrics().publishReceived.increment();
        MqttProperties props = p.properties();
        String topic = p.topic();
        if (c.version.isV5()) {
            topic = resolveAlias(p);
            if (topic == null) {
                return;
            }
            if (!props.subscriptionIdentifiers().isEmpty()) {
                c.disconnect(ReasonCode.PROTOCOL_ERROR, "PUBLISH with a Subscription Identifier [MQTT-3.3.4-6]");
                return;
            }
        }
        if (p.qos() > c.settings.maximumQos()) {
            c.disconnect(ReasonCode.QOS_NOT_SUPPORTED, "PUBLISH QoS " + p.qos() + " above maximum [MQTT-3.2.2-11]");
            return;
        }
        if (p.retain() && !c.settings.retainAvailable()) {
            c.disconnect(
                    ReasonCode.RETAIN_NOT_SUPPORTED, "retained PUBLISH but retain is not available [MQTT-3.2.2-14]");
            return;
        }
        boolean resentQos2 = p.qos() == 2 && c.session.holdsQos2(p.packetId());
        if (p.qos() > 0 && !resentQos2 && c.session.incomingQos2Count() >= c.settings.receiveMaximum()) {
            c.disconnect(
                    ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more unacknowledged QoS 1/2 PUBLISH than Receive Maximum [MQTT-3.3.4-8]");
            return;
        }
        Integer format = props.payloadFormatIndicator();
        if (format != null && format == 1 && !Utf8.isWellFormed(p.payload())) {
            if (p.qos() == 0) {
                c.disconnect(ReasonCode.PAYLOAD_FORMAT_INVALID, "payload is not the UTF-8 its format indicator says");
            } else {
                acknowledge(p, ReasonCode.PAYLOAD_FORMAT_INVALID, "payload is not UTF-8");
            }
            return;
        }
        if (!c.broker.authorizer().canPublish(c.identity, topic, p.qos(), p.retain())) {
            refused(p, topic);
            return;
        }
        // a durable store must be able to keep the message before it is accepted
        boolean durable = p.qos() > 0 && c.broker.store().isDurable();
        if (durable && !resentQos2 && !c.broker.store().acceptsWrites()) {
            notStored(p, null, ReasonCode.QUOTA_EXCEEDED, "the broker's store is full");
            return;
        }
        if (p.qos() == 2 && !receivedQos2(p)) {
            return;
        }
        if (props.topicAlias() != null) {
            props = props.toBuilder().topicAlias(null).build();
        }
        long now = c.broker.nowMillis();
        Message message =
                new Message(topic, p.qos(), p.retain(), p.payload(), props, c.clientId, Message.expiresAt(props, now));
        boolean rejectWhenFull = c.settings.queueOverflow() == QueueOverflowPolicy.REJECT_NEW && p.qos() > 0;
        if (durable) {
            publishDurably(p, message, rejectWhenFull);
            return;
        }
        Router.Outcome outcome = c.broker.router().publish(message, rejectWhenFull, c, null);
        c.broker.metrics().messagesReceived.increment();
        if (p.qos() > 0) {
            acknowledge(p, outcome);
        }
    }

    private void acknowledge(Publish p, Router.Outcome outcome) {
        switch (outcome) {
            case NO_MATCHING_SUBSCRIBERS -> acknowledge(p, ReasonCode.NO_MATCHING_SUBSCRIBERS, null);
            case QUOTA_EXCEEDED -> acknowledge(p, ReasonCode.QUOTA_EXCEEDED, "a subscriber's queue is full");
            default -> acknowledge(p, ReasonCode.SUCCESS, null);
        }
    }

    /** Holds the packet id of a new QoS 2 PUBLISH; false when the PUBLISH is done with here. */
    private boolean receivedQos2(Publish p) {
        try {
            if (c.session.receivedQos2(p.packetId())) {
                return true;
            }
            // a resent QoS 2 PUBLISH we already have: acknowledge, do not deliver twice [MQTT-4.3.3-9]
            c.acks.send(new PubRec(p.packetId()));
        } catch (StoreException e) {
            notStored(p, null, ReasonCode.UNSPECIFIED_ERROR, "the broker could not store the message");
        }
        return false;
    }

    /**
     * Routes a QoS 1/2 message and acknowledges it once every persistent session that gets it has
     * stored it and the store committed: the ack comes back to this event loop, in order.
     */
    private void publishDurably(Publish p, Message message, boolean rejectWhenFull) {
        StoredAck pending = new StoredAck(p, c.acks.reserve());
        PendingAck ack = new PendingAck(pending);
        try {
            pending.outcome = c.broker.router().publish(message, rejectWhenFull, c, ack);
            c.broker.metrics().messagesReceived.increment();
            if (message.retain() || (p.qos() == 2 && c.session.isPersistent())) {
                ack.wrote(); // the retained message or the held packet id is in this commit too
            }
        } catch (StoreException e) {
            log.warn("client {}: could not store a retained message on {}: {}", c.clientId, p.topic(), e.getMessage());
            ack.failed();
        }
        ack.release();
    }

    /** The acknowledgement of one PUBLISH that waits for the store. */
    private final class StoredAck implements PendingAck.Completion {
        private final Publish publish;
        private final AckOrder.Slot slot;
        private Router.Outcome outcome = Router.Outcome.DELIVERED;

        StoredAck(Publish publish, AckOrder.Slot slot) {
            this.publish = publish;
            this.slot = slot;
        }

        @Override
        public void done(boolean wrote, boolean failed) {
            if (failed) {
                onEventLoop(this::failed);
            } else if (!wrote) {
                onEventLoop(this::succeeded);
            } else {
                c.broker
                        .store()
                        .commit()
                        .whenComplete((v, e) -> onEventLoop(e == null ? this::succeeded : this::failed));
            }
        }

        private void succeeded() {
            if (c.state != MqttConnection.State.CLOSED) {
                c.acks.complete(slot, ackPacket(publish, reasonOf(outcome), whyOf(outcome)));
            }
        }

        private void failed() {
            if (c.state != MqttConnection.State.CLOSED) {
                notStored(publish, slot, ReasonCode.UNSPECIFIED_ERROR, "the broker could not store the message");
            }
        }

        private void onEventLoop(Runnable task) {
            if (c.channel.executor().inEventLoop()) {
                task.run();
            } else {
                c.channel.executor().execute(task);
            }
        }
    }

    private static ReasonCode reasonOf(Router.Outcome outcome) {
        return switch (outcome) {
            case NO_MATCHING_SUBSCRIBERS -> ReasonCode.NO_MATCHING_SUBSCRIBERS;
            case QUOTA_EXCEEDED -> ReasonCode.QUOTA_EXCEEDED;
            default -> ReasonCode.SUCCESS;
        };
    }

    private static String whyOf(Router.Outcome outcome) {
        return outcome == Router.Outcome.QUOTA_EXCEEDED ? "a subscriber's queue is full" : null;
    }

    /**
     * The store cannot keep the message: MQTT 5 gets the reason code in PUBACK / PUBREC (0x97 for a
     * full store, 0x80 for a failed write); 3.1.1 has no negative ack, so the connection is closed
     * unacknowledged and the client sends the message again later [MQTT-4.4.0-1].
     */
    private void notStored(Publish p, AckOrder.Slot slot, ReasonCode reason, String why) {
        c.broker.metrics().publishNotStored.increment();
        log.debug("client {}: QoS {} PUBLISH on {} refused: {}", c.clientId, p.qos(), p.topic(), why);
        if (p.qos() == 2) {
            c.session.released(p.packetId());
        }
        if (!c.version.isV5()) {
            if (slot != null) {
                c.acks.complete(slot, null);
            }
            c.disconnect(ReasonCode.UNSPECIFIED_ERROR, why + "; closing the 3.1.1 connection unacknowledged");
            return;
        }
        MqttPacket ack = ackPacket(p, reason, why);
        if (slot == null) {
            c.acks.send(ack);
        } else {
            c.acks.complete(slot, ack);
        }
    }

    /**
     * Not authorized: QoS 1/2 get 0x87 (v5), QoS 0 is dropped, or the client is disconnected with 0x87 when the
     * settings say so; either way it is counted and logged.
     */
    private void refused(Publish p, String topic) {
        c.broker.metrics().publishDenied.increment();
        if (c.settings.deniedPublish() == DeniedPublish.DISCONNECT) {
            c.disconnect(ReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + topic);
            return;
        }
        log.info("client {} from {} may not publish to {}", c.clientId, c.channel.remoteAddress(), topic);
        if (p.qos() > 0) {
            acknowledge(p, ReasonCode.NOT_AUTHORIZED, "not authorized");
        }
    }

    /** The topic of a v5 PUBLISH after Topic Alias processing, or null when the connection was closed. */
    private String resolveAlias(Publish p) {
        Integer alias = p.properties().topicAlias();
        if (alias == null) {
            if (p.topic().isEmpty()) {
                c.disconnect(ReasonCode.PROTOCOL_ERROR, "empty topic without Topic Alias");
                return null;
            }
            return p.topic();
        }
        if (c.aliasesIn == null || !c.aliasesIn.inRange(alias)) {
            c.disconnect(ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " out of range [MQTT-3.3.2-8/9]");
            return null;
        }
        if (p.topic().isEmpty()) {
            String topic = c.aliasesIn.resolve(alias);
            if (topic == null) {
                c.disconnect(ReasonCode.PROTOCOL_ERROR, "Topic Alias " + alias + " was never set [MQTT-3.3.2-12]");
            }
            return topic;
        }
        c.aliasesIn.set(alias, p.topic());
        return p.topic();
    }

    private void acknowledge(Publish p, ReasonCode reason, String why) {
        c.acks.send(ackPacket(p, reason, why));
    }

    private MqttPacket ackPacket(Publish p, ReasonCode reason, String why) {
        boolean v5 = c.version.isV5();
        if (!v5 && reason.isError()) {
            // 3.1.1 has no negative acknowledgement: the message is accepted and dropped
            reason = ReasonCode.SUCCESS;
        }
        MqttProperties props = v5 ? c.reasonProperties(why) : MqttProperties.EMPTY;
        ReasonCode code = v5 ? reason : ReasonCode.SUCCESS;
        if (p.qos() == 1) {
            return new PubAck(p.packetId(), code, props);
        }
        if (code.isError()) {
            c.session.released(p.packetId()); // an error PUBREC ends the exchange [MQTT-4.3.3]
        }
        return new PubRec(p.packetId(), code, props);
    }

    void pubrel(PubRel r) {
        boolean known = c.session.released(r.packetId());
        ReasonCode code = known || !c.version.isV5() ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
        c.write(new PubComp(r.packetId(), code, MqttProperties.EMPTY)); // [MQTT-4.3.3-11]
    }
}
