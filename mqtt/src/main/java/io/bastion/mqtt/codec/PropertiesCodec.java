package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.PacketReader.malformed;
import static io.bastion.mqtt.codec.PacketReader.protocolError;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PropertyId;
import io.bastion.mqtt.UserProperty;
import io.netty.buffer.ByteBuf;

/** The MQTT 5 property block (section 2.2.2): length, then identifier/value pairs. */
final class PropertiesCodec {
    private PropertiesCodec() {}

    /**
     * Reads a property block. An identifier unknown or not allowed in {@code scope} is a Malformed
     * Packet (2.2.2.2); a second occurrence of a single-valued property and a value outside its range
     * are Protocol Errors, as each property's description in chapter 3 says.
     */
    static MqttProperties read(PacketReader r, PropertyScope scope) {
        int length = r.readVariableByteInteger();
        if (length == 0) {
            return MqttProperties.EMPTY; // the common case allocates nothing
        }
        if (length > r.remaining()) {
            throw malformed("property length runs past the end of the packet");
        }
        int outerEnd = r.limit(r.position() + length);
        MqttProperties.Builder b = MqttProperties.builder();
        long seen = 0;
        while (r.hasRemaining()) {
            // the identifier is a Variable Byte Integer, but every defined one fits in a byte below 0x80
            PropertyId id = PropertyId.of(r.readUnsignedByte());
            if (id == null || !scope.allows(id)) {
                throw malformed("property " + (id == null ? "unknown" : id) + " not allowed in " + scope);
            }
            long bit = 1L << id.id();
            if ((seen & bit) != 0 && !scope.allowsRepeat(id)) {
                throw protocolError("property " + id + " included more than once");
            }
            seen |= bit;
            readValue(r, id, b);
        }
        r.limit(outerEnd);
        return b.build();
    }

    private static void readValue(PacketReader r, PropertyId id, MqttProperties.Builder b) {
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR -> b.payloadFormatIndicator(zeroOrOne(r, id));
            case MESSAGE_EXPIRY_INTERVAL -> b.messageExpiryInterval(r.readUnsignedInt());
            case CONTENT_TYPE -> b.contentType(r.readString());
            case RESPONSE_TOPIC -> b.responseTopic(TopicNames.check(r.readString(), "Response Topic", false));
            case CORRELATION_DATA -> b.correlationData(r.readBinary());
            case SUBSCRIPTION_IDENTIFIER -> {
                int value = r.readVariableByteInteger();
                if (value == 0) {
                    throw protocolError("Subscription Identifier 0");
                }
                b.subscriptionIdentifier(value);
            }
            case SESSION_EXPIRY_INTERVAL -> b.sessionExpiryInterval(r.readUnsignedInt());
            case ASSIGNED_CLIENT_IDENTIFIER -> b.assignedClientIdentifier(r.readString());
            case SERVER_KEEP_ALIVE -> b.serverKeepAlive(r.readUnsignedShort());
            case AUTHENTICATION_METHOD -> b.authenticationMethod(r.readString());
            case AUTHENTICATION_DATA -> b.authenticationData(r.readBinary());
            case REQUEST_PROBLEM_INFORMATION -> b.requestProblemInformation(zeroOrOne(r, id));
            case WILL_DELAY_INTERVAL -> b.willDelayInterval(r.readUnsignedInt());
            case REQUEST_RESPONSE_INFORMATION -> b.requestResponseInformation(zeroOrOne(r, id));
            case RESPONSE_INFORMATION -> b.responseInformation(r.readString());
            case SERVER_REFERENCE -> b.serverReference(r.readString());
            case REASON_STRING -> b.reasonString(r.readString());
            case RECEIVE_MAXIMUM -> b.receiveMaximum(nonZeroShort(r, id));
            case TOPIC_ALIAS_MAXIMUM -> b.topicAliasMaximum(r.readUnsignedShort());
            case TOPIC_ALIAS -> b.topicAlias(nonZeroShort(r, id));
            case MAXIMUM_QOS -> b.maximumQos(zeroOrOne(r, id));
            case RETAIN_AVAILABLE -> b.retainAvailable(zeroOrOne(r, id));
            case USER_PROPERTY -> {
                String name = r.readString();
                b.userProperty(name, r.readString());
            }
            case MAXIMUM_PACKET_SIZE -> {
                long value = r.readUnsignedInt();
                if (value == 0) {
                    throw protocolError("Maximum Packet Size 0");
                }
                b.maximumPacketSize(value);
            }
            case WILDCARD_SUBSCRIPTION_AVAILABLE -> b.wildcardSubscriptionAvailable(zeroOrOne(r, id));
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE -> b.subscriptionIdentifierAvailable(zeroOrOne(r, id));
            case SHARED_SUBSCRIPTION_AVAILABLE -> b.sharedSubscriptionAvailable(zeroOrOne(r, id));
        }
    }

    private static int zeroOrOne(PacketReader r, PropertyId id) {
        int value = r.readUnsignedByte();
        if (value > 1) {
            throw protocolError(id + " must be 0 or 1, was " + value);
        }
        return value;
    }

    private static int nonZeroShort(PacketReader r, PropertyId id) {
        int value = r.readUnsignedShort();
        if (value == 0) {
            throw protocolError(id + " 0");
        }
        return value;
    }

    /** Bytes of the property block including its length prefix; also checks each value's range. */
    static int blockSize(MqttProperties p) {
        return blockSize(contentSize(p));
    }

    /** Bytes of a block whose content is {@code contentSize} bytes; -1 stands for "no block" (MQTT 3). */
    static int blockSize(int contentSize) {
        return contentSize < 0 ? 0 : Wire.variableByteIntegerSize(contentSize) + contentSize;
    }

    /** Bytes of the identifier/value pairs, without the length prefix. */
    static int contentSize(MqttProperties p) {
        if (p.isEmpty()) { // identity check first: decoded and most built packets share EMPTY
            return 0;
        }
        int n = 0;
        n += byteSize(p.payloadFormatIndicator());
        n += intSize(p.messageExpiryInterval());
        n += stringSize(p.contentType());
        n += stringSize(p.responseTopic());
        n += binarySize(p.correlationData());
        for (int id : p.subscriptionIdentifiers()) {
            if (id == 0) {
                throw new IllegalArgumentException("Subscription Identifier 0");
            }
            n += 1 + Wire.variableByteIntegerSize(id);
        }
        n += intSize(p.sessionExpiryInterval());
        n += stringSize(p.assignedClientIdentifier());
        n += shortSize(p.serverKeepAlive());
        n += stringSize(p.authenticationMethod());
        n += binarySize(p.authenticationData());
        n += byteSize(p.requestProblemInformation());
        n += intSize(p.willDelayInterval());
        n += byteSize(p.requestResponseInformation());
        n += stringSize(p.responseInformation());
        n += stringSize(p.serverReference());
        n += stringSize(p.reasonString());
        n += shortSize(p.receiveMaximum());
        n += shortSize(p.topicAliasMaximum());
        n += shortSize(p.topicAlias());
        n += byteSize(p.maximumQos());
        n += byteSize(p.retainAvailable());
        for (UserProperty u : p.userProperties()) {
            n += 1 + Wire.stringSize(u.name()) + Wire.stringSize(u.value());
        }
        n += intSize(p.maximumPacketSize());
        n += byteSize(p.wildcardSubscriptionAvailable());
        n += byteSize(p.subscriptionIdentifierAvailable());
        n += byteSize(p.sharedSubscriptionAvailable());
        return n;
    }

    /**
     * Writes the length prefix and the properties; {@code contentSize} is {@link #contentSize}, or -1
     * to write nothing (MQTT 3).
     */
    static void write(ByteBuf out, MqttProperties p, int contentSize) {
        if (contentSize < 0) {
            return;
        }
        Wire.writeVariableByteInteger(out, contentSize);
        if (contentSize == 0) {
            return;
        }
        writeByte(out, PropertyId.PAYLOAD_FORMAT_INDICATOR, p.payloadFormatIndicator());
        writeInt(out, PropertyId.MESSAGE_EXPIRY_INTERVAL, p.messageExpiryInterval());
        writeString(out, PropertyId.CONTENT_TYPE, p.contentType());
        writeString(out, PropertyId.RESPONSE_TOPIC, p.responseTopic());
        writeBinary(out, PropertyId.CORRELATION_DATA, p.correlationData());
        for (int id : p.subscriptionIdentifiers()) {
            out.writeByte(PropertyId.SUBSCRIPTION_IDENTIFIER.id());
            Wire.writeVariableByteInteger(out, id);
        }
        writeInt(out, PropertyId.SESSION_EXPIRY_INTERVAL, p.sessionExpiryInterval());
        writeString(out, PropertyId.ASSIGNED_CLIENT_IDENTIFIER, p.assignedClientIdentifier());
        writeShort(out, PropertyId.SERVER_KEEP_ALIVE, p.serverKeepAlive());
        writeString(out, PropertyId.AUTHENTICATION_METHOD, p.authenticationMethod());
        writeBinary(out, PropertyId.AUTHENTICATION_DATA, p.authenticationData());
        writeByte(out, PropertyId.REQUEST_PROBLEM_INFORMATION, p.requestProblemInformation());
        writeInt(out, PropertyId.WILL_DELAY_INTERVAL, p.willDelayInterval());
        writeByte(out, PropertyId.REQUEST_RESPONSE_INFORMATION, p.requestResponseInformation());
        writeString(out, PropertyId.RESPONSE_INFORMATION, p.responseInformation());
        writeString(out, PropertyId.SERVER_REFERENCE, p.serverReference());
        writeString(out, PropertyId.REASON_STRING, p.reasonString());
        writeShort(out, PropertyId.RECEIVE_MAXIMUM, p.receiveMaximum());
        writeShort(out, PropertyId.TOPIC_ALIAS_MAXIMUM, p.topicAliasMaximum());
        writeShort(out, PropertyId.TOPIC_ALIAS, p.topicAlias());
        writeByte(out, PropertyId.MAXIMUM_QOS, p.maximumQos());
        writeByte(out, PropertyId.RETAIN_AVAILABLE, p.retainAvailable());
        for (UserProperty u : p.userProperties()) {
            out.writeByte(PropertyId.USER_PROPERTY.id());
            Wire.writeString(out, u.name());
            Wire.writeString(out, u.value());
        }
        writeInt(out, PropertyId.MAXIMUM_PACKET_SIZE, p.maximumPacketSize());
        writeByte(out, PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, p.wildcardSubscriptionAvailable());
        writeByte(out, PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, p.subscriptionIdentifierAvailable());
        writeByte(out, PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, p.sharedSubscriptionAvailable());
    }

    private static int byteSize(Integer v) {
        if (v == null) {
            return 0;
        }
        Wire.checkUnsignedByte(v);
        return 2;
    }

    private static int shortSize(Integer v) {
        if (v == null) {
            return 0;
        }
        Wire.checkUnsignedShort(v);
        return 3;
    }

    private static int intSize(Long v) {
        if (v == null) {
            return 0;
        }
        Wire.checkUnsignedInt(v);
        return 5;
    }

    private static int stringSize(String v) {
        return v == null ? 0 : 1 + Wire.stringSize(v);
    }

    private static int binarySize(byte[] v) {
        return v == null ? 0 : 1 + Wire.binarySize(v);
    }

    private static void writeByte(ByteBuf out, PropertyId id, Integer v) {
        if (v != null) {
            out.writeByte(id.id());
            out.writeByte(v);
        }
    }

    private static void writeShort(ByteBuf out, PropertyId id, Integer v) {
        if (v != null) {
            out.writeByte(id.id());
            out.writeShort(v);
        }
    }

    private static void writeInt(ByteBuf out, PropertyId id, Long v) {
        if (v != null) {
            out.writeByte(id.id());
            out.writeInt((int) (long) v);
        }
    }

    private static void writeString(ByteBuf out, PropertyId id, String v) {
        if (v != null) {
            out.writeByte(id.id());
            Wire.writeString(out, v);
        }
    }

    private static void writeBinary(ByteBuf out, PropertyId id, byte[] v) {
        if (v != null) {
            out.writeByte(id.id());
            Wire.writeBinary(out, v);
        }
    }
}
