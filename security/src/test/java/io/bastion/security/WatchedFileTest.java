package io.bastion.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedFileTest {
    @TempDir
    Path dir;

    /** Parses a file of whole numbers, one per line; anything else is broken. */
    private static List<Integer> numbers(Path path) throws IOException {
        try {
            return Files.readAllLines(path).stream().map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new IOException("not a number: " + e.getMessage(), e);
        }
    }

    @Test
    void changedFileIsReadAgainAndABrokenOneKeepsThePreviousContent() throws Exception {
        Path file = dir.resolve("numbers");
        Files.writeString(file, "1\n");
        WatchedFile<List<Integer>> watched = WatchedFile.load(file, "numbers file", WatchedFileTest::numbers);
        List<List<Integer>> seen = new CopyOnWriteArrayList<>();
        watched.onChange(seen::add);
        assertThat(watched.current()).containsExactly(1);
        assertThat(watched.refresh()).isFalse(); // unchanged

        Files.writeString(file, "1\n2\n");
        assertThat(watched.refresh()).isTrue();
        assertThat(watched.current()).containsExactly(1, 2);

        Files.writeString(file, "1\nzwei\n3\n");
        assertThat(watched.refresh()).isFalse();
        assertThat(watched.current()).containsExactly(1, 2);

        Files.delete(file);
        assertThat(watched.refresh()).isFalse();
        assertThat(watched.current()).containsExactly(1, 2);

        Files.writeString(file, "4\n");
        assertThat(watched.refresh()).isTrue();
        assertThat(watched.current()).containsExactly(4);
        assertThat(seen).containsExactly(List.of(1, 2), List.of(4));
    }

    @Test
    void directoryChangesWhenAFileIsAddedChangedOrRemoved() throws Exception {
        Files.writeString(dir.resolve("a"), "1\n");
        WatchedFile<Long> watched = WatchedFile.load(dir, "directory", d -> {
            try (var files = Files.list(d)) {
                return files.count();
            }
        });
        assertThat(watched.current()).isEqualTo(1);
        Files.writeString(dir.resolve("b"), "2\n");
        assertThat(watched.refresh()).isTrue();
        assertThat(watched.current()).isEqualTo(2);
        Files.writeString(dir.resolve("b"), "22\n");
        assertThat(watched.refresh()).isTrue();
        Files.delete(dir.resolve("a"));
        assertThat(watched.refresh()).isTrue();
        assertThat(watched.current()).isEqualTo(1);
    }

    @Test
    void pollingPicksUpAChange() throws Exception {
        Path file = dir.resolve("numbers");
        Files.writeString(file, "1\n");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (WatchedFile<List<Integer>> watched = WatchedFile.load(file, "numbers file", WatchedFileTest::numbers)) {
            watched.watch(timer, Duration.ofMillis(100));
            Files.writeString(file, "7\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> watched.current().equals(List.of(7)));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void missingFileFailsTheFirstLoad() {
        assertThatThrownBy(() -> WatchedFile.load(dir.resolve("nope"), "numbers file", WatchedFileTest::numbers))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aPollAppliesAnEditOnlyOnceItHasStoppedChanging() throws Exception {
        Path file = dir.resolve("numbers");
        Files.writeString(file, "1\n");
        List<List<Integer>> applied = new java.util.ArrayList<>();
        try (WatchedFile<List<Integer>> watched = WatchedFile.load(file, "numbers file", WatchedFileTest::numbers)) {
            watched.onChange(applied::add);
            Files.writeString(file, "2\n"); // caught half-written: valid, but not what the edit ends with
            assertThat(watched.poll()).isFalse();
            Files.writeString(file, "2\n3\n"); // still changing
            assertThat(watched.poll()).isFalse();
            assertThat(watched.poll())
                    .as("unchanged for a whole interval: applied")
                    .isTrue();
            assertThat(watched.poll()).isFalse();
            assertThat(applied).containsExactly(List.of(2, 3));
        }
    }
}
