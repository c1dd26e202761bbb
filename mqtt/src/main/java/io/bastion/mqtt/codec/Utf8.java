package io.bastion.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Validates UTF-8 without decoding it: well-formed per Unicode table 3-7 / RFC 3629 (no overlong
 * forms, no surrogates D800-DFFF, nothing above U+10FFFF). Returns booleans rather than throwing, as
 * bad input is an expected case on this path.
 */
public final class Utf8 {
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_7F = 0x7F7F7F7F7F7F7F7FL;

    private Utf8() {}

    /**
     * True when the bytes are an MQTT UTF-8 Encoded String: well-formed and without U+0000
     * [MQTT-1.5.4-1] [MQTT-1.5.4-2].
     */
    public static boolean isMqttString(ByteBuf buf, int index, int length) {
        return check(buf, index, index + length, false);
    }

    /** True when the bytes are well-formed UTF-8 (U+0000 allowed), e.g. a payload marked UTF-8 [MQTT-3.3.2-4]. */
    public static boolean isWellFormed(ByteBuf buf, int index, int length) {
        return check(buf, index, index + length, true);
    }

    /** True when the array is well-formed UTF-8 (U+0000 allowed). */
    public static boolean isWellFormed(byte[] bytes) {
        return check(Unpooled.wrappedBuffer(bytes), 0, bytes.length, true);
    }

    private static boolean check(ByteBuf buf, int start, int end, boolean allowNul) {
        int i = start;
        while (i < end) {
            // ASCII fast path: eight bytes per step while none has its top bit set (and none is 0)
            while (i + 8 <= end && isAscii(buf.getLong(i), allowNul)) {
                i += 8;
            }
            if (i >= end) {
                return true;
            }
            int lead = buf.getByte(i) & 0xFF;
            if (lead < 0x80) {
                if (lead == 0 && !allowNul) {
                    return false;
                }
                i++;
            } else if (lead < 0xC2) {
                return false; // a stray continuation byte, or C0/C1 (always overlong)
            } else if (lead < 0xE0) {
                if (i + 1 >= end || !isContinuation(buf.getByte(i + 1))) {
                    return false;
                }
                i += 2;
            } else if (lead < 0xF0) {
                // E0 needs A0..BF (no overlong); ED needs 80..9F (no surrogates)
                int min = lead == 0xE0 ? 0xA0 : 0x80;
                int max = lead == 0xED ? 0x9F : 0xBF;
                if (i + 2 >= end || !inRange(buf.getByte(i + 1), min, max) || !isContinuation(buf.getByte(i + 2))) {
                    return false;
                }
                i += 3;
            } else if (lead < 0xF5) {
                // F0 needs 90..BF (no overlong); F4 needs 80..8F (nothing above U+10FFFF)
                int min = lead == 0xF0 ? 0x90 : 0x80;
                int max = lead == 0xF4 ? 0x8F : 0xBF;
                if (i + 3 >= end
                        || !inRange(buf.getByte(i + 1), min, max)
                        || !isContinuation(buf.getByte(i + 2))
                        || !isContinuation(buf.getByte(i + 3))) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(long word, boolean allowNul) {
        if ((word & HIGH_BITS) != 0) {
            return false;
        }
        // each byte is <= 0x7F, so adding 0x7F sets its top bit exactly when the byte is non-zero
        return allowNul || ((word + LOW_7F) & HIGH_BITS) == HIGH_BITS;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static boolean inRange(byte b, int min, int max) {
        int v = b & 0xFF;
        return v >= min && v <= max;
    }
}
