package io.bastion.server.client;

/** The broker refused or dropped the client; the message says how, with the MQTT reason code where there is one. */
public final class ClientFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClientFailure(String message) {
        super(message);
    }

    public ClientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
