package io.bastion.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file (or a directory of files) read into memory and read again when it changes. Changes are found by polling
 * modification times and sizes, which works on every file system (inotify does not see edits through bind mounts
 * or network shares). A file that no longer parses keeps the previous content in use and is logged once per
 * change, so a half-written edit never locks everyone out.
 *
 * @param <T> the parsed content
 */
public final class WatchedFile<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchedFile.class);

    /** Reads the file; throws with a precise message (file, line) when it is broken. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(Path path) throws IOException;
    }

    private final Path path;
    private final String what;
    private final Parser<T> parser;
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
    private volatile T current;
    private String fingerprint;
    private final SettledChange<String> change = new SettledChange<>();

    private ScheduledFuture<?> poll;

    private WatchedFile(Path path, String what, Parser<T> parser, T initial, String fingerprint) {
        this.path = path;
        this.what = what;
        this.parser = parser;
        this.current = initial;
        this.fingerprint = fingerprint;
    }

    /**
     * Reads {@code path} for the first time.
     *
     * @param what names the file in log lines and errors, e.g. "password file"
     * @throws IOException when it is missing or broken: at start-up that is a configuration error
     */
    public static <T> WatchedFile<T> load(Path path, String what, Parser<T> parser) throws IOException {
        String fingerprint = fingerprint(path);
        return new WatchedFile<>(path, what, parser, parser.parse(path), fingerprint);
    }

    public Path path() {
        return path;
    }

    /** The content last read successfully. */
    public T current() {
        return current;
    }

    /** Called with the new content after each successful re-read (on the polling thread). */
    public void onChange(Consumer<T> listener) {
        listeners.add(listener);
    }

    /**
     * Polls every {@code interval} on {@code timer}; zero turns polling off. A change is applied after it has
     * stayed for one interval (see {@link #poll}), so within two intervals.
     */
    public synchronized void watch(ScheduledExecutorService timer, Duration interval) {
        if (interval.isZero() || poll != null) {
            return;
        }
        long millis = interval.toMillis();
        poll = timer.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Applies a change once the file has stayed the same for a whole interval (see {@link SettledChange}). */
    synchronized boolean poll() {
        String now = currentFingerprint();
        if (now.equals(fingerprint)) {
            change.reset();
            return false;
        }
        return change.settled(now) && refresh();
    }

    /** Reads the file again when it changed since the last read; returns whether new content is in use. */
    public synchronized boolean refresh() {
        String now = currentFingerprint();
        if (now.equals(fingerprint)) {
            return false;
        }
        fingerprint = now;
        T parsed;
        try {
            parsed = parser.parse(path);
        } catch (NoSuchFileException e) {
            log.error("{} {} is gone; the previous content stays in use", what, path);
            return false;
        } catch (IOException | RuntimeException e) {
            log.error("{} {} not reloaded, the previous content stays in use: {}", what, path, e.getMessage());
            return false;
        }
        current = parsed;
        log.info("{} {} reloaded", what, path);
        for (Consumer<T> listener : listeners) {
            listener.accept(parsed);
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (poll != null) {
            poll.cancel(false);
            poll = null;
        }
    }

    private String currentFingerprint() {
        try {
            return fingerprint(path);
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    /** Size and modification time of the file, or of every regular file in the directory. */
    private static String fingerprint(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return stamp(path, Files.readAttributes(path, BasicFileAttributes.class));
        }
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(path)) {
            for (Path file : files.sorted().toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                b.append(file.getFileName())
                        .append('=')
                        .append(stamp(file, attributes))
                        .append(';');
            }
        }
        return b.toString();
    }

    private static String stamp(Path path, BasicFileAttributes attributes) {
        return attributes.size() + "@" + attributes.lastModifiedTime().toInstant() + "/"
                + Objects.toString(attributes.fileKey(), path.toString());
    }
}
