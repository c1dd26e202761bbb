package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.PacketReader.protocolError;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.packet.Publish;
import io.netty.buffer.ByteBuf;

/** The wire form of PUBLISH (3.3), the hot path: it allocates the topic, the payload and nothing else. */
final class PublishCodec {
    private static final int RETAIN = 0x01;
    private static final int DUP = 0x08;

    private PublishCodec() {}

    /** {@code flags} were checked by the fixed header: QoS is 0-2 and DUP is 0 for QoS 0. */
    static Publish decode(PacketReader r, int flags, MqttVersion version, boolean fromClient) {
        int qos = (flags >> 1) & 0x03;
        String topic = r.readString();
        int packetId = 0;
        if (qos > 0) {
            packetId = r.readUnsignedShort();
            if (packetId == 0) {
                throw protocolError("PUBLISH with QoS > 0 has Packet Identifier 0 [MQTT-2.2.1-3]");
            }
        }
        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5()) {
            properties = PropertiesCodec.read(r, PropertyScope.PUBLISH);
            if (fromClient && !properties.subscriptionIdentifiers().isEmpty()) {
                throw protocolError("PUBLISH from a Client has a Subscription Identifier [MQTT-3.3.4-6]");
            }
            if (topic.isEmpty() && properties.topicAlias() == null) {
                throw protocolError("PUBLISH has an empty Topic Name and no Topic Alias (3.3.2.1)");
            }
        }
        // an empty topic in MQTT 5 stands for a Topic Alias, whose mapping the connection layer owns
        TopicNames.check(topic, "Topic Name", version.isV5());
        return new Publish(topic, qos, (flags & RETAIN) != 0, (flags & DUP) != 0, packetId, properties, r.readRest());
    }

    static int remainingLength(Publish p, MqttVersion v) {
        return remainingLength(p, v.isV5() ? PropertiesCodec.contentSize(p.properties()) : -1);
    }

    private static int remainingLength(Publish p, int properties) {
        int n = Wire.stringSize(p.topic()) + (Wire.checkQos(p.qos()) > 0 ? 2 : 0) + p.payload().length;
        return n + PropertiesCodec.blockSize(properties);
    }

    static void encode(Publish p, MqttVersion v, ByteBuf out) {
        int properties = v.isV5() ? PropertiesCodec.contentSize(p.properties()) : -1;
        int remainingLength = remainingLength(p, properties);
        // DUP MUST be 0 for QoS 0 [MQTT-3.3.1-2]
        int flags = p.qos() << 1 | (p.retain() ? RETAIN : 0) | (p.dup() && p.qos() > 0 ? DUP : 0);
        if (p.qos() > 0) {
            Wire.checkPacketId(p.packetId());
        }
        Wire.writeFixedHeader(out, PacketType.PUBLISH, flags, remainingLength);
        Wire.writeString(out, p.topic());
        if (p.qos() > 0) {
            out.writeShort(p.packetId());
        }
        PropertiesCodec.write(out, p.properties(), properties);
        out.writeBytes(p.payload());
    }
}
