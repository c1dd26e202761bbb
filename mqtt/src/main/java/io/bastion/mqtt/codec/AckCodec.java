package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.PacketReader.protocolError;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.Auth;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import io.netty.buffer.ByteBuf;

/**
 * The packets shaped "[packet id] [reason code [properties]]": PUBACK, PUBREC, PUBREL, PUBCOMP (3.4-3.7),
 * DISCONNECT (3.14) and AUTH (3.15). In MQTT 5 a trailing reason code and property block may be left
 * out (meaning Success, no properties); the encoder always writes the shortest form.
 */
final class AckCodec {
    private static final Auth AUTH_SUCCESS = new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY);

    private AckCodec() {}

    static MqttPacket decodePublishAck(PacketReader r, PacketType type, MqttVersion version) {
        int packetId = r.readUnsignedShort();
        if (packetId == 0) {
            throw protocolError(type + " has Packet Identifier 0, which no PUBLISH can have (2.2.1)");
        }
        ReasonCode reasonCode = ReasonCode.SUCCESS;
        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5() && r.hasRemaining()) { // MQTT 3 leftovers fail the Remaining Length check
            reasonCode = ReasonCodes.read(type, r.readUnsignedByte());
            if (r.hasRemaining()) {
                properties = PropertiesCodec.read(r, PropertyScope.PUBLISH_ACK);
            }
        }
        return switch (type) {
            case PUBACK -> new PubAck(packetId, reasonCode, properties);
            case PUBREC -> new PubRec(packetId, reasonCode, properties);
            case PUBREL -> new PubRel(packetId, reasonCode, properties);
            case PUBCOMP -> new PubComp(packetId, reasonCode, properties);
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    static Disconnect decodeDisconnect(PacketReader r, MqttVersion version, boolean fromServer) {
        if (!version.isV5() || !r.hasRemaining()) {
            return Disconnect.NORMAL;
        }
        ReasonCode reasonCode = ReasonCodes.read(PacketType.DISCONNECT, r.readUnsignedByte());
        MqttProperties properties = MqttProperties.EMPTY;
        if (r.hasRemaining()) {
            properties = PropertiesCodec.read(r, PropertyScope.DISCONNECT);
            if (fromServer && properties.sessionExpiryInterval() != null) {
                throw protocolError("Session Expiry Interval in a DISCONNECT from the Server [MQTT-3.14.2-2]");
            }
        }
        return reasonCode == ReasonCode.NORMAL_DISCONNECTION && properties.isEmpty()
                ? Disconnect.NORMAL
                : new Disconnect(reasonCode, properties);
    }

    /** AUTH may omit both reason code and properties, but not only the properties (3.15.2.1). */
    static Auth decodeAuth(PacketReader r) {
        if (!r.hasRemaining()) {
            return AUTH_SUCCESS;
        }
        ReasonCode reasonCode = ReasonCodes.read(PacketType.AUTH, r.readUnsignedByte());
        return new Auth(reasonCode, PropertiesCodec.read(r, PropertyScope.AUTH));
    }

    /** Remaining Length of a PUBACK..PUBCOMP, DISCONNECT or AUTH with these fields. */
    static int remainingLength(PacketType type, ReasonCode reasonCode, MqttProperties properties, MqttVersion v) {
        boolean auth = checkAuth(type, v);
        return (hasPacketId(type) ? 2 : 0) + tailSize(reasonCode, properties, v, auth, -1);
    }

    /** {@code packetId} is ignored for DISCONNECT and AUTH. */
    static void encode(
            PacketType type,
            int packetId,
            ReasonCode reasonCode,
            MqttProperties properties,
            MqttVersion v,
            ByteBuf out) {
        boolean auth = checkAuth(type, v);
        int propertiesSize = v.isV5() ? PropertiesCodec.contentSize(properties) : 0;
        int tail = tailSize(reasonCode, properties, v, auth, propertiesSize);
        boolean hasPacketId = hasPacketId(type);
        if (hasPacketId) {
            Wire.checkPacketId(packetId);
        }
        // PUBREL's fixed header flags are 0b0010 [MQTT-3.6.1-1]
        Wire.writeFixedHeader(out, type, type == PacketType.PUBREL ? 0x02 : 0, (hasPacketId ? 2 : 0) + tail);
        if (hasPacketId) {
            out.writeShort(packetId);
        }
        if (tail > 0) {
            out.writeByte(reasonCode.value());
            if (tail > 1) {
                PropertiesCodec.write(out, properties, propertiesSize);
            }
        }
    }

    private static boolean hasPacketId(PacketType type) {
        return type != PacketType.DISCONNECT && type != PacketType.AUTH;
    }

    private static boolean checkAuth(PacketType type, MqttVersion v) {
        if (type != PacketType.AUTH) {
            return false;
        }
        if (!v.isV5()) {
            throw new IllegalArgumentException("AUTH exists only in MQTT 5");
        }
        return true;
    }

    /** Bytes after the packet id: 0 (Success, no properties), 1 (reason code only) or the whole tail. */
    private static int tailSize(
            ReasonCode reasonCode, MqttProperties properties, MqttVersion v, boolean auth, int knownSize) {
        if (!v.isV5()) {
            return 0;
        }
        int content = knownSize >= 0 ? knownSize : PropertiesCodec.contentSize(properties);
        if (content == 0) {
            if (reasonCode == ReasonCode.SUCCESS) {
                return 0;
            }
            if (!auth) {
                return 1;
            }
        }
        return 1 + Wire.variableByteIntegerSize(content) + content;
    }
}
