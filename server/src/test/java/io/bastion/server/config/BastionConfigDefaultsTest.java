package io.bastion.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerSettings;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.TransportSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BastionConfigDefaultsTest {

    private static final BastionConfig EMBEDDED = new BastionConfig(
            List.of(ListenerSettings.defaultTcp()), BrokerSettings.defaults(), TransportSettings.defaults());

    @Test
    void defaultsAreTheEmbeddedDefaults() {
        assertThat(BastionConfig.defaults(Map.of())).isEqualTo(EMBEDDED);
    }

    @Test
    void defaultListenerIsPlainTcpOnLoopback() {
        assertThat(BastionConfig.defaults(Map.of()).listeners())
                .containsExactly(new ListenerSettings("tcp", "127.0.0.1", 1883));
    }

    @Test
    void defaultsAllowAnonymousClientsFromLoopbackOnly() {
        assertThat(BastionConfig.defaults(Map.of()).broker().anonymous())
                .isEqualTo(BrokerSettings.AnonymousAccess.LOOPBACK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "# only a comment\n", "---\n", "~\n"})
    void emptyDocumentMeansDefaults(String yaml) {
        assertThat(BastionConfig.fromYaml(yaml)).isEqualTo(EMBEDDED);
    }

    @Test
    void emptySectionsMeanDefaults() {
        String yaml = "limits:\nfeatures:\nsecurity: {}\nsys:\ntransport:\n";
        assertThat(BastionConfig.fromYaml(yaml)).isEqualTo(EMBEDDED);
    }

    @Test
    void variablesThatAreNotConfigKeysAreIgnored() {
        Map<String, String> env = Map.of(
                "BASTION_LOG_LEVEL", "debug",
                "BASTION_JAVA_OPTS", "-Xmx1g",
                "BASTION_CONFIG", "x.yaml",
                "BASTION_NO_BUILD", "1",
                "PATH", "/usr/bin",
                "bastion_limits__max_inflight", "lower case is not ours");
        assertThat(BastionConfig.defaults(env)).isEqualTo(EMBEDDED);
    }

    @Test
    void withersReplaceOneSection() {
        List<ListenerSettings> testListeners = List.of(new ListenerSettings("t", "127.0.0.1", 0));
        assertThat(EMBEDDED.withListeners(testListeners).listeners()).isEqualTo(testListeners);
        assertThat(EMBEDDED.withTransport(new TransportSettings(2, 2048, 1024))
                        .transport()
                        .ioThreads())
                .isEqualTo(2);
    }
}
