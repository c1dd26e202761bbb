package io.bastion.mqtt.codec;

import static io.bastion.mqtt.PropertyId.ASSIGNED_CLIENT_IDENTIFIER;
import static io.bastion.mqtt.PropertyId.AUTHENTICATION_DATA;
import static io.bastion.mqtt.PropertyId.AUTHENTICATION_METHOD;
import static io.bastion.mqtt.PropertyId.CONTENT_TYPE;
import static io.bastion.mqtt.PropertyId.CORRELATION_DATA;
import static io.bastion.mqtt.PropertyId.MAXIMUM_PACKET_SIZE;
import static io.bastion.mqtt.PropertyId.MAXIMUM_QOS;
import static io.bastion.mqtt.PropertyId.MESSAGE_EXPIRY_INTERVAL;
import static io.bastion.mqtt.PropertyId.PAYLOAD_FORMAT_INDICATOR;
import static io.bastion.mqtt.PropertyId.REASON_STRING;
import static io.bastion.mqtt.PropertyId.RECEIVE_MAXIMUM;
import static io.bastion.mqtt.PropertyId.REQUEST_PROBLEM_INFORMATION;
import static io.bastion.mqtt.PropertyId.REQUEST_RESPONSE_INFORMATION;
import static io.bastion.mqtt.PropertyId.RESPONSE_INFORMATION;
import static io.bastion.mqtt.PropertyId.RESPONSE_TOPIC;
import static io.bastion.mqtt.PropertyId.RETAIN_AVAILABLE;
import static io.bastion.mqtt.PropertyId.SERVER_KEEP_ALIVE;
import static io.bastion.mqtt.PropertyId.SERVER_REFERENCE;
import static io.bastion.mqtt.PropertyId.SESSION_EXPIRY_INTERVAL;
import static io.bastion.mqtt.PropertyId.SHARED_SUBSCRIPTION_AVAILABLE;
import static io.bastion.mqtt.PropertyId.SUBSCRIPTION_IDENTIFIER;
import static io.bastion.mqtt.PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE;
import static io.bastion.mqtt.PropertyId.TOPIC_ALIAS;
import static io.bastion.mqtt.PropertyId.TOPIC_ALIAS_MAXIMUM;
import static io.bastion.mqtt.PropertyId.USER_PROPERTY;
import static io.bastion.mqtt.PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE;
import static io.bastion.mqtt.PropertyId.WILL_DELAY_INTERVAL;

import io.bastion.mqtt.PropertyId;

/** Where a property block sits, and which properties it may hold (the table of section 2.2.2.2). */
enum PropertyScope {
    CONNECT(
            SESSION_EXPIRY_INTERVAL,
            AUTHENTICATION_METHOD,
            AUTHENTICATION_DATA,
            REQUEST_PROBLEM_INFORMATION,
            REQUEST_RESPONSE_INFORMATION,
            RECEIVE_MAXIMUM,
            TOPIC_ALIAS_MAXIMUM,
            USER_PROPERTY,
            MAXIMUM_PACKET_SIZE),
    WILL(
            PAYLOAD_FORMAT_INDICATOR,
            MESSAGE_EXPIRY_INTERVAL,
            CONTENT_TYPE,
            RESPONSE_TOPIC,
            CORRELATION_DATA,
            WILL_DELAY_INTERVAL,
            USER_PROPERTY),
    CONNACK(
            SESSION_EXPIRY_INTERVAL,
            ASSIGNED_CLIENT_IDENTIFIER,
            SERVER_KEEP_ALIVE,
            AUTHENTICATION_METHOD,
            AUTHENTICATION_DATA,
            RESPONSE_INFORMATION,
            SERVER_REFERENCE,
            REASON_STRING,
            RECEIVE_MAXIMUM,
            TOPIC_ALIAS_MAXIMUM,
            MAXIMUM_QOS,
            RETAIN_AVAILABLE,
            USER_PROPERTY,
            MAXIMUM_PACKET_SIZE,
            WILDCARD_SUBSCRIPTION_AVAILABLE,
            SUBSCRIPTION_IDENTIFIER_AVAILABLE,
            SHARED_SUBSCRIPTION_AVAILABLE),
    PUBLISH(
            PAYLOAD_FORMAT_INDICATOR,
            MESSAGE_EXPIRY_INTERVAL,
            CONTENT_TYPE,
            RESPONSE_TOPIC,
            CORRELATION_DATA,
            SUBSCRIPTION_IDENTIFIER,
            TOPIC_ALIAS,
            USER_PROPERTY),
    /** PUBACK, PUBREC, PUBREL and PUBCOMP. */
    PUBLISH_ACK(REASON_STRING, USER_PROPERTY),
    SUBSCRIBE(SUBSCRIPTION_IDENTIFIER, USER_PROPERTY),
    SUBACK(REASON_STRING, USER_PROPERTY),
    UNSUBSCRIBE(USER_PROPERTY),
    UNSUBACK(REASON_STRING, USER_PROPERTY),
    DISCONNECT(SESSION_EXPIRY_INTERVAL, SERVER_REFERENCE, REASON_STRING, USER_PROPERTY),
    AUTH(AUTHENTICATION_METHOD, AUTHENTICATION_DATA, REASON_STRING, USER_PROPERTY);

    private final long allowed;

    PropertyScope(PropertyId... ids) {
        long mask = 0;
        for (PropertyId id : ids) {
            mask |= 1L << id.id();
        }
        this.allowed = mask;
    }

    boolean allows(PropertyId id) {
        return (allowed & (1L << id.id())) != 0;
    }

    /**
     * Whether the property may occur more than once here: User Property always, Subscription
     * Identifier in a PUBLISH matching several subscriptions (3.3.2.3.8). Any other repeat is a Protocol
     * Error.
     */
    boolean allowsRepeat(PropertyId id) {
        return id == USER_PROPERTY || (id == SUBSCRIPTION_IDENTIFIER && this == PUBLISH);
    }
}
