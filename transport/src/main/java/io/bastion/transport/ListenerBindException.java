package io.bastion.transport;

/** A listener could not be bound: the port is in use, the address is not local, permission denied. */
public final class ListenerBindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ListenerBindException(ListenerSettings listener, Throwable cause) {
        super(
                "listener '" + listener.name() + "' cannot bind " + listener.bindAddress() + ":" + listener.port()
                        + ": " + cause.getMessage(),
                cause);
    }
}
