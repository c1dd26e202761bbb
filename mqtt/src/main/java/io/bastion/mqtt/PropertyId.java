package io.bastion.mqtt;

/** MQTT 5 property identifiers and the data type of their values (section 2.2.2.2). */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, DataType.BYTE),
    MESSAGE_EXPIRY_INTERVAL(0x02, DataType.FOUR_BYTE_INTEGER),
    CONTENT_TYPE(0x03, DataType.UTF8_STRING),
    RESPONSE_TOPIC(0x08, DataType.UTF8_STRING),
    CORRELATION_DATA(0x09, DataType.BINARY_DATA),
    SUBSCRIPTION_IDENTIFIER(0x0B, DataType.VARIABLE_BYTE_INTEGER),
    SESSION_EXPIRY_INTERVAL(0x11, DataType.FOUR_BYTE_INTEGER),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, DataType.UTF8_STRING),
    SERVER_KEEP_ALIVE(0x13, DataType.TWO_BYTE_INTEGER),
    AUTHENTICATION_METHOD(0x15, DataType.UTF8_STRING),
    AUTHENTICATION_DATA(0x16, DataType.BINARY_DATA),
    REQUEST_PROBLEM_INFORMATION(0x17, DataType.BYTE),
    WILL_DELAY_INTERVAL(0x18, DataType.FOUR_BYTE_INTEGER),
    REQUEST_RESPONSE_INFORMATION(0x19, DataType.BYTE),
    RESPONSE_INFORMATION(0x1A, DataType.UTF8_STRING),
    SERVER_REFERENCE(0x1C, DataType.UTF8_STRING),
    REASON_STRING(0x1F, DataType.UTF8_STRING),
    RECEIVE_MAXIMUM(0x21, DataType.TWO_BYTE_INTEGER),
    TOPIC_ALIAS_MAXIMUM(0x22, DataType.TWO_BYTE_INTEGER),
    TOPIC_ALIAS(0x23, DataType.TWO_BYTE_INTEGER),
    MAXIMUM_QOS(0x24, DataType.BYTE),
    RETAIN_AVAILABLE(0x25, DataType.BYTE),
    USER_PROPERTY(0x26, DataType.UTF8_STRING_PAIR),
    MAXIMUM_PACKET_SIZE(0x27, DataType.FOUR_BYTE_INTEGER),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, DataType.BYTE),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, DataType.BYTE),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, DataType.BYTE);

    /** The data representations of section 1.5. */
    public enum DataType {
        BYTE,
        TWO_BYTE_INTEGER,
        FOUR_BYTE_INTEGER,
        VARIABLE_BYTE_INTEGER,
        UTF8_STRING,
        BINARY_DATA,
        UTF8_STRING_PAIR
    }

    private static final PropertyId[] BY_ID = new PropertyId[64];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final DataType dataType;

    PropertyId(int id, DataType dataType) {
        this.id = id;
        this.dataType = dataType;
    }

    public int id() {
        return id;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The property for an identifier, or {@code null} when MQTT 5 defines none. */
    public static PropertyId of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
