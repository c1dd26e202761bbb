package io.bastion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PubCommandTest {

    @Test
    void readsLinesAsBytesWithoutLineEndings() throws IOException {
        InputStream in = new ByteArrayInputStream("one\r\ntwo\n\nthree".getBytes(StandardCharsets.UTF_8));
        assertThat(PubCommand.readLine(in)).asString().isEqualTo("one");
        assertThat(PubCommand.readLine(in)).asString().isEqualTo("two");
        assertThat(PubCommand.readLine(in)).isEmpty();
        assertThat(PubCommand.readLine(in)).asString().isEqualTo("three");
        assertThat(PubCommand.readLine(in)).isNull();
    }
}
