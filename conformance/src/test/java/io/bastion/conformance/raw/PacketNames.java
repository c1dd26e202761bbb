package io.bastion.conformance.raw;

/** Names of control packet types for messages. */
final class PacketNames {
    private static final String[] NAMES = {
        "RESERVED",
        "CONNECT",
        "CONNACK",
        "PUBLISH",
        "PUBACK",
        "PUBREC",
        "PUBREL",
        "PUBCOMP",
        "SUBSCRIBE",
        "SUBACK",
        "UNSUBSCRIBE",
        "UNSUBACK",
        "PINGREQ",
        "PINGRESP",
        "DISCONNECT",
        "AUTH"
    };

    private PacketNames() {}

    static String name(int type) {
        return type >= 0 && type < 16 ? NAMES[type] : "type " + type;
    }
}
