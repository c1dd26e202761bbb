package io.bastion.server.mosquitto;

import java.nio.file.Path;

/** Where a Mosquitto option was written: a file (the main one or one from {@code include_dir}) and a line. */
public record Origin(Path file, int line) {
    @Override
    public String toString() {
        return file + " line " + line;
    }
}
