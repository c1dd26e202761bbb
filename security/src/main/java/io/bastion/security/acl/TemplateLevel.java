package io.bastion.security.acl;

import io.bastion.broker.auth.ClientIdentity;
import java.util.ArrayList;
import java.util.List;

/**
 * One level of a rule's topic filter that names parts of the client's identity: {@code %u} (the user), {@code
 * %c} (the client id) and {@code ${name}} (an attribute of the identity), mixed with literal text, e.g. {@code
 * ${tenant}:${device}}. Matched against a level of a topic in place, without building the expanded string.
 *
 * <p>A value that is missing or contains {@code /}, {@code +} or {@code #} never matches: a user called {@code
 * a/#} must not widen a {@code %u/...} rule to other users' topics.
 */
final class TemplateLevel {
    /** A literal piece (variable == null) or a variable: "%u", "%c" or an attribute name. */
    private record Part(String literal, String variable) {}

    private static final String USER = "%u";
    private static final String CLIENT_ID = "%c";

    private final Part[] parts;
    private final String text;

    private TemplateLevel(List<Part> parts, String text) {
        this.parts = parts.toArray(Part[]::new);
        this.text = text;
    }

    /** The template in this level, or null when the level is plain text. */
    static TemplateLevel parse(String level, String origin) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean variable = false;
        for (int i = 0; i < level.length(); i++) {
            char ch = level.charAt(i);
            if (ch == '%' && i + 1 < level.length() && (level.charAt(i + 1) == 'u' || level.charAt(i + 1) == 'c')) {
                flush(parts, literal);
                parts.add(new Part(null, level.charAt(i + 1) == 'u' ? USER : CLIENT_ID));
                variable = true;
                i++;
            } else if (ch == '$' && i + 1 < level.length() && level.charAt(i + 1) == '{') {
                int close = level.indexOf('}', i + 2);
                if (close < 0 || close == i + 2) {
                    throw new IllegalArgumentException(
                            origin + ": unclosed or empty ${...} in topic level \"" + level + "\"");
                }
                flush(parts, literal);
                parts.add(new Part(null, level.substring(i + 2, close)));
                variable = true;
                i = close;
            } else {
                literal.append(ch);
            }
        }
        flush(parts, literal);
        return variable ? new TemplateLevel(parts, level) : null;
    }

    private static void flush(List<Part> parts, StringBuilder literal) {
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null));
            literal.setLength(0);
        }
    }

    /** Whether {@code topic[start, end)} is this template expanded for {@code client}. */
    boolean matches(String topic, int start, int end, ClientIdentity client) {
        int at = start;
        for (Part part : parts) {
            String piece = part.literal != null ? part.literal : value(part.variable, client);
            if (piece == null || (part.literal == null && !isSafe(piece))) {
                return false;
            }
            if (at + piece.length() > end || !topic.regionMatches(at, piece, 0, piece.length())) {
                return false;
            }
            at += piece.length();
        }
        return at == end;
    }

    boolean matches(String level, ClientIdentity client) {
        return matches(level, 0, level.length(), client);
    }

    private static String value(String variable, ClientIdentity client) {
        if (variable == USER) {
            return Principals.user(client);
        }
        if (variable == CLIENT_ID) {
            return client.clientId();
        }
        return client.attributes().get(variable);
    }

    /** A substituted value must stay inside its level and may not act as a wildcard. */
    private static boolean isSafe(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '/' || ch == '+' || ch == '#' || ch == '\u0000') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
