package io.bastion.mqtt.codec;

import static io.bastion.mqtt.ReasonCode.*;

import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The MQTT 5 reason codes each packet type may carry (the tables of 3.2.2.2, 3.4.2.1, 3.5.2.1,
 * 3.6.2.1, 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1). The sender MUST use one of them (e.g.
 * [MQTT-3.4.2-1]); any other byte cannot be read as that field, so the decoder treats it as a
 * Malformed Packet.
 */
final class ReasonCodes {
    private static final Set<ReasonCode> PUBLISH_ACK = EnumSet.of(
            SUCCESS,
            NO_MATCHING_SUBSCRIBERS,
            UNSPECIFIED_ERROR,
            IMPLEMENTATION_SPECIFIC_ERROR,
            NOT_AUTHORIZED,
            TOPIC_NAME_INVALID,
            PACKET_IDENTIFIER_IN_USE,
            QUOTA_EXCEEDED,
            PAYLOAD_FORMAT_INVALID);

    private static final Set<ReasonCode> PUBLISH_RELEASE = EnumSet.of(SUCCESS, PACKET_IDENTIFIER_NOT_FOUND);

    private static final Map<PacketType, Set<ReasonCode>> ALLOWED = Map.of(
            PacketType.CONNACK,
            EnumSet.of(
                    SUCCESS,
                    UNSPECIFIED_ERROR,
                    MALFORMED_PACKET,
                    PROTOCOL_ERROR,
                    IMPLEMENTATION_SPECIFIC_ERROR,
                    UNSUPPORTED_PROTOCOL_VERSION,
                    CLIENT_IDENTIFIER_NOT_VALID,
                    BAD_USER_NAME_OR_PASSWORD,
                    NOT_AUTHORIZED,
                    SERVER_UNAVAILABLE,
                    SERVER_BUSY,
                    BANNED,
                    BAD_AUTHENTICATION_METHOD,
                    TOPIC_NAME_INVALID,
                    PACKET_TOO_LARGE,
                    QUOTA_EXCEEDED,
                    PAYLOAD_FORMAT_INVALID,
                    RETAIN_NOT_SUPPORTED,
                    QOS_NOT_SUPPORTED,
                    USE_ANOTHER_SERVER,
                    SERVER_MOVED,
                    CONNECTION_RATE_EXCEEDED),
            PacketType.PUBACK,
            PUBLISH_ACK,
            PacketType.PUBREC,
            PUBLISH_ACK,
            PacketType.PUBREL,
            PUBLISH_RELEASE,
            PacketType.PUBCOMP,
            PUBLISH_RELEASE,
            PacketType.SUBACK,
            EnumSet.of(
                    GRANTED_QOS_0,
                    GRANTED_QOS_1,
                    GRANTED_QOS_2,
                    UNSPECIFIED_ERROR,
                    IMPLEMENTATION_SPECIFIC_ERROR,
                    NOT_AUTHORIZED,
                    TOPIC_FILTER_INVALID,
                    PACKET_IDENTIFIER_IN_USE,
                    QUOTA_EXCEEDED,
                    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
                    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED),
            PacketType.UNSUBACK,
            EnumSet.of(
                    SUCCESS,
                    NO_SUBSCRIPTION_EXISTED,
                    UNSPECIFIED_ERROR,
                    IMPLEMENTATION_SPECIFIC_ERROR,
                    NOT_AUTHORIZED,
                    TOPIC_FILTER_INVALID,
                    PACKET_IDENTIFIER_IN_USE),
            PacketType.DISCONNECT,
            EnumSet.of(
                    NORMAL_DISCONNECTION,
                    DISCONNECT_WITH_WILL_MESSAGE,
                    UNSPECIFIED_ERROR,
                    MALFORMED_PACKET,
                    PROTOCOL_ERROR,
                    IMPLEMENTATION_SPECIFIC_ERROR,
                    NOT_AUTHORIZED,
                    SERVER_BUSY,
                    SERVER_SHUTTING_DOWN,
                    KEEP_ALIVE_TIMEOUT,
                    SESSION_TAKEN_OVER,
                    TOPIC_FILTER_INVALID,
                    TOPIC_NAME_INVALID,
                    RECEIVE_MAXIMUM_EXCEEDED,
                    TOPIC_ALIAS_INVALID,
                    PACKET_TOO_LARGE,
                    MESSAGE_RATE_TOO_HIGH,
                    QUOTA_EXCEEDED,
                    ADMINISTRATIVE_ACTION,
                    PAYLOAD_FORMAT_INVALID,
                    RETAIN_NOT_SUPPORTED,
                    QOS_NOT_SUPPORTED,
                    USE_ANOTHER_SERVER,
                    SERVER_MOVED,
                    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED,
                    CONNECTION_RATE_EXCEEDED,
                    MAXIMUM_CONNECT_TIME,
                    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED),
            PacketType.AUTH,
            EnumSet.of(SUCCESS, CONTINUE_AUTHENTICATION, REAUTHENTICATE));

    private ReasonCodes() {}

    /** The reason code a byte stands for in a packet of {@code type}, or a Malformed Packet. */
    static ReasonCode read(PacketType type, int value) {
        ReasonCode code = ReasonCode.of(value);
        if (code == null || !ALLOWED.get(type).contains(code)) {
            throw PacketReader.malformed(String.format("reason code 0x%02X is not defined for %s", value, type));
        }
        return code;
    }
}
