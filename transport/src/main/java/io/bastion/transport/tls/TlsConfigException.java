package io.bastion.transport.tls;

/**
 * A TLS file cannot be used: missing or unreadable, not PEM, a key that does not match its
 * certificate, a wrong passphrase. The message names the file and says what is wrong, never a secret.
 */
public final class TlsConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
