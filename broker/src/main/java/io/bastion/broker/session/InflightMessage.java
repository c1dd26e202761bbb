package io.bastion.broker.session;

/**
 * An outgoing QoS 1 or 2 message sent and not yet acknowledged. {@code released} is set once PUBREC
 * arrived and PUBREL was sent: from then on only PUBREL is resent [MQTT-4.4.0-1].
 */
final class InflightMessage {
    final Delivery delivery;
    final int packetId;
    boolean released;

    InflightMessage(Delivery delivery, int packetId) {
        this.delivery = delivery;
        this.packetId = packetId;
    }
}
