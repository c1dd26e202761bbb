package io.bastion.admin;

/** The admin API could not start (its address is in use, its token file cannot be read or written). */
public final class AdminStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AdminStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
