package io.bastion.broker.auth;

/**
 * Decides what a connected client may do. Called on the connection's event loop for every PUBLISH
 * and SUBSCRIBE, so it must answer from memory, without blocking.
 */
public interface Authorizer {

    /** Whether the client may publish this message [MQTT-3.3.5-2: refused QoS 1/2 get 0x87]. */
    boolean canPublish(ClientIdentity client, String topic, int qos, boolean retain);

    /**
     * Whether the client may subscribe with this filter (without any {@code $share/} prefix); refused
     * filters get SUBACK 0x87 (v5) or 0x80 (v3.1.1).
     */
    boolean canSubscribe(ClientIdentity client, String topicFilter, int qos);

    /**
     * The default when no ACL is configured: everything is allowed except publishing into {@code $SYS},
     * which belongs to the broker.
     */
    Authorizer PERMIT_ALL_BUT_SYS = new Authorizer() {
        @Override
        public boolean canPublish(ClientIdentity client, String topic, int qos, boolean retain) {
            return !topic.startsWith("$SYS/") && !topic.equals("$SYS");
        }

        @Override
        public boolean canSubscribe(ClientIdentity client, String topicFilter, int qos) {
            return true;
        }
    };
}
