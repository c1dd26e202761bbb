package io.bastion.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds packets byte by byte for tests; the Remaining Length is filled in. */
final class PacketBytes {
    private final int firstByte;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private PacketBytes(int firstByte) {
        this.firstByte = firstByte;
    }

    /** A packet with this fixed header first byte. */
    static PacketBytes packet(int firstByte) {
        return new PacketBytes(firstByte);
    }

    /** Bytes without a fixed header, e.g. the content of a property block. */
    static PacketBytes block() {
        return new PacketBytes(-1);
    }

    PacketBytes u8(int... values) {
        for (int v : values) {
            body.write(v);
        }
        return this;
    }

    PacketBytes u16(int v) {
        return u8(v >> 8 & 0xFF, v & 0xFF);
    }

    PacketBytes u32(long v) {
        return u8((int) (v >> 24 & 0xFF), (int) (v >> 16 & 0xFF), (int) (v >> 8 & 0xFF), (int) (v & 0xFF));
    }

    PacketBytes vbi(int v) {
        int x = v;
        do {
            int digit = x & 0x7F;
            x >>>= 7;
            body.write(x > 0 ? digit | 0x80 : digit);
        } while (x > 0);
        return this;
    }

    /** A UTF-8 Encoded String with its length prefix. */
    PacketBytes str(String s) {
        return bin(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Binary Data with its length prefix. */
    PacketBytes bin(byte[] data) {
        u16(data.length);
        body.writeBytes(data);
        return this;
    }

    PacketBytes raw(byte[] data) {
        body.writeBytes(data);
        return this;
    }

    /** A property block: its length, then the content. */
    PacketBytes props(PacketBytes content) {
        byte[] c = content.body.toByteArray();
        vbi(c.length);
        return raw(c);
    }

    /** No properties: a property length of 0. */
    PacketBytes noProps() {
        return u8(0);
    }

    byte[] bytes() {
        byte[] b = body.toByteArray();
        if (firstByte < 0) {
            return b;
        }
        PacketBytes whole = new PacketBytes(-1).u8(firstByte).vbi(b.length).raw(b);
        return whole.body.toByteArray();
    }

    ByteBuf buf() {
        return Unpooled.wrappedBuffer(bytes());
    }
}
