package io.bastion.mqtt;

/**
 * A packet that cannot be accepted. The reason code is what an MQTT 5 server sends in DISCONNECT
 * (0x81 Malformed Packet, 0x82 Protocol Error, 0x95 Packet Too Large, ...); an MQTT 3.1.1 server
 * closes the connection.
 */
public final class MqttCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ReasonCode reasonCode;

    public MqttCodecException(ReasonCode reasonCode, String message) {
        super(message, null, false, false); // no stack trace: bad input is expected, not exceptional
        this.reasonCode = reasonCode;
    }

    public ReasonCode reasonCode() {
        return reasonCode;
    }
}
