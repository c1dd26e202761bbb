package io.bastion.mqtt.codec;

import io.bastion.mqtt.Topics;

/** The syntax rules for a Topic Name (section 4.7) that a decoder can check without session state. */
final class TopicNames {
    private TopicNames() {}

    /**
     * Rejects a Topic Name holding a wildcard [MQTT-3.3.2-2] [MQTT-4.7.1-1] (v5 [MQTT-4.7.0-1]) or, unless {@code
     * emptyAllowed}, an empty one [MQTT-4.7.3-1]. Both are data the protocol does not allow in a packet
     * that parsed fine, hence Protocol Error (4.13.1).
     */
    static String check(String topic, String what, boolean emptyAllowed) {
        if (topic.isEmpty()) {
            if (!emptyAllowed) {
                throw PacketReader.protocolError(what + " is empty [MQTT-4.7.3-1]");
            }
        } else if (Topics.hasWildcard(topic)) {
            throw PacketReader.protocolError(what + " contains a wildcard character [MQTT-3.3.2-2]");
        }
        return topic;
    }
}
