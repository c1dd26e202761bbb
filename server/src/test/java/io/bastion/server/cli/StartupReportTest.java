package io.bastion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.MqttServer.BoundListener;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupReportTest {

    private static BoundListener bound(String name, String bind, int port) {
        return new BoundListener(new ListenerSettings(name, bind, 0), new InetSocketAddress(port));
    }

    @Test
    void saysWhatListensWhereAndHowItIsSecured() {
        List<String> lines = StartupReport.listening(
                "0.1.0", List.of(bound("tcp", "127.0.0.1", 1883), bound("lan", "::", 1884)), AnonymousAccess.LOOPBACK);
        assertThat(lines)
                .containsExactly(
                        "bastion 0.1.0 listening on mqtt://127.0.0.1:1883 (listener tcp, plain TCP, anonymous clients"
                                + " from loopback only)",
                        "bastion 0.1.0 listening on mqtt://[::]:1884 (listener lan, plain TCP, anonymous clients from"
                                + " loopback only)");
    }

    @Test
    void describesEveryAnonymousMode() {
        assertThat(StartupReport.describe(AnonymousAccess.ALLOW)).isEqualTo("anonymous clients allowed");
        assertThat(StartupReport.describe(AnonymousAccess.DENY)).isEqualTo("anonymous clients refused");
    }

    @Test
    void warnsWhenAnonymousClientsAreAllowedFromTheNetwork() {
        List<BoundListener> listeners = List.of(
                bound("local", "127.0.0.1", 1883),
                bound("v6local", "::1", 1884),
                bound("name", "localhost", 1885),
                bound("all", "0.0.0.0", 1886),
                bound("lan", "192.168.1.10", 1887));
        assertThat(StartupReport.warnings(listeners, AnonymousAccess.ALLOW))
                .hasSize(2)
                .allSatisfy(w -> assertThat(w).contains("accepts anonymous clients from the network"))
                .anySatisfy(w -> assertThat(w).startsWith("listener all on 0.0.0.0:1886"))
                .anySatisfy(w -> assertThat(w).startsWith("listener lan on 192.168.1.10:1887"));
    }

    @Test
    void noWarningWhenAnonymousAccessIsLimited() {
        List<BoundListener> listeners = List.of(bound("all", "0.0.0.0", 1883));
        assertThat(StartupReport.warnings(listeners, AnonymousAccess.LOOPBACK)).isEmpty();
        assertThat(StartupReport.warnings(listeners, AnonymousAccess.DENY)).isEmpty();
    }
}
