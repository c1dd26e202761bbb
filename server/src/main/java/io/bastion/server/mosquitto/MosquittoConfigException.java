package io.bastion.server.mosquitto;

/**
 * A {@code mosquitto.conf} that Bastion cannot start from. The message is one line naming the file and line, e.g.
 * {@code config error: /etc/mosquitto/mosquitto.conf line 12: auth_plugin: ...}.
 */
public final class MosquittoConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MosquittoConfigException(Origin origin, String problem) {
        super("config error: " + (origin == null ? "" : origin + ": ") + problem);
    }

    /** Several problems, one per line: every one of them has to be fixed. */
    MosquittoConfigException(String lines) {
        super(lines);
    }
}
