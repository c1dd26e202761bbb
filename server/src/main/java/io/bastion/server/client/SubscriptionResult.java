package io.bastion.server.client;

/**
 * The broker's answer to one topic filter of a SUBSCRIBE.
 *
 * @param code the SUBACK reason code (MQTT 5) or return code (3.1.1); 0x80 and above are failures
 * @param name the code's name, e.g. GRANTED_QOS_1 or NOT_AUTHORIZED
 */
public record SubscriptionResult(String topicFilter, int code, String name) {

    public boolean granted() {
        return code < 0x80;
    }
}
