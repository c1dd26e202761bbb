package io.bastion.security.authn;

/** A provider cannot start: a missing or broken file, a bad URL. The message names the file and the problem. */
public final class AuthenticationConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthenticationConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuthenticationConfigException(String message) {
        super(message);
    }
}
