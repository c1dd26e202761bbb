package io.bastion.broker.session;

/**
 * The live connection a session sends through. Implemented by the connection state machine; called
 * only on the session's event loop.
 */
public interface SessionOutlet {

    /** False while the client's outbound buffer is above its high-water mark. */
    boolean isWritable();

    /**
     * Sends a PUBLISH for the delivery. Returns false when it could not be sent and never will be (it is
     * larger than the client's Maximum Packet Size [MQTT-3.1.2-25]); the session then treats it as done.
     */
    boolean sendPublish(Delivery delivery, int packetId, boolean dup);

    void sendPubRel(int packetId);

    /** How many unacknowledged QoS 1/2 PUBLISH the client accepts (its Receive Maximum) [MQTT-3.3.4-9]. */
    int receiveMaximum();

    void flush();

    /** Another connection took the session over: DISCONNECT 0x8E (v5) and close [MQTT-3.1.4-3]. */
    void takenOver();
}
