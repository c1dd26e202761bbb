package io.bastion.mqtt.packet;

import io.bastion.mqtt.PacketType;

/**
 * One MQTT control packet. The model is MQTT 5's superset; MQTT 3.1.1 packets are the same records
 * with empty properties and the reason codes the older protocol can express.
 */
public sealed interface MqttPacket
        permits Connect,
                ConnAck,
                Publish,
                PubAck,
                PubRec,
                PubRel,
                PubComp,
                Subscribe,
                SubAck,
                Unsubscribe,
                UnsubAck,
                PingReq,
                PingResp,
                Disconnect,
                Auth {

    PacketType type();
}
