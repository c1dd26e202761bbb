package io.bastion.server.cli;

/** Process exit codes of the {@code bastion} command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Runtime failure: a port in use, connection refused, CONNACK/SUBACK/PUBACK failure, connection lost. */
    public static final int FAILURE = 1;
    /** Usage or configuration error: nothing was started. */
    public static final int USAGE = 2;
    /** {@code bastion sub -W} expired, the same code as mosquitto_sub. */
    public static final int TIMEOUT = 27;

    private ExitCodes() {}
}
