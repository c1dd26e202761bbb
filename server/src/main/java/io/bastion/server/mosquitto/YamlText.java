package io.bastion.server.mosquitto;

import java.util.ArrayList;
import java.util.List;

/**
 * Bastion YAML written line by line, with comments, remembering the {@code mosquitto.conf} line each YAML line came
 * from so that an error found in the YAML can be reported at the Mosquitto line. Text values are always
 * double-quoted, so no path or cipher name can be misread as YAML syntax.
 */
final class YamlText {
    private static final String INDENT = "  ";

    private final List<String> lines = new ArrayList<>();
    private final List<Origin> origins = new ArrayList<>();
    /** A {@code key:} written only when a line goes inside it, so that an empty section leaves no trace. */
    private String pendingSection;
    /** The line of the list element being written: where its keys without a line of their own came from. */
    private Origin element;

    /** A comment line; long text stays on one line so that it can be searched for. */
    void comment(int depth, String text) {
        add(INDENT.repeat(depth) + "# " + text, null);
    }

    void blank() {
        add("", null);
    }

    /** A top-level {@code key:} that appears only if something is written inside it. */
    void section(String key) {
        pendingSection = key + ":";
        element = null;
    }

    /** {@code key:} opening a mapping or a list. */
    void open(int depth, String key, Directive from) {
        if (depth == 0) {
            element = null;
        }
        add(INDENT.repeat(depth) + key + ":" + note(from, null), origin(from));
    }

    /** {@code key: value}, with the Mosquitto line it came from as a comment. */
    void entry(int depth, String key, Object value, Directive from) {
        entry(depth, key, value, from, null);
    }

    void entry(int depth, String key, Object value, Directive from, String remark) {
        add(INDENT.repeat(depth) + key + ": " + scalar(value) + note(from, remark), origin(from));
    }

    /** The first key of a list element: {@code - key: value}; its other keys go at {@code depth + 1}. */
    void item(int depth, String key, Object value, Directive from) {
        element = origin(from);
        add(INDENT.repeat(depth) + "- " + key + ": " + scalar(value) + note(from, null), origin(from));
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }

    /** The Mosquitto line YAML line {@code lineNumber} (1-based) came from, or null. */
    Origin originOfLine(int lineNumber) {
        return lineNumber >= 1 && lineNumber <= origins.size() ? origins.get(lineNumber - 1) : null;
    }

    private void add(String line, Origin origin) {
        if (pendingSection != null) {
            if (line.startsWith(INDENT)) {
                lines.add(pendingSection);
                origins.add(null);
            }
            pendingSection = null;
        }
        lines.add(line);
        origins.add(origin != null ? origin : element);
    }

    private static Origin origin(Directive from) {
        return from == null ? null : from.origin();
    }

    private static String note(Directive from, String remark) {
        StringBuilder note = new StringBuilder();
        if (from != null) {
            note.append(from)
                    .append(" (")
                    .append(from.origin().file().getFileName())
                    .append(':')
                    .append(from.origin().line())
                    .append(')');
        }
        if (remark != null) {
            note.append(note.length() > 0 ? "; " : "").append(remark);
        }
        return note.length() == 0 ? "" : "  # " + note;
    }

    static String scalar(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(YamlText::scalar).toList().toString();
        }
        return quote(String.valueOf(value));
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
