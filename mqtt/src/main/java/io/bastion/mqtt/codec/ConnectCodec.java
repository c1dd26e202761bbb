package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.PacketReader.malformed;
import static io.bastion.mqtt.codec.PacketReader.protocolError;

import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Will;
import io.netty.buffer.ByteBuf;

/** The wire form of CONNECT (3.1) and CONNACK (3.2). */
final class ConnectCodec {
    private static final int RESERVED = 0x01;
    private static final int CLEAN_START = 0x02;
    private static final int WILL_FLAG = 0x04;
    private static final int WILL_RETAIN = 0x20;
    private static final int PASSWORD_FLAG = 0x40;
    private static final int USER_NAME_FLAG = 0x80;

    private ConnectCodec() {}

    static Connect decodeConnect(PacketReader r) {
        String protocolName = r.readString();
        int level = r.readUnsignedByte();
        MqttVersion version = MqttVersion.of(protocolName, level);
        if (version == null) {
            // the connection layer answers CONNACK 0x84 / return code 1 and closes [MQTT-3.1.2-2]
            throw new MqttCodecException(
                    ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "unsupported protocol " + protocolName + " level " + level + " [MQTT-3.1.2-2]");
        }
        int flags = r.readUnsignedByte();
        if ((flags & RESERVED) != 0) {
            throw malformed("reserved CONNECT flag is 1 [MQTT-3.1.2-3]");
        }
        boolean willFlag = (flags & WILL_FLAG) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & WILL_RETAIN) != 0;
        if (!willFlag && (willQos != 0 || willRetain)) {
            throw malformed("Will QoS or Will Retain set without the Will Flag [MQTT-3.1.2-13] [MQTT-3.1.2-15]");
        }
        if (willQos == 3) {
            throw malformed("Will QoS 3 [MQTT-3.1.2-14]");
        }
        boolean hasUserName = (flags & USER_NAME_FLAG) != 0;
        boolean hasPassword = (flags & PASSWORD_FLAG) != 0;
        if (hasPassword && !hasUserName && !version.isV5()) {
            throw malformed("Password Flag without User Name Flag [MQTT-3.1.2-22]");
        }
        int keepAlive = r.readUnsignedShort();
        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5()) {
            properties = PropertiesCodec.read(r, PropertyScope.CONNECT);
            if (properties.authenticationData() != null && properties.authenticationMethod() == null) {
                throw protocolError("Authentication Data without Authentication Method (3.1.2.11.10)");
            }
        }
        String clientId = r.readString(); // may be empty; whether that is acceptable is the broker's call
        Will will = null;
        if (willFlag) {
            MqttProperties willProperties =
                    version.isV5() ? PropertiesCodec.read(r, PropertyScope.WILL) : MqttProperties.EMPTY;
            String topic = TopicNames.check(r.readString(), "Will Topic", false);
            will = new Will(topic, r.readBinary(), willQos, willRetain, willProperties);
        }
        String userName = hasUserName ? r.readString() : null;
        byte[] password = hasPassword ? r.readBinary() : null;
        return new Connect(
                version, clientId, (flags & CLEAN_START) != 0, keepAlive, userName, password, will, properties);
    }

    static ConnAck decodeConnAck(PacketReader r, MqttVersion version) {
        int ackFlags = r.readUnsignedByte();
        int code = r.readUnsignedByte();
        if (version == MqttVersion.V3_1) {
            // MQTT 3.1 has no Session Present: the first byte is unused
            return new ConnAck(false, returnCode(code), MqttProperties.EMPTY);
        }
        if ((ackFlags & 0xFE) != 0) {
            throw malformed("reserved CONNACK acknowledge flags are not 0 [MQTT-3.2.2-1]");
        }
        boolean sessionPresent = (ackFlags & 0x01) != 0;
        ReasonCode reasonCode = version.isV5() ? ReasonCodes.read(PacketType.CONNACK, code) : returnCode(code);
        if (sessionPresent && reasonCode != ReasonCode.SUCCESS) {
            throw protocolError("Session Present with a refusal [MQTT-3.2.2-4] (v5 [MQTT-3.2.2-6])");
        }
        MqttProperties properties =
                version.isV5() ? PropertiesCodec.read(r, PropertyScope.CONNACK) : MqttProperties.EMPTY;
        return new ConnAck(sessionPresent, reasonCode, properties);
    }

    private static ReasonCode returnCode(int code) {
        ReasonCode reasonCode = ReasonCode.fromV311ConnectReturnCode(code);
        if (reasonCode == null) {
            throw malformed("CONNACK return code " + code + " is reserved");
        }
        return reasonCode;
    }

    /** CONNECT is always written in its own {@link Connect#version()}. */
    static int remainingLength(Connect c) {
        MqttVersion v = c.version();
        return remainingLength(
                c,
                v.isV5() ? PropertiesCodec.contentSize(c.properties()) : -1,
                v.isV5() && c.will() != null
                        ? PropertiesCodec.contentSize(c.will().properties())
                        : -1);
    }

    /** A property size of -1 means "no property block" (MQTT 3). */
    private static int remainingLength(Connect c, int properties, int willProperties) {
        int n = Wire.stringSize(c.version().protocolName()) + 1 + 1 + 2 + Wire.stringSize(c.clientId());
        n += PropertiesCodec.blockSize(properties);
        Will w = c.will();
        if (w != null) {
            Wire.checkQos(w.qos());
            n += PropertiesCodec.blockSize(willProperties) + Wire.stringSize(w.topic()) + Wire.binarySize(w.payload());
        }
        if (c.username() != null) {
            n += Wire.stringSize(c.username());
        }
        if (c.password() != null) {
            n += Wire.binarySize(c.password());
        }
        return n;
    }

    static void encode(Connect c, ByteBuf out) {
        MqttVersion v = c.version();
        Will w = c.will();
        int properties = v.isV5() ? PropertiesCodec.contentSize(c.properties()) : -1;
        int willProperties = v.isV5() && w != null ? PropertiesCodec.contentSize(w.properties()) : -1;
        Wire.checkUnsignedShort(c.keepAlive());
        Wire.writeFixedHeader(out, PacketType.CONNECT, 0, remainingLength(c, properties, willProperties));
        Wire.writeString(out, v.protocolName());
        out.writeByte(v.level());
        int flags = c.cleanStart() ? CLEAN_START : 0;
        if (w != null) {
            flags |= WILL_FLAG | w.qos() << 3 | (w.retain() ? WILL_RETAIN : 0);
        }
        flags |= c.username() != null ? USER_NAME_FLAG : 0;
        flags |= c.password() != null ? PASSWORD_FLAG : 0;
        out.writeByte(flags);
        out.writeShort(c.keepAlive());
        PropertiesCodec.write(out, c.properties(), properties);
        Wire.writeString(out, c.clientId());
        if (w != null) {
            PropertiesCodec.write(out, w.properties(), willProperties);
            Wire.writeString(out, w.topic());
            Wire.writeBinary(out, w.payload());
        }
        if (c.username() != null) {
            Wire.writeString(out, c.username());
        }
        if (c.password() != null) {
            Wire.writeBinary(out, c.password());
        }
    }

    static int remainingLength(ConnAck a, MqttVersion v) {
        return 2 + (v.isV5() ? PropertiesCodec.blockSize(a.properties()) : 0);
    }

    static void encode(ConnAck a, MqttVersion v, ByteBuf out) {
        int properties = v.isV5() ? PropertiesCodec.contentSize(a.properties()) : -1;
        Wire.writeFixedHeader(out, PacketType.CONNACK, 0, 2 + PropertiesCodec.blockSize(properties));
        boolean accepted = a.reasonCode() == ReasonCode.SUCCESS;
        // Session Present only with success [MQTT-3.2.2-4]; MQTT 3.1 has no such flag
        out.writeByte(a.sessionPresent() && accepted && v != MqttVersion.V3_1 ? 1 : 0);
        out.writeByte(v.isV5() ? a.reasonCode().value() : a.reasonCode().v311ConnectReturnCode());
        PropertiesCodec.write(out, a.properties(), properties);
    }
}
