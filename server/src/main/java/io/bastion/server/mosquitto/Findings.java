package io.bastion.server.mosquitto;

import io.bastion.server.mosquitto.Finding.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The findings of one migration, in the order of the lines they are about. */
final class Findings {
    private final List<Finding> all = new ArrayList<>();
    /** Files in the order they were read, so findings sort as the lines were read. */
    private final List<Path> files = new ArrayList<>();

    Findings(List<Directive> directives) {
        directives.stream().map(d -> d.origin().file()).distinct().forEach(files::add);
    }

    void warn(Directive d, String message) {
        add(Severity.WARNING, d.origin(), d.name() + ": " + message);
    }

    void unsupported(Directive d, String message) {
        add(Severity.UNSUPPORTED, d.origin(), d.name() + ": " + message);
    }

    void invalid(Directive d, String message) {
        add(Severity.INVALID, d.origin(), d.name() + ": " + message);
    }

    void add(Severity severity, Origin origin, String message) {
        all.add(new Finding(severity, origin, message));
    }

    List<Finding> all() {
        return all.stream()
                .sorted(Comparator.comparingInt(
                                (Finding f) -> files.indexOf(f.origin().file()))
                        .thenComparingInt(f -> f.origin().line()))
                .toList();
    }

    List<Finding> of(Severity severity) {
        return all().stream().filter(f -> f.severity() == severity).toList();
    }

    /** Every finding that stops the start, one {@code config error:} line each. */
    String errorLines() {
        return all().stream()
                .filter(f -> f.severity() != Severity.WARNING)
                .map(f -> "config error: " + f)
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
