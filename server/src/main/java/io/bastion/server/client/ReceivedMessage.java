package io.bastion.server.client;

/** A message the broker delivered. */
@SuppressWarnings("ArrayRecordComponent") // copied in and out, never shared
public record ReceivedMessage(String topic, byte[] payload, int qos, boolean retain) {

    public ReceivedMessage {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
