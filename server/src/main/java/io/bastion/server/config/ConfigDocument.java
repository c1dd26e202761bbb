package io.bastion.server.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A configuration tree before binding, with where each key came from (a file line or an environment variable) so
 * that every error can point at it, and the keys the binders asked for so that the rest can be reported as unknown.
 * Paths look like {@code limits.max_inflight} and {@code listeners[0].port}.
 */
final class ConfigDocument {
    private final ObjectNode root;
    private final Map<String, String> origins = new HashMap<>();
    private final Set<String> knownKeys = new HashSet<>();

    ConfigDocument(ObjectNode root) {
        this.root = root;
    }

    static ConfigDocument empty() {
        return new ConfigDocument(JsonNodeFactory.instance.objectNode());
    }

    ObjectNode root() {
        return root;
    }

    void setOrigin(String path, String origin) {
        origins.put(path, origin);
    }

    /** Where the key at {@code path} (or its nearest enclosing key) was set; empty for embedded defaults. */
    String originOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            String origin = origins.get(p);
            if (origin != null) {
                return origin;
            }
            p = parentOf(p);
        }
        return "";
    }

    void markKnown(String path) {
        knownKeys.add(pattern(path));
    }

    boolean isKnown(String path) {
        return knownKeys.contains(pattern(path));
    }

    /** Known keys that sit directly under {@code parentPath}, in pattern form. */
    Set<String> knownChildrenOf(String parentPath) {
        String prefix = parentPath.isEmpty() ? "" : pattern(parentPath) + ".";
        Set<String> children = new HashSet<>();
        for (String key : knownKeys) {
            if (key.startsWith(prefix)
                    && key.indexOf('.', prefix.length()) < 0
                    && key.indexOf('[', prefix.length()) < 0) {
                children.add(key.substring(prefix.length()));
            }
        }
        return children;
    }

    Set<String> knownKeys() {
        return Set.copyOf(knownKeys);
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** {@code listeners[3].port} becomes {@code listeners[].port}: the same key for every list element. */
    static String pattern(String path) {
        return path.replaceAll("\\[\\d+]", "[]");
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
