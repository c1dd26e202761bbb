package io.bastion.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layout. Every per-session key starts with the client id, length-prefixed, so one client's
 * records are one contiguous range (a prefix scan or one range delete) and no client id can be a prefix
 * of another's range. Queue keys end in a big-endian sequence number, so RocksDB's byte order is the
 * queue's order.
 */
final class Keys {
    private Keys() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b, int from, int length) {
        return new String(b, from, length, StandardCharsets.UTF_8);
    }

    /** {@code [length:2][client id]}. */
    static byte[] clientPrefix(String clientId) {
        byte[] id = utf8(clientId);
        byte[] key = new byte[2 + id.length];
        key[0] = (byte) (id.length >>> 8);
        key[1] = (byte) id.length;
        System.arraycopy(id, 0, key, 2, id.length);
        return key;
    }

    /** The client id a per-session key starts with. */
    static String clientOf(byte[] key) {
        int length = ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
        return string(key, 2, length);
    }

    /** The bytes after the client prefix. */
    static byte[] suffix(byte[] key) {
        int length = ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
        return Arrays.copyOfRange(key, 2 + length, key.length);
    }

    static byte[] withSuffix(byte[] prefix, byte[] suffix) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + suffix.length);
        System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
        return key;
    }

    static byte[] withPacketId(byte[] prefix, int packetId) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + 2);
        key[prefix.length] = (byte) (packetId >>> 8);
        key[prefix.length + 1] = (byte) packetId;
        return key;
    }

    static int packetIdOf(byte[] key) {
        return ((key[key.length - 2] & 0xFF) << 8) | (key[key.length - 1] & 0xFF);
    }

    static byte[] withSequence(byte[] prefix, long sequence) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + 8);
        for (int i = 0; i < 8; i++) {
            key[prefix.length + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        return key;
    }

    static long sequenceOf(byte[] key) {
        long v = 0;
        for (int i = key.length - 8; i < key.length; i++) {
            v = (v << 8) | (key[i] & 0xFF);
        }
        return v;
    }

    /** The first key after every key that starts with {@code prefix} (exclusive upper bound). */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        throw new IllegalArgumentException("no end for an all-0xFF prefix");
    }

    static byte[] longValue(long v) {
        return withSequence(new byte[0], v);
    }
}
