package io.bastion.store;

import io.bastion.broker.Message;
import io.bastion.broker.retain.RetainedMessage;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.store.StoreException;
import io.bastion.broker.subscription.SubscriptionEntry;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.codec.MqttDecoder;
import io.bastion.mqtt.codec.MqttEncoder;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Values as stored. A message is kept as the MQTT 5 PUBLISH the codec writes (topic, QoS, retain,
 * every property, payload), so properties need no second format; around it a few fixed fields. Each
 * value starts with a format version byte, so a later format can read old data.
 */
final class Records {
    private static final int FORMAT = 1;

    private Records() {}

    // ---- messages

    static byte[] delivery(Delivery d, long order, boolean released) {
        ByteBuf out = Unpooled.buffer(64 + d.message().payload().length);
        out.writeByte(FORMAT);
        out.writeLong(order);
        out.writeByte((released ? 4 : 0) | (d.retain() ? 2 : 0));
        out.writeByte(d.qos());
        out.writeShort(d.subscriptionIds().length);
        for (int id : d.subscriptionIds()) {
            out.writeInt(id);
        }
        writeMessage(out, d.message());
        return bytes(out);
    }

    /** A queue entry: the order field is not used there. */
    static byte[] delivery(Delivery d) {
        return delivery(d, 0, false);
    }

    static Delivery readDelivery(byte[] value) {
        ByteBuf in = Unpooled.wrappedBuffer(value);
        try {
            checkFormat(in);
            in.skipBytes(8);
            int flags = in.readByte();
            int qos = in.readByte();
            int count = in.readUnsignedShort();
            int[] ids = count == 0 ? Delivery.NO_IDS : new int[count];
            for (int i = 0; i < count; i++) {
                ids[i] = in.readInt();
            }
            return new Delivery(readMessage(in), qos, (flags & 2) != 0, ids, null);
        } catch (RuntimeException e) {
            throw corrupt("message", e);
        }
    }

    static long orderOf(byte[] value) {
        return Unpooled.wrappedBuffer(value).getLong(1);
    }

    static boolean releasedOf(byte[] value) {
        return (value[9] & 4) != 0;
    }

    static byte[] markReleased(byte[] value) {
        byte[] copy = value.clone();
        copy[9] |= 4;
        return copy;
    }

    private static void writeMessage(ByteBuf out, Message m) {
        out.writeLong(m.expiresAtMillis());
        writeString(out, m.publisherId());
        Publish p =
                new Publish(m.topic(), m.qos(), m.retain(), false, m.qos() > 0 ? 1 : 0, m.properties(), m.payload());
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        MqttEncoder.encode(p, MqttVersion.V5, out);
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }

    private static Message readMessage(ByteBuf in) {
        long expiresAt = in.readLong();
        String publisherId = readString(in);
        Publish p = readPublish(in);
        return new Message(p.topic(), p.qos(), p.retain(), p.payload(), p.properties(), publisherId, expiresAt);
    }

    private static Publish readPublish(ByteBuf in) {
        int length = in.readInt();
        ByteBuf packet = in.readSlice(length);
        MqttPacket decoded =
                MqttDecoder.forClient(MqttVersion.V5, Integer.MAX_VALUE).decode(packet);
        if (!(decoded instanceof Publish p) || packet.isReadable()) {
            throw new IllegalStateException("not one whole PUBLISH");
        }
        return p;
    }

    static byte[] message(Message m) {
        ByteBuf out = Unpooled.buffer(64 + m.payload().length);
        out.writeByte(FORMAT);
        writeMessage(out, m);
        return bytes(out);
    }

    static Message readMessage(byte[] value) {
        ByteBuf in = Unpooled.wrappedBuffer(value);
        try {
            checkFormat(in);
            return readMessage(in);
        } catch (RuntimeException e) {
            throw corrupt("message", e);
        }
    }

    // ---- retained messages

    static byte[] retained(RetainedMessage r) {
        return message(new Message(r.topic(), r.qos(), true, r.payload(), r.properties(), "", r.expiresAtMillis()));
    }

    static RetainedMessage readRetained(byte[] value) {
        Message m = readMessage(value);
        return new RetainedMessage(m.topic(), m.qos(), m.payload(), m.properties(), m.expiresAtMillis());
    }

    static long retainedExpiresAt(byte[] value) {
        return Unpooled.wrappedBuffer(value).getLong(1);
    }

    // ---- subscriptions

    static byte[] subscription(SubscriptionEntry e) {
        ByteBuf out = Unpooled.buffer(32 + e.topicFilter().length() * 3);
        out.writeByte(FORMAT);
        out.writeBoolean(e.shareGroup() != null);
        if (e.shareGroup() != null) {
            writeString(out, e.shareGroup());
        }
        writeString(out, e.topicFilter());
        out.writeByte(e.maxQos());
        out.writeByte((e.noLocal() ? 1 : 0) | (e.retainAsPublished() ? 2 : 0));
        out.writeByte(e.retainHandling());
        out.writeInt(e.subscriptionId());
        return bytes(out);
    }

    static SubscriptionEntry readSubscription(String clientId, byte[] value) {
        ByteBuf in = Unpooled.wrappedBuffer(value);
        try {
            checkFormat(in);
            String group = in.readBoolean() ? readString(in) : null;
            String filter = readString(in);
            int maxQos = in.readByte();
            int flags = in.readByte();
            int retainHandling = in.readByte();
            int id = in.readInt();
            return new SubscriptionEntry(
                    clientId, group, filter, maxQos, (flags & 1) != 0, (flags & 2) != 0, retainHandling, id);
        } catch (RuntimeException e) {
            throw corrupt("subscription", e);
        }
    }

    // ---- session state

    /** What {@code SessionPersistence.saveState} keeps. */
    record State(long expiryIntervalSeconds, long disconnectedAtMillis, Message will, long willDelaySeconds) {}

    static byte[] state(State s) {
        ByteBuf out = Unpooled.buffer(64);
        out.writeByte(FORMAT);
        out.writeLong(s.expiryIntervalSeconds());
        out.writeLong(s.disconnectedAtMillis());
        out.writeLong(s.willDelaySeconds());
        out.writeBoolean(s.will() != null);
        if (s.will() != null) {
            writeMessage(out, s.will());
        }
        return bytes(out);
    }

    static State readState(byte[] value) {
        ByteBuf in = Unpooled.wrappedBuffer(value);
        try {
            checkFormat(in);
            long expiry = in.readLong();
            long disconnectedAt = in.readLong();
            long willDelay = in.readLong();
            Message will = in.readBoolean() ? readMessage(in) : null;
            return new State(expiry, disconnectedAt, will, willDelay);
        } catch (RuntimeException e) {
            throw corrupt("session", e);
        }
    }

    // ---- helpers

    private static void checkFormat(ByteBuf in) {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IllegalStateException("unknown record format " + format);
        }
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.writeBytes(b);
    }

    private static String readString(ByteBuf in) {
        int length = in.readUnsignedShort();
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    private static byte[] bytes(ByteBuf out) {
        return ByteBufUtil.getBytes(out, out.readerIndex(), out.readableBytes(), false);
    }

    private static StoreException corrupt(String what, RuntimeException cause) {
        return new StoreException("corrupt " + what + " record in the store: " + cause.getMessage(), cause);
    }
}
