package io.bastion.conformance.raw;

import java.io.ByteArrayOutputStream;

/**
 * Well-formed client packets, encoded by the test suite itself (never by the broker's codec).
 * Malformed packets are written by hand in the tests with {@link Wire#hex} / {@link Wire#bytes}.
 */
public final class Out {
    private Out() {}

    /** One topic filter with its subscription options (3.8.3.1). */
    public record Sub(String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        public static Sub of(String filter, int qos) {
            return new Sub(filter, qos, false, false, 0);
        }

        public Sub withNoLocal() {
            return new Sub(filter, qos, true, retainAsPublished, retainHandling);
        }

        public Sub withRetainAsPublished() {
            return new Sub(filter, qos, noLocal, true, retainHandling);
        }

        public Sub withRetainHandling(int rh) {
            return new Sub(filter, qos, noLocal, retainAsPublished, rh);
        }

        int optionsByte() {
            return qos | (noLocal ? 4 : 0) | (retainAsPublished ? 8 : 0) | (retainHandling << 4);
        }
    }

    /** A CONNECT packet under construction. */
    public static final class Connect {
        final int version;
        private final String clientId;
        private boolean cleanStart = true;
        private int keepAlive = 60;
        private final Props props = Props.create();
        private String username;
        private byte[] password;
        private String willTopic;
        private byte[] willPayload;
        private int willQos;
        private boolean willRetain;
        private Props willProps = Props.create();

        private Connect(int version, String clientId) {
            this.version = version;
            this.clientId = clientId;
        }

        public static Connect v5(String clientId) {
            return new Connect(5, clientId);
        }

        public static Connect v311(String clientId) {
            return new Connect(4, clientId);
        }

        /** MQTT 3.1: protocol name "MQIsdp", level 3. */
        public static Connect v31(String clientId) {
            return new Connect(3, clientId);
        }

        public int version() {
            return version;
        }

        public Connect cleanStart(boolean value) {
            this.cleanStart = value;
            return this;
        }

        public Connect keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        public Connect sessionExpiry(long seconds) {
            props.add(Props.SESSION_EXPIRY_INTERVAL, seconds);
            return this;
        }

        public Connect receiveMaximum(int value) {
            props.add(Props.RECEIVE_MAXIMUM, value);
            return this;
        }

        public Connect maximumPacketSize(long value) {
            props.add(Props.MAXIMUM_PACKET_SIZE, value);
            return this;
        }

        public Connect topicAliasMaximum(int value) {
            props.add(Props.TOPIC_ALIAS_MAXIMUM, value);
            return this;
        }

        public Connect requestProblemInformation(int value) {
            props.add(Props.REQUEST_PROBLEM_INFORMATION, value);
            return this;
        }

        public Connect requestResponseInformation(int value) {
            props.add(Props.REQUEST_RESPONSE_INFORMATION, value);
            return this;
        }

        /** Any other CONNECT property. */
        public Connect property(int id, Object value) {
            props.add(id, value);
            return this;
        }

        public Connect credentials(String username, String password) {
            this.username = username;
            this.password = password == null ? null : Wire.utf8(password);
            return this;
        }

        public Connect will(String topic, String payload, int qos, boolean retain) {
            return will(topic, Wire.utf8(payload), qos, retain, Props.create());
        }

        public Connect will(String topic, byte[] payload, int qos, boolean retain, Props properties) {
            this.willTopic = topic;
            this.willPayload = payload;
            this.willQos = qos;
            this.willRetain = retain;
            this.willProps = properties;
            return this;
        }

        public byte[] encode() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            Wire.writeString(b, version == 3 ? "MQIsdp" : "MQTT");
            b.write(version);
            int flags = (cleanStart ? 0x02 : 0)
                    | (willTopic != null ? 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0) : 0)
                    | (password != null ? 0x40 : 0)
                    | (username != null ? 0x80 : 0);
            b.write(flags);
            Wire.writeShort(b, keepAlive);
            if (version == 5) {
                b.writeBytes(props.encode());
            }
            Wire.writeString(b, clientId);
            if (willTopic != null) {
                if (version == 5) {
                    b.writeBytes(willProps.encode());
                }
                Wire.writeString(b, willTopic);
                Wire.writeBinary(b, willPayload);
            }
            if (username != null) {
                Wire.writeString(b, username);
            }
            if (password != null) {
                Wire.writeBinary(b, password);
            }
            return Wire.frame(0x10, b.toByteArray());
        }
    }

    public static byte[] publish(
            int version,
            String topic,
            int qos,
            boolean retain,
            boolean dup,
            int packetId,
            Props props,
            byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Wire.writeString(b, topic);
        if (qos > 0) {
            Wire.writeShort(b, packetId);
        }
        if (version == 5) {
            b.writeBytes(props.encode());
        }
        b.writeBytes(payload);
        return Wire.frame(0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0), b.toByteArray());
    }

    public static byte[] subscribe(int version, int packetId, Props props, Sub... subs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Wire.writeShort(b, packetId);
        if (version == 5) {
            b.writeBytes(props.encode());
        }
        for (Sub s : subs) {
            Wire.writeString(b, s.filter());
            b.write(version == 5 ? s.optionsByte() : s.qos());
        }
        return Wire.frame(0x82, b.toByteArray());
    }

    public static byte[] unsubscribe(int version, int packetId, String... filters) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Wire.writeShort(b, packetId);
        if (version == 5) {
            b.writeBytes(Props.none().encode());
        }
        for (String f : filters) {
            Wire.writeString(b, f);
        }
        return Wire.frame(0xA2, b.toByteArray());
    }

    /** PUBACK (4), PUBREC (5), PUBREL (6) or PUBCOMP (7). */
    public static byte[] ack(int version, int type, int packetId, int reasonCode) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Wire.writeShort(b, packetId);
        if (version == 5 && reasonCode != 0) {
            b.write(reasonCode);
        }
        return Wire.frame((type << 4) | (type == 6 ? 2 : 0), b.toByteArray());
    }

    public static byte[] pingReq() {
        return Wire.bytes(0xC0, 0x00);
    }

    public static byte[] disconnect(int version, int reasonCode, Props props) {
        if (version != 5) {
            return Wire.bytes(0xE0, 0x00);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(reasonCode);
        b.writeBytes(props.encode());
        return Wire.frame(0xE0, b.toByteArray());
    }

    public static byte[] auth(int reasonCode, Props props) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(reasonCode);
        b.writeBytes(props.encode());
        return Wire.frame(0xF0, b.toByteArray());
    }
}
