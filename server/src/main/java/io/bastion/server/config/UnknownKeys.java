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
        if (best != null && bestDistance <= Math.max(1, key.length() / 3)) {
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

    /** Edit distance counting a swap of neighbours as one edit, as typos usually are. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
