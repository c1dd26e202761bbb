package io.bastion.broker.connection;

import io.bastion.broker.BrokerSettings.DeniedPublish;
import io.bastion.broker.BrokerSettings.QueueOverflowPolicy;
import io.bastion.broker.Message;
import io.bastion.broker.routing.Router;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.codec.Utf8;
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
        if (p.qos() == 2 && !c.session.receivedQos2(p.packetId())) {
            // a resent QoS 2 PUBLISH we already have: acknowledge, do not deliver twice [MQTT-4.3.3-9]
            c.write(new PubRec(p.packetId()));
            return;
        }
        if (props.topicAlias() != null) {
            props = props.toBuilder().topicAlias(null).build();
        }
        long now = c.broker.nowMillis();
        Message message =
                new Message(topic, p.qos(), p.retain(), p.payload(), props, c.clientId, Message.expiresAt(props, now));
        boolean rejectWhenFull = c.settings.queueOverflow() == QueueOverflowPolicy.REJECT_NEW && p.qos() > 0;
        Router.Outcome outcome = c.broker.router().publish(message, rejectWhenFull, c);
        c.broker.metrics().messagesReceived.increment();
        if (p.qos() > 0) {
            switch (outcome) {
                case NO_MATCHING_SUBSCRIBERS -> acknowledge(p, ReasonCode.NO_MATCHING_SUBSCRIBERS, null);
                case QUOTA_EXCEEDED -> acknowledge(p, ReasonCode.QUOTA_EXCEEDED, "a subscriber's queue is full");
                default -> acknowledge(p, ReasonCode.SUCCESS, null);
            }
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
        boolean v5 = c.version.isV5();
        if (!v5 && reason.isError()) {
            // 3.1.1 has no negative acknowledgement: the message is accepted and dropped
            reason = ReasonCode.SUCCESS;
        }
        MqttProperties props = v5 ? c.reasonProperties(why) : MqttProperties.EMPTY;
        ReasonCode code = v5 ? reason : ReasonCode.SUCCESS;
        if (p.qos() == 1) {
            c.write(new PubAck(p.packetId(), code, props));
        } else {
            if (code.isError()) {
                c.session.released(p.packetId()); // an error PUBREC ends the exchange [MQTT-4.3.3]
            }
            c.write(new PubRec(p.packetId(), code, props));
        }
    }

    void pubrel(PubRel r) {
        boolean known = c.session.released(r.packetId());
        ReasonCode code = known || !c.version.isV5() ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
        c.write(new PubComp(r.packetId(), code, MqttProperties.EMPTY)); // [MQTT-4.3.3-11]
    }
}
