package io.bastion.bench;

import java.time.Duration;
import java.util.Locale;

/** Durations as written on the command line: {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
final class Durations {
    private Durations() {}

    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            String number =
                    Character.isDigit(unit) ? t : t.substring(0, t.length() - 1).trim();
            double value = Double.parseDouble(number);
            double seconds = switch (unit) {
                case 'h' -> value * 3600;
                case 'm' -> value * 60;
                case 's' -> value;
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new IllegalArgumentException("unknown unit '" + unit + "'");
                    }
                    yield value;
                }
            };
            if (seconds < 0) {
                throw new IllegalArgumentException("negative");
            }
            return Duration.ofNanos((long) (seconds * 1e9));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("duration \"" + text + "\": use e.g. 500ms, 20s, 2m", e);
        }
    }
}
