package io.bastion.broker.auth;

/**
 * An MQTT 5 enhanced authentication method (section 4.12), e.g. SCRAM-SHA-256. The broker routes
 * CONNECT and AUTH packets naming {@link #method()} to it; a method no authenticator offers is refused
 * with 0x8C Bad Authentication Method.
 */
public interface EnhancedAuthenticator {

    String method();

    /** Begins an exchange for one connection, at CONNECT or at re-authentication. */
    Exchange begin(ClientCredentials credentials);

    /** One authentication exchange; steps are called on the connection's event loop, one at a time. */
    interface Exchange {
        /** Handles the client's Authentication Data (may be null) and says what comes next. */
        java.util.concurrent.CompletionStage<Step> step(byte[] clientData);
    }

    /**
     * One step's outcome.
     *
     * @param serverData Authentication Data for the client, or null
     * @param reasonCode CONTINUE_AUTHENTICATION, SUCCESS, or a failure code
     * @param identity the authenticated identity, on SUCCESS
     */
    record Step(io.bastion.mqtt.ReasonCode reasonCode, byte[] serverData, String identity) {}
}
