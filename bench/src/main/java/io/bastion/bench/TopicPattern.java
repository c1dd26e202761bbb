package io.bastion.bench;

/**
 * A topic name or filter with placeholders filled in per client: {@code %i} the client's index (0-based),
 * {@code %c} its client id, {@code %%} a literal percent sign. Anything else is copied as it is.
 */
public final class TopicPattern {
    private final String pattern;

    public TopicPattern(String pattern) {
        this.pattern = pattern;
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '%') {
                char next = i + 1 < pattern.length() ? pattern.charAt(i + 1) : 0;
                if (next != 'i' && next != 'c' && next != '%') {
                    throw new IllegalArgumentException("topic pattern \"" + pattern
                            + "\": '%' must be followed by i, c or % (position " + i + ")");
                }
                i++;
            }
        }
    }

    public String pattern() {
        return pattern;
    }

    /** True when every client gets the same topic. */
    public boolean isConstant() {
        return pattern.indexOf('%') < 0;
    }

    public String expand(int index, String clientId) {
        if (isConstant()) {
            return pattern;
        }
        StringBuilder sb = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch != '%') {
                sb.append(ch);
                continue;
            }
            char next = pattern.charAt(++i);
            switch (next) {
                case 'i' -> sb.append(index);
                case 'c' -> sb.append(clientId);
                default -> sb.append('%');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
