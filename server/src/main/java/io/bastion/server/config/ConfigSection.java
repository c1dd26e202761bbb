package io.bastion.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Typed, validated reads of one mapping in the configuration. Each read names the key, its default and its bounds,
 * so a section's binder doubles as its schema: every key read is recorded as known, and whatever is left over is
 * reported as unknown by {@link UnknownKeys}.
 */
final class ConfigSection {
    private final ConfigDocument document;
    private final String path;
    private final JsonNode node;

    private ConfigSection(ConfigDocument document, String path, JsonNode node) {
        this.document = document;
        this.path = path;
        this.node = node;
    }

    static ConfigSection root(ConfigDocument document) {
        return new ConfigSection(document, "", document.root());
    }

    String path() {
        return path;
    }

    /** A nested mapping; absent or empty ({@code limits:}) means every key takes its default. */
    ConfigSection section(String key) {
        JsonNode value = read(key);
        if (value == null || value.isNull()) {
            return new ConfigSection(document, keyPath(key), JsonNodeFactory.instance.objectNode());
        }
        if (!value.isObject()) {
            throw error(key, "must be a mapping of keys (got " + describe(value) + ")");
        }
        return new ConfigSection(document, keyPath(key), value);
    }

    /** A list of mappings, or empty when the key is absent so the caller can apply its default list. */
    Optional<List<ConfigSection>> sectionList(String key) {
        JsonNode value = read(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw error(key, "must be a list (got " + describe(value) + ")");
        }
        List<ConfigSection> elements = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String elementPath = ConfigDocument.element(keyPath(key), i);
            JsonNode element = value.get(i);
            if (!element.isObject()) {
                throw new ConfigException(
                        document.originOf(elementPath),
                        elementPath,
                        "must be a mapping of keys (got " + describe(element) + ")");
            }
            elements.add(new ConfigSection(document, elementPath, element));
        }
        return Optional.of(elements);
    }

    /** The keys written in this mapping, for mappings whose keys are data (HTTP headers, role names) rather than settings. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    int integer(String key, int defaultValue, int min, int max) {
        return (int) longInteger(key, defaultValue, min, max);
    }

    long longInteger(String key, long defaultValue, long min, long max) {
        JsonNode value = read(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isIntegralNumber()) {
            throw error(key, "must be a whole number (got " + describe(value) + ")");
        }
        BigInteger number = value.bigIntegerValue();
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw error(key, "must be between " + min + " and " + max + " (got " + number + ")");
        }
        return number.longValueExact();
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode value = read(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw error(key, "must be true or false (got " + describe(value) + ")");
        }
        return value.booleanValue();
    }

    /** Any single value as text (a bind address or a name may look like a number in YAML). */
    String string(String key, String defaultValue) {
        JsonNode value = read(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isValueNode() || value.isNull()) {
            throw error(key, "must be a text value (got " + describe(value) + ")");
        }
        return value.asText();
    }

    /** A list of text values, or one text value as a list of one. */
    List<String> strings(String key, List<String> defaultValue) {
        JsonNode value = read(key);
        if (value == null) {
            return defaultValue;
        }
        List<String> values = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (!element.isValueNode() || element.isNull()) {
                    throw error(key, "must be a list of text values (got " + describe(element) + " in it)");
                }
                values.add(element.asText());
            }
        } else if (value.isValueNode() && !value.isNull()) {
            values.add(value.asText());
        } else {
            throw error(key, "must be a list of text values (got " + describe(value) + ")");
        }
        return values;
    }

    /** An enum written as its lower-case constant name, e.g. {@code drop_oldest} for {@code DROP_OLDEST}. */
    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        JsonNode value = read(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isTextual()) {
            for (E constant : type.getEnumConstants()) {
                if (spelling(constant).equalsIgnoreCase(value.textValue().trim())) {
                    return constant;
                }
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(ConfigSection::spelling)
                .collect(Collectors.joining(", "));
        throw error(key, "must be one of " + allowed + " (got " + describe(value) + ")");
    }

    /**
     * A duration between {@code min} and {@code max}; when {@code zeroAllowed} zero is accepted too and means
     * "off".
     */
    Duration duration(String key, Duration defaultValue, Duration min, Duration max, boolean zeroAllowed) {
        JsonNode value = read(key);
        if (value == null) {
            return defaultValue;
        }
        Optional<Duration> parsed =
                value.isIntegralNumber() || value.isTextual() ? Durations.parse(value.asText()) : Optional.empty();
        if (parsed.isEmpty()) {
            throw error(
                    key, "must be a duration like 500ms, 10s, 5m, 1h or whole seconds (got " + describe(value) + ")");
        }
        Duration duration = parsed.get();
        boolean inRange = duration.compareTo(min) >= 0 && duration.compareTo(max) <= 0;
        if (!inRange && !(zeroAllowed && duration.isZero())) {
            throw error(
                    key,
                    "must be " + (zeroAllowed ? "0 (off) or " : "") + "between " + Durations.format(min) + " and "
                            + Durations.format(max) + " (got " + describe(value) + ")");
        }
        return duration;
    }

    /** A whole number of seconds, also written as a duration such as {@code 7d}. */
    long seconds(String key, long defaultValue, long min, long max) {
        JsonNode value = read(key);
        if (value == null) {
            return defaultValue;
        }
        Optional<Duration> parsed =
                value.isIntegralNumber() || value.isTextual() ? Durations.parse(value.asText()) : Optional.empty();
        if (parsed.isEmpty() || parsed.get().toMillis() % 1000 != 0) {
            throw error(key, "must be whole seconds, e.g. 3600 or 1h (got " + describe(value) + ")");
        }
        long seconds = parsed.get().toSeconds();
        if (seconds < min || seconds > max) {
            throw error(key, "must be between " + min + " and " + max + " seconds (got " + describe(value) + ")");
        }
        return seconds;
    }

    /** An error about {@code key} of this section, located where the key (or the section) was written. */
    ConfigException error(String key, String problem) {
        String keyPath = keyPath(key);
        return new ConfigException(document.originOf(keyPath), keyPath, problem);
    }

    private JsonNode read(String key) {
        String keyPath = keyPath(key);
        document.markKnown(keyPath);
        return node.get(key);
    }

    private String keyPath(String key) {
        return ConfigDocument.child(path, key);
    }

    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static String describe(JsonNode value) {
        if (value.isNull()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "\"" + value.textValue() + "\"";
        }
        return value.asText();
    }
}
