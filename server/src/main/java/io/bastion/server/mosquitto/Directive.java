package io.bastion.server.mosquitto;

import java.util.Arrays;
import java.util.List;

/**
 * One option line of a {@code mosquitto.conf}: the option name and the rest of the line, as Mosquitto reads it (the
 * first word is the name; a line starting with {@code #} is a comment).
 *
 * @param name the option, e.g. {@code listener}
 * @param value everything after the name, trimmed; empty when the option has no value
 * @param origin the file and line it was written on
 */
record Directive(String name, String value, Origin origin) {

    /** The value split on white space, e.g. {@code [8883, 127.0.0.1]} for {@code listener 8883 127.0.0.1}. */
    List<String> args() {
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }

    @Override
    public String toString() {
        return value.isEmpty() ? name : name + " " + value;
    }
}
