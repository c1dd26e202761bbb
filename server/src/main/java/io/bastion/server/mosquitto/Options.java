package io.bastion.server.mosquitto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one scope (the broker, a listener or a bridge) with typed reads that check values as Mosquitto
 * does and report bad ones, with their line, to {@link Findings}. A later line overrides an earlier one, except for
 * options that may repeat (a bridge's {@code topic}).
 */
final class Options {
    private final Map<String, List<Directive>> byName = new LinkedHashMap<>();
    private final Findings findings;

    Options(Findings findings) {
        this.findings = findings;
    }

    void add(Directive directive) {
        byName.computeIfAbsent(directive.name(), k -> new ArrayList<>()).add(directive);
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    Optional<Directive> get(String name) {
        List<Directive> all = byName.get(name);
        return all == null ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Every line of a repeatable option, in order. */
    List<Directive> all(String name) {
        return byName.getOrDefault(name, List.of());
    }

    List<Directive> directives() {
        return byName.values().stream().flatMap(List::stream).toList();
    }

    /** A value that must not be empty. */
    Optional<String> string(String name) {
        Optional<Directive> d = get(name);
        if (d.isPresent() && d.get().value().isEmpty()) {
            findings.invalid(d.get(), "needs a value");
            return Optional.empty();
        }
        return d.map(Directive::value);
    }

    Optional<Boolean> bool(String name) {
        Optional<Directive> d = get(name);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        String value = d.get().value();
        if (value.equals("true") || value.equals("false")) {
            return Optional.of(value.equals("true"));
        }
        findings.invalid(d.get(), "must be true or false (got \"" + value + "\")");
        return Optional.empty();
    }

    Optional<Long> integer(String name, long min, long max) {
        Optional<Directive> d = get(name);
        return d.isEmpty() ? Optional.empty() : integer(d.get(), d.get().value(), min, max);
    }

    /** {@code text} as a whole number between {@code min} and {@code max}, else an INVALID finding about {@code d}. */
    Optional<Long> integer(Directive d, String text, long min, long max) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return Optional.of(value);
            }
            findings.invalid(d, "must be between " + min + " and " + max + " (got " + value + ")");
        } catch (NumberFormatException e) {
            findings.invalid(d, "must be a whole number (got \"" + text + "\")");
        }
        return Optional.empty();
    }

    /** One of {@code allowed} (compared in lower case), else an INVALID finding. */
    Optional<String> choice(String name, Set<String> allowed) {
        Optional<Directive> d = get(name);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        String value = d.get().value().toLowerCase(Locale.ROOT);
        if (allowed.contains(value)) {
            return Optional.of(value);
        }
        findings.invalid(
                d.get(),
                "must be one of " + String.join(", ", allowed.stream().sorted().toList()) + " (got \""
                        + d.get().value() + "\")");
        return Optional.empty();
    }
}
