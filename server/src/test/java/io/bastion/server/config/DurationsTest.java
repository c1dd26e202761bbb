package io.bastion.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "0, PT0S",
        "15, PT15S",
        "250ms, PT0.25S",
        "250us, PT0.00025S",
        "10s, PT10S",
        "5m, PT5M",
        "2h, PT2H",
        "7d, PT168H",
        "' 10 s ', PT10S",
        "10S, PT10S"
    })
    void parses(String text, Duration expected) {
        assertThat(Durations.parse(text)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-1s", "1.5s", "10 sec", "1h30m", "ten", "99999999999999999999"})
    void rejects(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0s",
        "PT0.5S, 500ms",
        "PT90S, 90s",
        "PT5M, 5m",
        "PT1H, 1h",
        "PT48H, 2d",
        "PT1.5S, 1500ms",
        "PT0.00025S, 250us"
    })
    void formatsExactly(Duration duration, String expected) {
        assertThat(Durations.format(duration)).isEqualTo(expected);
    }
}
