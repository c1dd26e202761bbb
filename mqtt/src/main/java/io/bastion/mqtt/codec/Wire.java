package io.bastion.mqtt.codec;

import io.bastion.mqtt.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Sizes and writers for the data representations of section 1.5, for the encoder. Strings are
 * written straight into the buffer; no intermediate byte arrays.
 */
final class Wire {
    static final int MAX_VARIABLE_BYTE_INTEGER = 268_435_455;
    static final int MAX_UNSIGNED_SHORT = 0xFFFF;
    static final long MAX_UNSIGNED_INT = 0xFFFF_FFFFL;

    private Wire() {}

    /** Writes the fixed header: type and flags, then the Remaining Length. */
    static void writeFixedHeader(ByteBuf out, PacketType type, int flags, int remainingLength) {
        variableByteIntegerSize(remainingLength); // rejects a packet larger than MQTT can frame
        out.writeByte(type.value() << 4 | flags);
        writeVariableByteInteger(out, remainingLength);
    }

    /** Bytes of a whole packet with this Remaining Length. */
    static int packetSize(int remainingLength) {
        return 1 + variableByteIntegerSize(remainingLength) + remainingLength;
    }

    static int variableByteIntegerSize(int value) {
        if (value < 0 || value > MAX_VARIABLE_BYTE_INTEGER) {
            throw new IllegalArgumentException("variable byte integer out of range: " + value);
        }
        if (value < 0x80) {
            return 1;
        }
        if (value < 0x4000) {
            return 2;
        }
        return value < 0x20_0000 ? 3 : 4;
    }

    static void writeVariableByteInteger(ByteBuf out, int value) {
        int v = value;
        do {
            int digit = v & 0x7F;
            v >>>= 7;
            out.writeByte(v > 0 ? digit | 0x80 : digit);
        } while (v > 0);
    }

    /** Bytes of a UTF-8 Encoded String including its two-byte length prefix. */
    static int stringSize(String s) {
        int n = ByteBufUtil.utf8Bytes(s);
        if (n > MAX_UNSIGNED_SHORT) {
            throw new IllegalArgumentException("string longer than 65535 bytes in UTF-8");
        }
        return 2 + n;
    }

    static void writeString(ByteBuf out, String s) {
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int written = ByteBufUtil.writeUtf8(out, s);
        out.setShort(lengthIndex, written);
    }

    /** Bytes of Binary Data including its two-byte length prefix. */
    static int binarySize(byte[] data) {
        if (data.length > MAX_UNSIGNED_SHORT) {
            throw new IllegalArgumentException("binary data longer than 65535 bytes");
        }
        return 2 + data.length;
    }

    static void writeBinary(ByteBuf out, byte[] data) {
        out.writeShort(data.length);
        out.writeBytes(data);
    }

    static int checkUnsignedByte(int value) {
        return checkRange(value, 0xFF);
    }

    static int checkUnsignedShort(int value) {
        return checkRange(value, MAX_UNSIGNED_SHORT);
    }

    static long checkUnsignedInt(long value) {
        if (value < 0 || value > MAX_UNSIGNED_INT) {
            throw new IllegalArgumentException("four byte integer out of range: " + value);
        }
        return value;
    }

    static int checkQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS " + qos);
        }
        return qos;
    }

    static int checkPacketId(int packetId) {
        if (packetId < 1 || packetId > MAX_UNSIGNED_SHORT) {
            throw new IllegalArgumentException("packet identifier must be 1..65535: " + packetId);
        }
        return packetId;
    }

    private static int checkRange(int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("value out of range 0.." + max + ": " + value);
        }
        return value;
    }
}
