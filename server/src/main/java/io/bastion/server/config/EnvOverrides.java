package io.bastion.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Applies {@code BASTION_*} environment variables over a configuration tree, EMQX-style: the rest of the name is the
 * key path upper-cased, with {@code __} between levels and list indices as numbers, e.g. {@code
 * BASTION_LISTENERS__0__PORT=1884}. Values are read like YAML plain scalars (numbers, true/false, else text), so the
 * binders check them exactly as if they were in the file. A variable naming no key fails like an unknown key in the
 * file.
 */
final class EnvOverrides {
    static final String PREFIX = "BASTION_";

    /** Variables read by the launcher and the command itself, not configuration keys. */
    static final Set<String> NOT_CONFIG_KEYS = Set.of(
            "BASTION_CONFIG", "BASTION_LOG_LEVEL", "BASTION_JAVA_OPTS", "BASTION_NO_BUILD", "BASTION_TLS_KEY_PASSWORD");

    private static final Pattern SEGMENT = Pattern.compile("[A-Z0-9_]+");
    private static final Pattern INDEX = Pattern.compile("\\d{1,6}");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EnvOverrides() {}

    static void apply(ConfigDocument document, Map<String, String> env) {
        // sorted, so that the first error is the same on every run and index 0 is created before index 1
        for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
            String name = variable.getKey();
            if (name.startsWith(PREFIX) && !NOT_CONFIG_KEYS.contains(name)) {
                applyOne(document, name, variable.getValue());
            }
        }
    }

    private static void applyOne(ConfigDocument document, String name, String value) {
        String origin = "env " + name;
        String[] segments = name.substring(PREFIX.length()).split("__", -1);
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.startsWith("_") || segment.endsWith("_")) {
                throw new ConfigException(
                        origin,
                        "",
                        "not a configuration key: use BASTION_ + the key path in upper case with __ between levels,"
                                + " e.g. BASTION_LIMITS__MAX_INFLIGHT");
            }
        }
        JsonNode parent = document.root();
        String path = "";
        for (int i = 0; i < segments.length; i++) {
            String key = segments[i].toLowerCase(Locale.ROOT);
            boolean last = i == segments.length - 1;
            JsonNode next = last ? scalar(value) : container(segments[i + 1]);
            if (parent instanceof ArrayNode) {
                ArrayNode array = (ArrayNode) parent;
                if (!INDEX.matcher(key).matches()) {
                    throw new ConfigException(origin, path, "is a list: the next part of the name must be an index");
                }
                int index = Integer.parseInt(key);
                path = ConfigDocument.element(path, index);
                if (index > array.size()) {
                    throw new ConfigException(
                            origin,
                            path,
                            "index out of range: the list has " + array.size() + " entries, so use an index from 0 to "
                                    + array.size());
                }
                if (index == array.size()) {
                    array.add(next);
                    document.setOrigin(path, origin);
                } else if (last) {
                    array.set(index, next);
                    document.setOrigin(path, origin);
                }
                parent = array.get(index);
            } else if (parent instanceof ObjectNode) {
                ObjectNode object = (ObjectNode) parent;
                path = ConfigDocument.child(path, key);
                JsonNode existing = object.get(key);
                if (last || existing == null || existing.isNull()) {
                    object.set(key, next);
                    document.setOrigin(path, origin);
                }
                parent = object.get(key);
            } else {
                throw new ConfigException(origin, path, "is a single value here, so it has no key " + key);
            }
        }
    }

    /** A new list when the next part of the name is an index, else a new mapping. */
    private static JsonNode container(String nextSegment) {
        return INDEX.matcher(nextSegment).matches() ? NODES.arrayNode() : NODES.objectNode();
    }

    /** Like a YAML plain scalar: whole numbers and true/false keep their type, everything else is text. */
    private static JsonNode scalar(String value) {
        String trimmed = value.trim();
        if (INTEGER.matcher(trimmed).matches()) {
            return NODES.numberNode(new BigInteger(trimmed));
        }
        if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
            return NODES.booleanNode(Boolean.parseBoolean(trimmed));
        }
        return NODES.textNode(value);
    }
}
