package io.bastion.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into a {@link ConfigDocument}, remembering the line of every key. Jackson's tree model forgets
 * locations, so the tree is built here from the token stream; this also catches duplicate keys, which the tree model
 * would silently overwrite.
 */
final class YamlReader {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String sourceName;
    private ConfigDocument document = ConfigDocument.empty();

    private YamlReader(String sourceName) {
        this.sourceName = sourceName;
    }

    /** @param sourceName how errors name the source, e.g. the file name as the user gave it */
    static ConfigDocument read(String yaml, String sourceName) {
        return new YamlReader(sourceName).parse(yaml);
    }

    private ConfigDocument parse(String yaml) {
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return document; // an empty file means: all defaults
            }
            if (first != JsonToken.START_OBJECT) {
                if (first == JsonToken.VALUE_NULL) {
                    return document;
                }
                throw new ConfigException(
                        at(parser.currentTokenLocation()), "", "the configuration must be a mapping of sections");
            }
            ObjectNode root = NODES.objectNode();
            document = new ConfigDocument(root);
            readObjectFields(parser, root, "");
            if (parser.nextToken() != null) {
                throw new ConfigException(
                        at(parser.currentTokenLocation()), "", "only one YAML document is allowed in a config file");
            }
            return document;
        } catch (JacksonException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new ConfigException(sourceName, "", "cannot read: " + e.getMessage(), e);
        }
    }

    private JsonNode readValue(JsonParser parser, String path) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                readObjectFields(parser, object, path);
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    String elementPath = ConfigDocument.element(path, index++);
                    document.setOrigin(elementPath, at(parser.currentTokenLocation()));
                    array.add(readValue(parser, elementPath));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new ConfigException(at(parser.currentTokenLocation()), path, "unsupported YAML value");
        };
    }

    private void readObjectFields(JsonParser parser, ObjectNode object, String path) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            String keyPath = ConfigDocument.child(path, key);
            String origin = at(parser.currentTokenLocation());
            if (object.has(key)) {
                throw new ConfigException(origin, keyPath, "duplicate key");
            }
            document.setOrigin(keyPath, origin);
            parser.nextToken();
            object.set(key, readValue(parser, keyPath));
        }
    }

    private ConfigException syntaxError(JacksonException e) {
        String problem = firstLine(e.getOriginalMessage());
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        if (e.getCause() instanceof MarkedYAMLException yamlError) {
            if (yamlError.getProblem() != null) {
                problem = yamlError.getProblem();
            }
            if (yamlError.getProblemMark() != null) {
                line = yamlError.getProblemMark().getLine() + 1;
            }
        }
        String origin = line > 0 ? sourceName + " line " + line : sourceName;
        return new ConfigException(origin, "", "YAML syntax error: " + problem, e);
    }

    private String at(JsonLocation location) {
        return sourceName + " line " + location.getLineNr();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "invalid YAML";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }
}
