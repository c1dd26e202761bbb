package io.bastion.server.mosquitto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the option lines of a {@code mosquitto.conf} in the order Mosquitto applies them: {@code include_dir} is
 * replaced by the {@code *.conf} files of that directory, sorted by name, read in place.
 */
final class MosquittoConfReader {
    /** Mosquitto itself allows nesting; a loop of includes must still end. */
    private static final int MAX_INCLUDE_DEPTH = 8;

    private final List<Directive> directives = new ArrayList<>();

    private MosquittoConfReader() {}

    static List<Directive> read(Path file) {
        MosquittoConfReader reader = new MosquittoConfReader();
        reader.readFile(file, null, 0);
        return List.copyOf(reader.directives);
    }

    private void readFile(Path file, Origin includedFrom, int depth) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MosquittoConfigException(includedFrom, "cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new MosquittoConfigException(includedFrom, "cannot read " + file + ": permission denied");
        } catch (IOException e) {
            String reason = Files.isDirectory(file) ? "it is a directory" : "not UTF-8 text or unreadable";
            throw new MosquittoConfigException(includedFrom, "cannot read " + file + ": " + reason);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Origin origin = new Origin(file, i + 1);
            String[] parts = line.split("\\s+", 2);
            Directive directive = new Directive(parts[0], parts.length > 1 ? parts[1].strip() : "", origin);
            if (directive.name().equals("include_dir")) {
                include(directive, depth);
            } else {
                directives.add(directive);
            }
        }
    }

    private void include(Directive directive, int depth) {
        if (directive.value().isEmpty()) {
            throw new MosquittoConfigException(directive.origin(), "include_dir needs a directory");
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new MosquittoConfigException(
                    directive.origin(), "include_dir nested more than " + MAX_INCLUDE_DEPTH + " deep (a loop?)");
        }
        Path dir = Path.of(directive.value()); // like Mosquitto: relative to the working directory
        if (!Files.isDirectory(dir)) {
            throw new MosquittoConfigException(directive.origin(), "include_dir " + dir + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries.filter(p -> p.getFileName().toString().endsWith(".conf"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new MosquittoConfigException(directive.origin(), "include_dir " + dir + " cannot be listed: " + e);
        }
        for (Path file : files) {
            readFile(file, directive.origin(), depth + 1);
        }
    }
}
