package io.bastion.conformance.raw;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MQTT 5 properties (section 2.2.2) as an ordered list of (identifier, value) pairs, written and read
 * by this test suite's own code so that the tests do not depend on the broker's codec.
 *
 * <p>Values are {@code Integer} for byte, two-byte and variable byte integers, {@code Long} for
 * four-byte integers, {@code String} for UTF-8 strings, {@code byte[]} for binary data and {@code
 * String[2]} for a User Property.
 */
public final class Props {
    public static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    public static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    public static final int CONTENT_TYPE = 0x03;
    public static final int RESPONSE_TOPIC = 0x08;
    public static final int CORRELATION_DATA = 0x09;
    public static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    public static final int SESSION_EXPIRY_INTERVAL = 0x11;
    public static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
    public static final int SERVER_KEEP_ALIVE = 0x13;
    public static final int AUTHENTICATION_METHOD = 0x15;
    public static final int AUTHENTICATION_DATA = 0x16;
    public static final int REQUEST_PROBLEM_INFORMATION = 0x17;
    public static final int WILL_DELAY_INTERVAL = 0x18;
    public static final int REQUEST_RESPONSE_INFORMATION = 0x19;
    public static final int RESPONSE_INFORMATION = 0x1A;
    public static final int SERVER_REFERENCE = 0x1C;
    public static final int REASON_STRING = 0x1F;
    public static final int RECEIVE_MAXIMUM = 0x21;
    public static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    public static final int TOPIC_ALIAS = 0x23;
    public static final int MAXIMUM_QOS = 0x24;
    public static final int RETAIN_AVAILABLE = 0x25;
    public static final int USER_PROPERTY = 0x26;
    public static final int MAXIMUM_PACKET_SIZE = 0x27;
    public static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
    public static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
    public static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

    private enum Kind {
        BYTE,
        TWO,
        FOUR,
        VARINT,
        UTF8,
        BINARY,
        PAIR
    }

    private static final Map<Integer, Kind> KINDS = Map.ofEntries(
            Map.entry(PAYLOAD_FORMAT_INDICATOR, Kind.BYTE),
            Map.entry(MESSAGE_EXPIRY_INTERVAL, Kind.FOUR),
            Map.entry(CONTENT_TYPE, Kind.UTF8),
            Map.entry(RESPONSE_TOPIC, Kind.UTF8),
            Map.entry(CORRELATION_DATA, Kind.BINARY),
            Map.entry(SUBSCRIPTION_IDENTIFIER, Kind.VARINT),
            Map.entry(SESSION_EXPIRY_INTERVAL, Kind.FOUR),
            Map.entry(ASSIGNED_CLIENT_IDENTIFIER, Kind.UTF8),
            Map.entry(SERVER_KEEP_ALIVE, Kind.TWO),
            Map.entry(AUTHENTICATION_METHOD, Kind.UTF8),
            Map.entry(AUTHENTICATION_DATA, Kind.BINARY),
            Map.entry(REQUEST_PROBLEM_INFORMATION, Kind.BYTE),
            Map.entry(WILL_DELAY_INTERVAL, Kind.FOUR),
            Map.entry(REQUEST_RESPONSE_INFORMATION, Kind.BYTE),
            Map.entry(RESPONSE_INFORMATION, Kind.UTF8),
            Map.entry(SERVER_REFERENCE, Kind.UTF8),
            Map.entry(REASON_STRING, Kind.UTF8),
            Map.entry(RECEIVE_MAXIMUM, Kind.TWO),
            Map.entry(TOPIC_ALIAS_MAXIMUM, Kind.TWO),
            Map.entry(TOPIC_ALIAS, Kind.TWO),
            Map.entry(MAXIMUM_QOS, Kind.BYTE),
            Map.entry(RETAIN_AVAILABLE, Kind.BYTE),
            Map.entry(USER_PROPERTY, Kind.PAIR),
            Map.entry(MAXIMUM_PACKET_SIZE, Kind.FOUR),
            Map.entry(WILDCARD_SUBSCRIPTION_AVAILABLE, Kind.BYTE),
            Map.entry(SUBSCRIPTION_IDENTIFIER_AVAILABLE, Kind.BYTE),
            Map.entry(SHARED_SUBSCRIPTION_AVAILABLE, Kind.BYTE));

    /** One property as it appeared on the wire. */
    public record Entry(int id, Object value) {}

    private final List<Entry> entries = new ArrayList<>();

    public static Props create() {
        return new Props();
    }

    public static Props none() {
        return new Props();
    }

    /** Adds a property; the value's Java type must fit the identifier (see class comment). */
    public Props add(int id, Object value) {
        if (!KINDS.containsKey(id)) {
            throw new IllegalArgumentException("unknown property " + id);
        }
        entries.add(new Entry(id, value));
        return this;
    }

    public Props userProperty(String name, String value) {
        return add(USER_PROPERTY, new String[] {name, value});
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public boolean has(int id) {
        return entries.stream().anyMatch(e -> e.id() == id);
    }

    public int count(int id) {
        return (int) entries.stream().filter(e -> e.id() == id).count();
    }

    private Object first(int id) {
        return entries.stream()
                .filter(e -> e.id() == id)
                .map(Entry::value)
                .findFirst()
                .orElse(null);
    }

    /** A byte, two-byte or variable byte integer property, or {@code null} when absent. */
    public Integer integer(int id) {
        return (Integer) first(id);
    }

    /** A four-byte integer property, or {@code null} when absent. */
    public Long fourByte(int id) {
        return (Long) first(id);
    }

    public String string(int id) {
        return (String) first(id);
    }

    public byte[] binary(int id) {
        return (byte[]) first(id);
    }

    /** All values of a repeatable integer property (Subscription Identifier), in wire order. */
    public List<Integer> integers(int id) {
        return entries.stream()
                .filter(e -> e.id() == id)
                .map(e -> (Integer) e.value())
                .toList();
    }

    /** User Properties in wire order, each as "name=value". */
    public List<String> userProperties() {
        return entries.stream()
                .filter(e -> e.id() == USER_PROPERTY)
                .map(e -> ((String[]) e.value())[0] + "=" + ((String[]) e.value())[1])
                .toList();
    }

    /** The encoded property block including its variable byte integer length. */
    public byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Entry e : entries) {
            Wire.writeVarInt(body, e.id());
            switch (KINDS.get(e.id())) {
                case BYTE -> body.write((Integer) e.value());
                case TWO -> Wire.writeShort(body, (Integer) e.value());
                case FOUR -> Wire.writeInt(body, (Long) e.value());
                case VARINT -> Wire.writeVarInt(body, (Integer) e.value());
                case UTF8 -> Wire.writeString(body, (String) e.value());
                case BINARY -> Wire.writeBinary(body, (byte[]) e.value());
                case PAIR -> {
                    Wire.writeString(body, ((String[]) e.value())[0]);
                    Wire.writeString(body, ((String[]) e.value())[1]);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wire.writeVarInt(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** Reads a property block (length first) from the reader. */
    static Props decode(Wire.Reader r) {
        Props p = new Props();
        int length = r.varInt();
        int end = r.position() + length;
        while (r.position() < end) {
            int id = r.varInt();
            Kind kind = KINDS.get(id);
            if (kind == null) {
                throw new IllegalStateException("server sent unknown property identifier 0x" + Integer.toHexString(id));
            }
            Object value = switch (kind) {
                case BYTE -> r.u8();
                case TWO -> r.u16();
                case FOUR -> r.u32();
                case VARINT -> r.varInt();
                case UTF8 -> r.string();
                case BINARY -> r.binary();
                case PAIR -> new String[] {r.string(), r.string()};
            };
            p.entries.add(new Entry(id, value));
        }
        if (r.position() != end) {
            throw new IllegalStateException("property block overran its length");
        }
        return p;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Entry e : entries) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append("0x").append(Integer.toHexString(e.id())).append('=');
            if (e.value() instanceof byte[] b) {
                s.append(new String(b, StandardCharsets.UTF_8));
            } else if (e.value() instanceof String[] pair) {
                s.append(pair[0]).append(':').append(pair[1]);
            } else {
                s.append(e.value());
            }
        }
        return s.append('}').toString();
    }
}
