package io.bastion.bench;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.codec.MqttEncoder;
import io.bastion.mqtt.packet.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One publisher's PUBLISH, encoded once by Bastion's own encoder; per message only the packet id and
 * the payload's stamp are patched in. The stamp (when the payload has room) is {@code System.nanoTime()}
 * (8 bytes), the publisher id (4) and its sequence number (4), big-endian, at the start of the payload.
 */
final class PublishTemplate {
    static final int STAMP_BYTES = 16;

    private final byte[] bytes;
    private final int packetIdOffset;
    private final int payloadOffset;
    private final int payloadSize;

    PublishTemplate(String topic, int qos, boolean retain, int payloadSize, MqttVersion version) {
        Publish publish =
                new Publish(topic, qos, retain, false, qos > 0 ? 1 : 0, MqttProperties.EMPTY, new byte[payloadSize]);
        ByteBuf buf = Unpooled.buffer(MqttEncoder.encodedSize(publish, version));
        try {
            MqttEncoder.encode(publish, version, buf);
            bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
        } finally {
            buf.release();
        }
        this.payloadSize = payloadSize;
        this.payloadOffset = bytes.length - payloadSize;
        int topicBytes = Utf8Length.of(topic);
        int headerLength = bytes.length - remainingLength(bytes);
        this.packetIdOffset = qos > 0 ? headerLength + 2 + topicBytes : -1;
    }

    int size() {
        return bytes.length;
    }

    boolean stamped() {
        return payloadSize >= STAMP_BYTES;
    }

    /** Appends one message to {@code out}. */
    void write(ByteBuf out, int packetId, int publisherId, int sequence, long nanoTime) {
        int start = out.writerIndex();
        out.writeBytes(bytes);
        if (packetIdOffset >= 0) {
            out.setShort(start + packetIdOffset, packetId);
        }
        if (payloadSize >= STAMP_BYTES) {
            int p = start + payloadOffset;
            out.setLong(p, nanoTime);
            out.setInt(p + 8, publisherId);
            out.setInt(p + 12, sequence);
        }
    }

    private static int remainingLength(byte[] packet) {
        int value = 0;
        for (int i = 1; i <= 4; i++) {
            int b = packet[i] & 0xFF;
            value |= (b & 0x7F) << (7 * (i - 1));
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("bad remaining length");
    }

    /** UTF-8 length of a string without allocating. */
    static final class Utf8Length {
        private Utf8Length() {}

        static int of(String s) {
            int n = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    n++;
                } else if (c < 0x800) {
                    n += 2;
                } else if (Character.isHighSurrogate(c)) {
                    n += 4;
                    i++;
                } else {
                    n += 3;
                }
            }
            return n;
        }
    }
}
