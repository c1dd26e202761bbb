package io.bastion.security;

import io.bastion.broker.auth.ClientIdentity;

/**
 * Whether a connected client's credentials still hold, asked of every connected client after a security change
 * (a password file or device registry re-read, a ban, an admin reload). Clients that fail it are disconnected with
 * 0x87 Not authorized. Called on the client's event loop: answer from memory.
 */
@FunctionalInterface
public interface CredentialCheck {
    CredentialCheck ALWAYS_VALID = client -> true;

    boolean stillValid(ClientIdentity client);
}
