package io.bastion.conformance.raw;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** MQTT data representations (section 1.5) written and read by the test suite itself. */
public final class Wire {
    private Wire() {}

    /** Hand-written bytes: {@code bytes(0x10, 0x00)}; each value is taken modulo 256. */
    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Hand-written bytes from hex with optional spaces: {@code hex("10 0c 00 04 4d 51 54 54")}. */
    public static byte[] hex(String hex) {
        String h = hex.replaceAll("\\s+", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A fixed header byte plus remaining length, followed by the body. */
    public static byte[] frame(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        writeVarInt(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    public static void writeVarInt(ByteArrayOutputStream out, int value) {
        int v = value;
        do {
            int digit = v % 128;
            v /= 128;
            if (v > 0) {
                digit |= 0x80;
            }
            out.write(digit);
        } while (v > 0);
    }

    public static void writeShort(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xFF);
        out.write(value & 0xFF);
    }

    public static void writeInt(ByteArrayOutputStream out, long value) {
        out.write((int) (value >> 24) & 0xFF);
        out.write((int) (value >> 16) & 0xFF);
        out.write((int) (value >> 8) & 0xFF);
        out.write((int) value & 0xFF);
    }

    public static void writeString(ByteArrayOutputStream out, String value) {
        writeBinary(out, value.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBinary(ByteArrayOutputStream out, byte[] value) {
        writeShort(out, value.length);
        out.writeBytes(value);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A cursor over one packet body; every read checks bounds, and strings must be well-formed UTF-8. */
    public static final class Reader {
        private final byte[] data;
        private int pos;

        public Reader(byte[] data) {
            this.data = data;
        }

        public int position() {
            return pos;
        }

        public int remaining() {
            return data.length - pos;
        }

        private void need(int n) {
            if (pos + n > data.length) {
                throw new IllegalStateException(
                        "packet from server truncated: need " + n + " bytes at " + pos + " of " + data.length);
            }
        }

        public int u8() {
            need(1);
            return data[pos++] & 0xFF;
        }

        public int u16() {
            need(2);
            int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        public long u32() {
            need(4);
            long v = ((long) (data[pos] & 0xFF) << 24)
                    | ((data[pos + 1] & 0xFF) << 16)
                    | ((data[pos + 2] & 0xFF) << 8)
                    | (data[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        public int varInt() {
            int value = 0;
            int multiplier = 1;
            for (int i = 0; i < 4; i++) {
                int b = u8();
                value += (b & 0x7F) * multiplier;
                if ((b & 0x80) == 0) {
                    return value;
                }
                multiplier *= 128;
            }
            throw new IllegalStateException("malformed variable byte integer from server");
        }

        public byte[] binary() {
            int len = u16();
            need(len);
            byte[] b = Arrays.copyOfRange(data, pos, pos + len);
            pos += len;
            return b;
        }

        public String string() {
            byte[] b = binary();
            try {
                String s = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b))
                        .toString();
                if (s.indexOf('\u0000') >= 0) {
                    throw new IllegalStateException("server sent a string with U+0000 [MQTT-1.5.4-2]");
                }
                return s;
            } catch (CharacterCodingException e) {
                throw new IllegalStateException("server sent ill-formed UTF-8 [MQTT-1.5.4-1]", e);
            }
        }

        public byte[] rest() {
            byte[] b = Arrays.copyOfRange(data, pos, data.length);
            pos = data.length;
            return b;
        }
    }
}
