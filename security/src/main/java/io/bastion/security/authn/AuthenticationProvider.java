package io.bastion.security.authn;

import io.bastion.broker.auth.ClientCredentials;
import io.bastion.broker.auth.ClientIdentity;
import java.util.concurrent.CompletionStage;

/**
 * One way of authenticating a CONNECT (a password file, a JWT, a webhook...), as a link of an {@link
 * AuthenticationChain}. It may answer on any thread, but must never block the caller: the chain is called on a
 * connection's event loop.
 */
public interface AuthenticationProvider extends AutoCloseable {

    /** The configured type, e.g. {@code password_file}; names the provider in log lines and metrics. */
    String type();

    CompletionStage<Verdict> authenticate(ClientCredentials credentials);

    /**
     * Whether the credential this provider accepted for {@code client} still holds after its file was re-read (the
     * user or device is still there, with a usable key). Called on the client's event loop: answer from memory.
     */
    default boolean stillValid(ClientIdentity client) {
        return true;
    }

    /** Stops file watching, HTTP clients and the like. */
    @Override
    default void close() {}
}
