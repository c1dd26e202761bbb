package io.bastion.mqtt.codec;

import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.ReasonCode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the data representations of section 1.5 from one packet body. Every read is bounded by the
 * packet's end (or a property block's end), so a length that points past it is a Malformed Packet
 * rather than a read of the next packet. One instance is reused per decoder (single-threaded).
 */
final class PacketReader {
    static final byte[] NO_BYTES = new byte[0];

    private ByteBuf buf;
    private int end;

    void reset(ByteBuf buf, int end) {
        this.buf = buf;
        this.end = end;
    }

    int remaining() {
        return end - buf.readerIndex();
    }

    boolean hasRemaining() {
        return buf.readerIndex() < end;
    }

    int position() {
        return buf.readerIndex();
    }

    /** Narrows reading to {@code newEnd} (inside the current bound); returns the old end to restore. */
    int limit(int newEnd) {
        int old = end;
        end = newEnd;
        return old;
    }

    int readUnsignedByte() {
        need(1);
        return buf.readUnsignedByte();
    }

    int readUnsignedShort() {
        need(2);
        return buf.readUnsignedShort();
    }

    long readUnsignedInt() {
        need(4);
        return buf.readUnsignedInt();
    }

    /** A Variable Byte Integer of at most four bytes in its minimal form [MQTT-1.5.5-1]. */
    int readVariableByteInteger() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = readUnsignedByte();
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw malformed("variable byte integer not in its shortest form [MQTT-1.5.5-1]");
                }
                return value;
            }
        }
        throw malformed("variable byte integer longer than four bytes");
    }

    /** A UTF-8 Encoded String, validated [MQTT-1.5.4-1] [MQTT-1.5.4-2]. */
    String readString() {
        int length = readUnsignedShort();
        if (length == 0) {
            return "";
        }
        need(length);
        int index = buf.readerIndex();
        if (!Utf8.isMqttString(buf, index, length)) {
            throw malformed("ill-formed UTF-8 string or U+0000 [MQTT-1.5.4-1] [MQTT-1.5.4-2]");
        }
        String s = buf.toString(index, length, StandardCharsets.UTF_8);
        buf.readerIndex(index + length);
        return s;
    }

    byte[] readBinary() {
        return readBytes(readUnsignedShort());
    }

    /** All bytes up to the end, e.g. a PUBLISH payload. */
    byte[] readRest() {
        return readBytes(remaining());
    }

    private byte[] readBytes(int length) {
        if (length == 0) {
            return NO_BYTES;
        }
        need(length);
        byte[] bytes = new byte[length];
        buf.readBytes(bytes);
        return bytes;
    }

    private void need(int bytes) {
        if (end - buf.readerIndex() < bytes) {
            throw malformed("field runs past the end of the packet or property block");
        }
    }

    static MqttCodecException malformed(String message) {
        return new MqttCodecException(ReasonCode.MALFORMED_PACKET, message);
    }

    static MqttCodecException protocolError(String message) {
        return new MqttCodecException(ReasonCode.PROTOCOL_ERROR, message);
    }
}
