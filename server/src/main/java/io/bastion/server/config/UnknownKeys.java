package io.bastion.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Finds the first key (in file order, then environment) that no binder asked for, and suggests what was meant. */
final class UnknownKeys {
    private UnknownKeys() {}

    static void check(ConfigDocument document) {
        walk(document, document.root(), "");
    }

    private static void walk(ConfigDocument document, JsonNode node, String path) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String keyPath = ConfigDocument.child(path, field.getKey());
                if (!document.isKnown(keyPath)) {
                    throw new ConfigException(
                            document.originOf(keyPath), keyPath, "unknown key" + suggestion(document, path, keyPath));
                }
                walk(document, field.getValue(), keyPath);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(document, node.get(i), ConfigDocument.element(path, i));
            }
        }
    }

    private static String suggestion(ConfigDocument document, String parentPath, String keyPath) {
        String key = keyPath.substring(keyPath.lastIndexOf('.') + 1);
        Set<String> siblings = new TreeSet<>(document.knownChildrenOf(parentPath));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String sibling : siblings) {
            int distance = editDistance(key, sibling);
            if (distance < bestDistance) {
                best = sibling;
                bestDistance = distance;
            }
        }
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
            return " (did you mean " + ConfigDocument.child(parentPath, best) + "?)";
        }
        // the right key in the wrong section, e.g. limits.retain_available
        for (String known : new TreeSet<>(document.knownKeys())) {
            if (known.endsWith("." + key) || known.equals(key)) {
                return " (did you mean " + known.replace("[]", "[0]") + "?)";
            }
        }
        return siblings.isEmpty() ? "" : " (known keys here: " + String.join(", ", siblings) + ")";
    }

    /** Levenshtein distance: typos are one or two edits away. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
