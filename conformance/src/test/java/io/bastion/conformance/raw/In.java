package io.bastion.conformance.raw;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A packet received from the broker, decoded by the test suite's own decoder. Anything the server
 * must not send (wrong fixed-header flags, ill-formed strings, client-only packet types) fails the
 * decode, so a broker bug there surfaces in whatever test sees it.
 */
public sealed interface In {

    /** The control packet type (1-15). */
    int type();

    record ConnAck(int flags, boolean sessionPresent, int reasonCode, Props props) implements In {
        @Override
        public int type() {
            return 2;
        }
    }

    record Publish(String topic, int qos, boolean retain, boolean dup, int packetId, Props props, byte[] payload)
            implements In {
        @Override
        public int type() {
            return 3;
        }

        public String payloadString() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "PUBLISH[topic=" + topic + " qos=" + qos + " retain=" + retain + " dup=" + dup + " id=" + packetId
                    + " props=" + props + " payload=" + payloadString() + "]";
        }
    }

    /** PUBACK (4), PUBREC (5), PUBREL (6) or PUBCOMP (7). */
    record Ack(int type, int packetId, int reasonCode, Props props) implements In {
        @Override
        public String toString() {
            return PacketNames.name(type) + "[id=" + packetId + " rc=0x" + Integer.toHexString(reasonCode) + " props="
                    + props + "]";
        }
    }

    record SubAck(int packetId, Props props, List<Integer> reasonCodes) implements In {
        @Override
        public int type() {
            return 9;
        }
    }

    record UnsubAck(int packetId, Props props, List<Integer> reasonCodes) implements In {
        @Override
        public int type() {
            return 11;
        }
    }

    record PingResp() implements In {
        @Override
        public int type() {
            return 13;
        }
    }

    record Disconnect(int reasonCode, Props props) implements In {
        @Override
        public int type() {
            return 14;
        }

        @Override
        public String toString() {
            return "DISCONNECT[rc=0x" + Integer.toHexString(reasonCode) + " props=" + props + "]";
        }
    }

    record Auth(int reasonCode, Props props) implements In {
        @Override
        public int type() {
            return 15;
        }
    }

    /** Decodes one packet sent by a server speaking {@code version} (4 = 3.1.1 or 3.1, 5 = 5.0). */
    static In decode(int firstByte, byte[] body, int version) {
        int type = (firstByte >> 4) & 0x0F;
        int flags = firstByte & 0x0F;
        boolean v5 = version == 5;
        Wire.Reader r = new Wire.Reader(body);
        In packet = switch (type) {
            case 2 -> {
                int ackFlags = r.u8();
                int rc = r.u8();
                Props p = v5 && r.remaining() > 0 ? Props.decode(r) : Props.none();
                yield new ConnAck(ackFlags, (ackFlags & 1) == 1, rc, p);
            }
            case 3 -> {
                int qos = (flags >> 1) & 3;
                if (qos == 3) {
                    throw new IllegalStateException("server sent PUBLISH with QoS 3 [MQTT-3.3.1-4]");
                }
                String topic = r.string();
                int id = qos > 0 ? r.u16() : 0;
                Props p = v5 ? Props.decode(r) : Props.none();
                yield new Publish(topic, qos, (flags & 1) == 1, (flags & 8) == 8, id, p, r.rest());
            }
            case 4, 5, 6, 7 -> {
                int expectedFlags = type == 6 ? 2 : 0;
                if (flags != expectedFlags) {
                    throw new IllegalStateException(
                            "server sent " + PacketNames.name(type) + " with flags " + flags + " [MQTT-2.1.3-1]");
                }
                int id = r.u16();
                int rc = v5 && r.remaining() > 0 ? r.u8() : 0;
                Props p = v5 && r.remaining() > 0 ? Props.decode(r) : Props.none();
                yield new Ack(type, id, rc, p);
            }
            case 9 -> {
                int id = r.u16();
                Props p = v5 ? Props.decode(r) : Props.none();
                List<Integer> codes = new ArrayList<>();
                while (r.remaining() > 0) {
                    codes.add(r.u8());
                }
                yield new SubAck(id, p, codes);
            }
            case 11 -> {
                int id = r.u16();
                Props p = v5 ? Props.decode(r) : Props.none();
                List<Integer> codes = new ArrayList<>();
                while (v5 && r.remaining() > 0) {
                    codes.add(r.u8());
                }
                yield new UnsubAck(id, p, codes);
            }
            case 13 -> new PingResp();
            case 14 -> {
                if (!v5) {
                    throw new IllegalStateException("server sent DISCONNECT to an MQTT 3.1.1 client");
                }
                int rc = r.remaining() > 0 ? r.u8() : 0;
                Props p = r.remaining() > 0 ? Props.decode(r) : Props.none();
                yield new Disconnect(rc, p);
            }
            case 15 -> {
                int rc = r.remaining() > 0 ? r.u8() : 0;
                Props p = r.remaining() > 0 ? Props.decode(r) : Props.none();
                yield new Auth(rc, p);
            }
            default ->
                throw new IllegalStateException(
                        "server sent packet type " + type + " (" + PacketNames.name(type) + ")");
        };
        if (type != 3 && type != 6 && flags != 0) {
            throw new IllegalStateException(
                    "server sent " + PacketNames.name(type) + " with reserved flags " + flags + " [MQTT-2.1.3-1]");
        }
        if (r.remaining() != 0) {
            throw new IllegalStateException(
                    "server sent " + PacketNames.name(type) + " with " + r.remaining() + " trailing bytes");
        }
        return packet;
    }
}
