package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.PacketReader.malformed;
import static io.bastion.mqtt.codec.PacketReader.protocolError;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.SubAck;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.Subscription;
import io.bastion.mqtt.packet.UnsubAck;
import io.bastion.mqtt.packet.Unsubscribe;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The wire form of SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (3.8-3.11). Topic filters are read as
 * strings only: their wildcard syntax is judged per filter by the broker, which answers in the SUBACK.
 */
final class SubscribeCodec {
    private static final int NO_LOCAL = 0x04;
    private static final int RETAIN_AS_PUBLISHED = 0x08;
    private static final String SHARED_PREFIX = "$share/";

    private SubscribeCodec() {}

    static Subscribe decodeSubscribe(PacketReader r, MqttVersion version) {
        int packetId = packetId(r, PacketType.SUBSCRIBE);
        MqttProperties properties =
                version.isV5() ? PropertiesCodec.read(r, PropertyScope.SUBSCRIBE) : MqttProperties.EMPTY;
        if (!r.hasRemaining()) {
            throw protocolError("SUBSCRIBE without a Topic Filter [MQTT-3.8.3-3] (v5 [MQTT-3.8.3-2])");
        }
        List<Subscription> subscriptions = new ArrayList<>();
        while (r.hasRemaining()) {
            String filter = r.readString();
            int options = r.readUnsignedByte();
            subscriptions.add(version.isV5() ? v5Subscription(filter, options) : v3Subscription(filter, options));
        }
        return new Subscribe(packetId, Collections.unmodifiableList(subscriptions), properties);
    }

    private static Subscription v3Subscription(String filter, int options) {
        if ((options & 0xFC) != 0 || (options & 0x03) == 3) {
            throw malformed("SUBSCRIBE Requested QoS byte is not 0, 1 or 2 [MQTT-3.8.3-4]");
        }
        return Subscription.of(filter, options);
    }

    private static Subscription v5Subscription(String filter, int options) {
        if ((options & 0xC0) != 0) {
            throw malformed("reserved Subscription Options bits 6-7 are not 0 [MQTT-3.8.3-5]");
        }
        int maxQos = options & 0x03;
        if (maxQos == 3) {
            throw protocolError("Subscription Options Maximum QoS 3 (3.8.3.1)");
        }
        int retainHandling = (options >> 4) & 0x03;
        if (retainHandling == 3) {
            throw protocolError("Subscription Options Retain Handling 3 (3.8.3.1)");
        }
        boolean noLocal = (options & NO_LOCAL) != 0;
        if (noLocal && filter.startsWith(SHARED_PREFIX)) {
            throw protocolError("No Local on a Shared Subscription [MQTT-3.8.3-4]");
        }
        return new Subscription(filter, maxQos, noLocal, (options & RETAIN_AS_PUBLISHED) != 0, retainHandling);
    }

    static SubAck decodeSubAck(PacketReader r, MqttVersion version) {
        int packetId = packetId(r, PacketType.SUBACK);
        MqttProperties properties =
                version.isV5() ? PropertiesCodec.read(r, PropertyScope.SUBACK) : MqttProperties.EMPTY;
        if (!r.hasRemaining()) {
            throw protocolError("SUBACK without a reason code (3.9.3)");
        }
        List<ReasonCode> reasonCodes = new ArrayList<>(r.remaining());
        while (r.hasRemaining()) {
            int code = r.readUnsignedByte();
            if (version.isV5()) {
                reasonCodes.add(ReasonCodes.read(PacketType.SUBACK, code));
            } else if (code <= 2 || code == 0x80) {
                reasonCodes.add(ReasonCode.of(code));
            } else {
                throw malformed(String.format("SUBACK return code 0x%02X is reserved (3.9.3)", code));
            }
        }
        return new SubAck(packetId, Collections.unmodifiableList(reasonCodes), properties);
    }

    static Unsubscribe decodeUnsubscribe(PacketReader r, MqttVersion version) {
        int packetId = packetId(r, PacketType.UNSUBSCRIBE);
        MqttProperties properties =
                version.isV5() ? PropertiesCodec.read(r, PropertyScope.UNSUBSCRIBE) : MqttProperties.EMPTY;
        if (!r.hasRemaining()) {
            throw protocolError("UNSUBSCRIBE without a Topic Filter [MQTT-3.10.3-2]");
        }
        List<String> filters = new ArrayList<>();
        while (r.hasRemaining()) {
            filters.add(r.readString());
        }
        return new Unsubscribe(packetId, Collections.unmodifiableList(filters), properties);
    }

    static UnsubAck decodeUnsubAck(PacketReader r, MqttVersion version) {
        int packetId = packetId(r, PacketType.UNSUBACK);
        if (!version.isV5()) {
            return new UnsubAck(packetId, List.of(), MqttProperties.EMPTY); // leftovers fail the length check
        }
        MqttProperties properties = PropertiesCodec.read(r, PropertyScope.UNSUBACK);
        if (!r.hasRemaining()) {
            throw protocolError("UNSUBACK without a reason code (3.11.3)");
        }
        List<ReasonCode> reasonCodes = new ArrayList<>(r.remaining());
        while (r.hasRemaining()) {
            reasonCodes.add(ReasonCodes.read(PacketType.UNSUBACK, r.readUnsignedByte()));
        }
        return new UnsubAck(packetId, Collections.unmodifiableList(reasonCodes), properties);
    }

    private static int packetId(PacketReader r, PacketType type) {
        int packetId = r.readUnsignedShort();
        if (packetId == 0) {
            throw protocolError(type + " has Packet Identifier 0 [MQTT-2.2.1-3]");
        }
        return packetId;
    }

    static int remainingLength(Subscribe s, MqttVersion v) {
        return 2 + propertyBlockSize(s.properties(), v) + subscriptionsSize(s);
    }

    private static int subscriptionsSize(Subscribe s) {
        int n = 0;
        for (Subscription sub : s.subscriptions()) {
            n += Wire.stringSize(sub.topicFilter()) + 1;
        }
        return n;
    }

    static void encode(Subscribe s, MqttVersion v, ByteBuf out) {
        int properties = v.isV5() ? PropertiesCodec.contentSize(s.properties()) : -1;
        int remainingLength = 2 + PropertiesCodec.blockSize(properties) + subscriptionsSize(s);
        for (Subscription sub : s.subscriptions()) {
            Wire.checkQos(sub.maxQos());
            if (sub.retainHandling() < 0 || sub.retainHandling() > 2) {
                throw new IllegalArgumentException("Retain Handling " + sub.retainHandling());
            }
        }
        // SUBSCRIBE's fixed header flags are 0b0010 [MQTT-3.8.1-1]
        Wire.writeFixedHeader(out, PacketType.SUBSCRIBE, 0x02, remainingLength);
        out.writeShort(Wire.checkPacketId(s.packetId()));
        PropertiesCodec.write(out, s.properties(), properties);
        for (Subscription sub : s.subscriptions()) {
            Wire.writeString(out, sub.topicFilter());
            int options = sub.maxQos();
            if (v.isV5()) {
                options |= (sub.noLocal() ? NO_LOCAL : 0)
                        | (sub.retainAsPublished() ? RETAIN_AS_PUBLISHED : 0)
                        | sub.retainHandling() << 4;
            }
            out.writeByte(options);
        }
    }

    static int remainingLength(SubAck a, MqttVersion v) {
        return 2 + propertyBlockSize(a.properties(), v) + a.reasonCodes().size();
    }

    static void encode(SubAck a, MqttVersion v, ByteBuf out) {
        int properties = v.isV5() ? PropertiesCodec.contentSize(a.properties()) : -1;
        int remainingLength =
                2 + PropertiesCodec.blockSize(properties) + a.reasonCodes().size();
        Wire.writeFixedHeader(out, PacketType.SUBACK, 0, remainingLength);
        out.writeShort(Wire.checkPacketId(a.packetId()));
        PropertiesCodec.write(out, a.properties(), properties);
        for (ReasonCode code : a.reasonCodes()) {
            out.writeByte(v.isV5() ? code.value() : v3SubAckCode(code));
        }
    }

    /** MQTT 3.1.1 knows granted QoS 0-2 and 0x80 Failure (3.9.3); every refusal becomes 0x80. */
    private static int v3SubAckCode(ReasonCode code) {
        return code.value() <= 2 ? code.value() : 0x80;
    }

    static int remainingLength(Unsubscribe u, MqttVersion v) {
        return 2 + propertyBlockSize(u.properties(), v) + filtersSize(u);
    }

    private static int filtersSize(Unsubscribe u) {
        int n = 0;
        for (String filter : u.topicFilters()) {
            n += Wire.stringSize(filter);
        }
        return n;
    }

    static void encode(Unsubscribe u, MqttVersion v, ByteBuf out) {
        int properties = v.isV5() ? PropertiesCodec.contentSize(u.properties()) : -1;
        int remainingLength = 2 + PropertiesCodec.blockSize(properties) + filtersSize(u);
        // UNSUBSCRIBE's fixed header flags are 0b0010 [MQTT-3.10.1-1]
        Wire.writeFixedHeader(out, PacketType.UNSUBSCRIBE, 0x02, remainingLength);
        out.writeShort(Wire.checkPacketId(u.packetId()));
        PropertiesCodec.write(out, u.properties(), properties);
        for (String filter : u.topicFilters()) {
            Wire.writeString(out, filter);
        }
    }

    /** MQTT 3.1.1 UNSUBACK carries only the packet id (3.11). */
    static int remainingLength(UnsubAck a, MqttVersion v) {
        return v.isV5()
                ? 2
                        + PropertiesCodec.blockSize(a.properties())
                        + a.reasonCodes().size()
                : 2;
    }

    static void encode(UnsubAck a, MqttVersion v, ByteBuf out) {
        int properties = v.isV5() ? PropertiesCodec.contentSize(a.properties()) : -1;
        int remainingLength = 2
                + (v.isV5()
                        ? PropertiesCodec.blockSize(properties)
                                + a.reasonCodes().size()
                        : 0);
        Wire.writeFixedHeader(out, PacketType.UNSUBACK, 0, remainingLength);
        out.writeShort(Wire.checkPacketId(a.packetId()));
        if (v.isV5()) {
            PropertiesCodec.write(out, a.properties(), properties);
            for (ReasonCode code : a.reasonCodes()) {
                out.writeByte(code.value());
            }
        }
    }

    private static int propertyBlockSize(MqttProperties p, MqttVersion v) {
        return v.isV5() ? PropertiesCodec.blockSize(p) : 0;
    }
}
