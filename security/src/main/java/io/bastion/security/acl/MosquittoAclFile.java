package io.bastion.security.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a Mosquitto {@code acl_file} as Mosquitto does:
 *
 * <ul>
 *   <li>{@code topic [read|write|readwrite|deny] <topic>} lines before the first {@code user} line are for
 *       anonymous clients (no user); after {@code user <name>}, for that user. Their topics are literal: {@code
 *       %u} and {@code %c} are not substituted.
 *   <li>{@code pattern [read|write|readwrite|deny] <topic>} lines are for every client, wherever they stand, with
 *       {@code %u} (the user) and {@code %c} (the client id) substituted.
 *   <li>the access word is optional (read and write then); {@code read} is subscribe, {@code write} publish;
 *       {@code deny} rules are handled before every granting one.
 *   <li>lines starting with {@code #} (after leading blanks) and blank lines are ignored.
 * </ul>
 */
public final class MosquittoAclFile {
    private MosquittoAclFile() {}

    /**
     * The rules in {@code text}.
     *
     * @param source the file name, for error messages and rule origins
     * @throws IllegalArgumentException naming the line, for a line Mosquitto would refuse too
     */
    public static List<AclRule> parse(String text, String source) {
        List<AclRule> rules = new ArrayList<>();
        Subject section = Subject.ANONYMOUS;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            String origin = source + ":" + (n + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = firstBlank(line);
            String keyword = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space).strip();
            switch (keyword) {
                case "user" -> {
                    if (rest.isEmpty()) {
                        throw new IllegalArgumentException(origin + ": 'user' without a user name");
                    }
                    section = Subject.user(rest);
                }
                case "topic" -> rules.add(rule(section, rest, false, origin));
                case "pattern" -> rules.add(rule(Subject.EVERYONE, rest, true, origin));
                default ->
                    throw new IllegalArgumentException(
                            origin + ": unknown line '" + keyword + "' (expected user, topic, pattern or # comment)");
            }
        }
        return rules;
    }

    private static AclRule rule(Subject subject, String rest, boolean pattern, String origin) {
        String access = "readwrite";
        String topic = rest;
        int space = firstBlank(rest);
        String word = (space < 0 ? rest : rest.substring(0, space)).toLowerCase(Locale.ROOT);
        if (word.equals("read") || word.equals("write") || word.equals("readwrite") || word.equals("deny")) {
            // like Mosquitto: an access word alone is a line without a topic, not a topic named "read"
            access = word;
            topic = space < 0 ? "" : rest.substring(space).strip();
        }
        if (topic.isEmpty()) {
            throw new IllegalArgumentException(origin + ": " + (pattern ? "pattern" : "topic") + " without a topic");
        }
        boolean deny = access.equals("deny");
        boolean publish = deny || access.equals("write") || access.equals("readwrite");
        boolean subscribe = deny || access.equals("read") || access.equals("readwrite");
        AclRule rule = new AclRule(deny, publish, subscribe, subject, topic, pattern, 2, true, origin);
        AclFilters.requireValid(topic, origin);
        return rule;
    }

    private static int firstBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }
}
