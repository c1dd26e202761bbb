package io.bastion.server.mosquitto;

/**
 * Something the migration has to tell about one line of the {@code mosquitto.conf}.
 *
 * @param severity how it affects the start
 * @param origin the line it is about
 * @param message one sentence, starting with the option name
 */
public record Finding(Severity severity, Origin origin, String message) {

    public enum Severity {
        /** Not one-to-one or ignored, but harmless: start-up continues. */
        WARNING,
        /** Valid for Mosquitto, but Bastion cannot honour it without weakening security (or at all): no start. */
        UNSUPPORTED,
        /** Mosquitto would refuse it too: a bad value, a missing value, an unknown option. */
        INVALID
    }

    @Override
    public String toString() {
        return origin + ": " + message;
    }
}
