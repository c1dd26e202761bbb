package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.PacketReader.malformed;
import static io.bastion.mqtt.codec.PacketReader.protocolError;

import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PingReq;
import io.bastion.mqtt.packet.PingResp;
import io.netty.buffer.ByteBuf;

/**
 * Cuts one connection's byte stream into packets: the fixed header (2.1), the size limit, then the
 * packet's own codec. One instance per connection, used by one thread. After it throws, the stream is
 * out of step and the connection must be closed.
 */
public final class MqttDecoder {
    private static final int FROM_CLIENT = typeMask(
            PacketType.CONNECT,
            PacketType.PUBLISH,
            PacketType.PUBACK,
            PacketType.PUBREC,
            PacketType.PUBREL,
            PacketType.PUBCOMP,
            PacketType.SUBSCRIBE,
            PacketType.UNSUBSCRIBE,
            PacketType.PINGREQ,
            PacketType.DISCONNECT,
            PacketType.AUTH);
    private static final int FROM_SERVER = typeMask(
            PacketType.CONNACK,
            PacketType.PUBLISH,
            PacketType.PUBACK,
            PacketType.PUBREC,
            PacketType.PUBREL,
            PacketType.PUBCOMP,
            PacketType.SUBACK,
            PacketType.UNSUBACK,
            PacketType.PINGRESP,
            PacketType.DISCONNECT,
            PacketType.AUTH);

    private final boolean server;
    private final PacketReader reader = new PacketReader();
    private MqttVersion version;
    private int maximumPacketSize;

    private MqttDecoder(boolean server, MqttVersion version, int maximumPacketSize) {
        this.server = server;
        this.version = version;
        maximumPacketSize(maximumPacketSize);
    }

    /**
     * Server-side decoder: accepts only packets a client may send (CONNECT, PUBLISH, PUBACK, PUBREC,
     * PUBREL, PUBCOMP, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT, AUTH).
     */
    public static MqttDecoder forServer(int maximumPacketSize) {
        return new MqttDecoder(true, null, maximumPacketSize);
    }

    /**
     * Client-side decoder: accepts packets a server may send (CONNACK, PUBLISH, PUBACK..PUBCOMP,
     * SUBACK, UNSUBACK, PINGRESP, DISCONNECT, AUTH).
     */
    public static MqttDecoder forClient(MqttVersion version, int maximumPacketSize) {
        return new MqttDecoder(false, version, maximumPacketSize);
    }

    /** The protocol version; on a server {@code null} until the first CONNECT has been decoded. */
    public MqttVersion version() {
        return version;
    }

    public void version(MqttVersion v) {
        this.version = v;
    }

    /** The largest whole packet (fixed header included) accepted; may change after CONNECT. */
    public void maximumPacketSize(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("maximum packet size " + bytes);
        }
        this.maximumPacketSize = bytes;
    }

    /**
     * Decodes one whole packet from {@code in} if it is complete: advances the reader index past it and
     * returns it. Returns {@code null}, reader index unchanged, when more bytes are needed.
     *
     * @throws MqttCodecException for malformed or protocol-violating input; PACKET_TOO_LARGE as soon as
     *     the Remaining Length shows the packet exceeds the maximum packet size
     */
    public MqttPacket decode(ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 1) {
            return null;
        }
        int first = in.getUnsignedByte(start);
        PacketType type = checkType(first >>> 4);
        int flags = first & 0x0F;
        checkFlags(type, flags);

        long header = readRemainingLength(in, start, readable);
        if (header < 0) {
            return null;
        }
        int headerLength = (int) (header & 0x07);
        int remainingLength = (int) (header >>> 3);
        long packetSize = (long) headerLength + remainingLength;
        if (packetSize > maximumPacketSize) {
            throw new MqttCodecException(
                    ReasonCode.PACKET_TOO_LARGE,
                    type + " of " + packetSize + " bytes exceeds the maximum packet size " + maximumPacketSize);
        }
        if (readable < packetSize) {
            return null;
        }

        in.readerIndex(start + headerLength);
        reader.reset(in, start + (int) packetSize);
        try {
            MqttPacket packet = decodeBody(type, flags);
            if (reader.hasRemaining()) {
                throw malformed(type + " has " + reader.remaining() + " bytes beyond its content");
            }
            return packet;
        } finally {
            reader.reset(null, 0); // hold no reference to the connection's buffer between calls
        }
    }

    /**
     * The Remaining Length, a Variable Byte Integer of at most four bytes in its shortest form
     * [MQTT-1.5.5-1], packed as {@code remainingLength << 3 | fixedHeaderLength}; -1 while incomplete.
     */
    private static long readRemainingLength(ByteBuf in, int start, int readable) {
        int value = 0;
        for (int i = 1; i <= 4; i++) {
            if (i >= readable) {
                return -1;
            }
            int b = in.getUnsignedByte(start + i);
            value |= (b & 0x7F) << (7 * (i - 1));
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 1) {
                    throw malformed("Remaining Length not in its shortest form [MQTT-1.5.5-1]");
                }
                return (long) value << 3 | (i + 1);
            }
        }
        throw malformed("Remaining Length longer than four bytes [MQTT-1.5.5-1]");
    }

    private PacketType checkType(int value) {
        PacketType type = PacketType.of(value);
        if (type == null) {
            throw malformed("reserved packet type 0");
        }
        if (((1 << value) & (server ? FROM_CLIENT : FROM_SERVER)) == 0) {
            throw protocolError(type + " is never sent by a " + (server ? "client" : "server"));
        }
        if (type == PacketType.CONNECT) {
            return type; // CONNECT tells the version
        }
        if (version == null) {
            if (!server) {
                throw new IllegalStateException("set the client decoder's version before decoding");
            }
            // nothing but CONNECT can be read before the version is known
            throw protocolError("the first packet must be CONNECT [MQTT-3.1.0-1], was " + type);
        }
        if (type == PacketType.AUTH && !version.isV5()) {
            throw malformed("packet type 15 is reserved before MQTT 5");
        }
        return type;
    }

    /** Reserved fixed-header flags must be as listed in 2.1.3 [MQTT-2.2.2-1] [MQTT-2.2.2-2] (v5 [MQTT-2.1.3-1]). */
    private static void checkFlags(PacketType type, int flags) {
        switch (type) {
            case PUBLISH -> {
                int qos = (flags >> 1) & 0x03;
                if (qos == 3) {
                    throw malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
                }
                if (qos == 0 && (flags & 0x08) != 0) {
                    throw malformed("PUBLISH with QoS 0 and DUP 1 [MQTT-3.3.1-2]");
                }
            }
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> {
                if (flags != 0x02) {
                    throw malformed(type + " fixed header flags are not 0010 [MQTT-2.2.2-1]");
                }
            }
            default -> {
                if (flags != 0) {
                    throw malformed(type + " fixed header flags are not 0000 [MQTT-2.2.2-1]");
                }
            }
        }
    }

    private MqttPacket decodeBody(PacketType type, int flags) {
        PacketReader r = reader;
        return switch (type) {
            case CONNECT -> {
                Connect connect = ConnectCodec.decodeConnect(r);
                if (version == null) {
                    version = connect.version();
                }
                yield connect;
            }
            case CONNACK -> ConnectCodec.decodeConnAck(r, version);
            case PUBLISH -> PublishCodec.decode(r, flags, version, server);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> AckCodec.decodePublishAck(r, type, version);
            case SUBSCRIBE -> SubscribeCodec.decodeSubscribe(r, version);
            case SUBACK -> SubscribeCodec.decodeSubAck(r, version);
            case UNSUBSCRIBE -> SubscribeCodec.decodeUnsubscribe(r, version);
            case UNSUBACK -> SubscribeCodec.decodeUnsubAck(r, version);
            case PINGREQ -> PingReq.INSTANCE;
            case PINGRESP -> PingResp.INSTANCE;
            case DISCONNECT -> AckCodec.decodeDisconnect(r, version, !server);
            case AUTH -> AckCodec.decodeAuth(r);
        };
    }

    private static int typeMask(PacketType... types) {
        int mask = 0;
        for (PacketType t : types) {
            mask |= 1 << t.value();
        }
        return mask;
    }
}
