package io.bastion.server.mosquitto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.server.config.BastionConfig;
import io.bastion.server.mosquitto.Finding.Severity;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.tls.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How mosquitto.conf files map to Bastion YAML, and how their problems are reported with file and line. */
class MosquittoMappingTest {
    @TempDir
    Path dir;

    private Path conf(String text) throws IOException {
        Path file = dir.resolve("mosquitto.conf");
        Files.writeString(file, text);
        return file;
    }

    private MosquittoMigration migrate(String text) throws IOException {
        return MosquittoMigration.of(conf(text));
    }

    private static List<String> messages(MosquittoMigration m, Severity severity) {
        return m.findings().stream()
                .filter(f -> f.severity() == severity)
                .map(Finding::toString)
                .toList();
    }

    @Test
    void severalListenersWithTheirOwnSettings() throws Exception {
        MosquittoMigration m = migrate("""
                # comment
                per_listener_settings true

                listener 1883 127.0.0.1
                allow_anonymous true

                listener 9001 127.0.0.1
                protocol websockets
                allow_anonymous true
                """);
        assertThat(m.findings()).isEmpty();
        assertThat(m.yaml())
                .contains("  - name: \"tcp-1883\"  # listener 1883 127.0.0.1 (mosquitto.conf:4)")
                .contains("    type: \"ws\"  # protocol websockets (mosquitto.conf:8)")
                .contains("    bind: \"127.0.0.1\"")
                .contains("    port: 9001")
                .contains("  anonymous: \"allow\"");
        BastionConfig config = m.toConfig(Map.of());
        assertThat(config.listeners())
                .extracting(ListenerSettings::name, ListenerSettings::type, ListenerSettings::port)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tcp-1883", ListenerSettings.Type.TCP, 1883),
                        org.assertj.core.groups.Tuple.tuple("ws-9001", ListenerSettings.Type.WS, 9001));
        assertThat(config.broker().anonymous().name()).isEqualTo("ALLOW");
    }

    @Test
    void theOldGlobalPortFormIsTheFirstListener() throws Exception {
        MosquittoMigration m = migrate("""
                listener 8884 127.0.0.1
                port 1884
                bind_address 127.0.0.1
                allow_anonymous false
                """);
        BastionConfig config = m.toConfig(Map.of());
        assertThat(config.listeners())
                .extracting(ListenerSettings::name, ListenerSettings::port)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tcp-1884", 1884),
                        org.assertj.core.groups.Tuple.tuple("tcp-8884", 8884));
        assertThat(config.listeners().get(0).bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.broker().anonymous().name()).isEqualTo("DENY");
    }

    @Test
    void withoutListenersItIsTheLocalOnlyMode() throws Exception {
        MosquittoMigration m = migrate("max_inflight_messages 5\n");
        BastionConfig config = m.toConfig(Map.of());
        assertThat(config.listeners()).containsExactly(ListenerSettings.defaultTcp());
        assertThat(config.broker().anonymous().name()).isEqualTo("LOOPBACK");
        assertThat(config.broker().maximumInflight()).isEqualTo(5);
    }

    @Test
    void aListenerWithoutAnAddressBindsEveryInterfaceAndAnonymousDefaultsToDeny() throws Exception {
        MosquittoMigration m = migrate("listener 1883\n");
        assertThat(m.yaml())
                .contains("bind: \"0.0.0.0\"  # no address: every IPv4 interface")
                .contains("anonymous: \"deny\"  # allow_anonymous defaults to false when a listener is configured");
        assertThat(m.toConfig(Map.of()).listeners().get(0).bindAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void limitsAndFeatures() throws Exception {
        MosquittoMigration m = migrate("""
                listener 1883 127.0.0.1
                max_connections 50
                max_qos 1
                max_topic_alias 4
                listener 1884 127.0.0.1
                max_connections 25
                max_inflight_messages 7
                max_queued_messages 0
                message_size_limit 10000
                max_keepalive 300
                retain_available false
                sys_interval 30
                persistent_client_expiration 2d
                """);
        assertThat(m.findings()).isEmpty();
        assertThat(m.yaml())
                .contains("max_packet_size: 11024  # message_size_limit 10000 (mosquitto.conf:9);"
                        + " Mosquitto limits the payload, Bastion the whole packet");
        var broker = m.toConfig(Map.of()).broker();
        assertThat(broker.maximumConnections()).isEqualTo(75);
        assertThat(broker.maximumQos()).isEqualTo(1);
        assertThat(broker.topicAliasMaximum()).isEqualTo(4);
        assertThat(broker.maximumInflight()).isEqualTo(7);
        assertThat(broker.maximumQueuedMessages()).isEqualTo(Integer.MAX_VALUE);
        assertThat(broker.maximumPacketSize()).isEqualTo(10_000 + BrokerMapping.PUBLISH_OVERHEAD);
        assertThat(broker.maximumKeepAlive()).isEqualTo(300);
        assertThat(broker.retainAvailable()).isFalse();
        assertThat(broker.sysInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(broker.maximumSessionExpiry()).isEqualTo(2 * 86_400);
    }

    @Test
    void theSmallerOfMaxPacketSizeAndTheMessageSizeLimitWins() throws Exception {
        assertThat(migrate("max_packet_size 2000\nmessage_size_limit 5000\n")
                        .toConfig(Map.of())
                        .broker()
                        .maximumPacketSize())
                .isEqualTo(2000);
        assertThat(migrate("max_packet_size 20000\nmessage_size_limit 5000\n")
                        .toConfig(Map.of())
                        .broker()
                        .maximumPacketSize())
                .isEqualTo(6024);
    }

    @Test
    void includeDirFilesAreReadInNameOrderWithTheirOwnLineNumbers() throws Exception {
        Path included = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(included.resolve("b.conf"), "\nautosave_interval 60\n");
        Files.writeString(included.resolve("a.conf"), "listener 1999 127.0.0.1\nallow_anonymous true\n");
        Files.writeString(included.resolve("ignored.txt"), "this is not read\n");
        MosquittoMigration m = migrate("include_dir " + included + "\nmax_keepalive 60\n");
        assertThat(m.toConfig(Map.of()).listeners().get(0).port()).isEqualTo(1999);
        assertThat(m.warnings())
                .extracting(Finding::toString)
                .containsExactly(included.resolve("b.conf") + " line 2: autosave_interval: ignored: Bastion's store"
                        + " writes every change as it happens (store.durability)");
    }

    @Test
    void harmlessOptionsWarnOnceWithTheirLineAndTheStartContinues() throws Exception {
        MosquittoMigration m = migrate("""
                listener 1883 127.0.0.1
                allow_anonymous true
                autosave_interval 1800
                log_dest file /var/log/mosquitto/mosquitto.log
                log_dest stdout
                log_type all
                pid_file /run/mosquitto.pid
                set_tcp_nodelay true
                """);
        Path file = dir.resolve("mosquitto.conf");
        assertThat(messages(m, Severity.WARNING))
                .containsExactly(
                        file + " line 3: autosave_interval: ignored: Bastion's store writes every change as it"
                                + " happens (store.durability)",
                        file + " line 4: log_dest: ignored: Bastion logs to standard output in its own format; choose"
                                + " the level with --log-level or BASTION_LOG_LEVEL",
                        file + " line 6: log_type: ignored: Bastion logs to standard output in its own format; choose"
                                + " the level with --log-level or BASTION_LOG_LEVEL",
                        file + " line 7: pid_file: ignored: Bastion writes no pid file; a service manager tracks its"
                                + " process");
        assertThat(m.isComplete()).isTrue();
        assertThat(m.toConfig(Map.of()).listeners()).hasSize(1);
        assertThat(m.yaml()).contains("#   mosquitto.conf:3: autosave_interval: ignored:");
    }

    @Test
    void securityAffectingOptionsStopTheStartNamingTheirLines() throws Exception {
        MosquittoMigration m = migrate("""
                listener 1883 127.0.0.1
                auth_plugin /usr/lib/mosquitto-go-auth.so
                auth_opt_backends files
                psk_file /etc/mosquitto/psk
                mount_point tenant-a/
                clientid_prefixes secure-
                listener 0 /run/mosquitto.sock
                """);
        assertThat(m.isComplete()).isFalse();
        Path file = dir.resolve("mosquitto.conf");
        assertThat(messages(m, Severity.UNSUPPORTED))
                .hasSize(6)
                .allMatch(s -> s.startsWith(file + " line "))
                .anyMatch(s -> s.startsWith(
                        file + " line 2: auth_plugin: not supported: Bastion cannot load Mosquitto" + " plugins"))
                .anyMatch(s -> s.startsWith(file + " line 3: auth_opt_backends: not supported"))
                .anyMatch(s -> s.startsWith(file + " line 4: psk_file: not supported: TLS pre-shared keys"))
                .anyMatch(s -> s.startsWith(file + " line 5: mount_point: not supported"))
                .anyMatch(s -> s.startsWith(file + " line 6: clientid_prefixes: not supported"))
                .anyMatch(s -> s.startsWith(file + " line 7: listener: not supported: Unix domain sockets"));
        assertThatThrownBy(() -> m.toConfig(Map.of()))
                .isInstanceOf(MosquittoConfigException.class)
                .hasMessageStartingWith("config error: " + file + " line 2: auth_plugin: not supported")
                .hasMessageContaining("config error: " + file + " line 6: clientid_prefixes");
        assertThat(m.yaml())
                .contains("#   mosquitto.conf:2: NOT MIGRATED, Bastion refuses to start with it: auth_plugin:");
    }

    @Test
    void badValuesAndUnknownOptionsAreInvalidWithTheirLine() throws Exception {
        MosquittoMigration m = migrate("""
                listener 70000
                listener 1883 127.0.0.1
                protocol http
                max_inflight_messages lots
                retain_available yes
                no_such_option 1
                require_certificate true
                persistent_client_expiration 3 days
                topic a/# out 1
                """);
        Path file = dir.resolve("mosquitto.conf");
        assertThat(messages(m, Severity.INVALID))
                .containsExactly(
                        file + " line 1: listener: must be between 0 and 65535 (got 70000)",
                        file + " line 3: protocol: must be one of mqtt, websockets (got \"http\")",
                        file + " line 4: max_inflight_messages: must be a whole number (got \"lots\")",
                        file + " line 5: retain_available: must be true or false (got \"yes\")",
                        file + " line 6: no_such_option: unknown Mosquitto option",
                        file + " line 7: require_certificate: is a TLS option, but this listener has no certfile",
                        file + " line 8: persistent_client_expiration: must be a number with a unit h, d, w, m or y,"
                                + " e.g. 2w (got \"3 days\")",
                        file + " line 9: topic: is a bridge option: it must follow a 'connection NAME' line");
    }

    @Test
    void aValueBastionRefusesIsReportedAtItsMosquittoLine() throws Exception {
        MosquittoMigration m = migrate("listener 1883 127.0.0.1\n\nsys_interval 100000\n");
        assertThat(m.isComplete()).isTrue();
        assertThatThrownBy(() -> m.toConfig(Map.of()))
                .isInstanceOf(MosquittoConfigException.class)
                .hasMessage("config error: " + dir.resolve("mosquitto.conf") + " line 3: sys.interval: must be 0 (off)"
                        + " or between 1s and 1d (got 100000)");
    }

    @Test
    void environmentOverridesApplyOnTop() throws Exception {
        MosquittoMigration m = migrate("listener 1883 127.0.0.1\nallow_anonymous true\n");
        BastionConfig config =
                m.toConfig(Map.of("BASTION_LISTENERS__0__PORT", "0", "BASTION_LIMITS__MAX_INFLIGHT", "3"));
        assertThat(config.listeners().get(0).port()).isZero();
        assertThat(config.broker().maximumInflight()).isEqualTo(3);
    }

    @Test
    void tlsListenerWithClientCertificates() throws Exception {
        MosquittoMigration m = migrate("""
                listener 8883 127.0.0.1
                certfile /etc/mosquitto/certs/server.crt
                keyfile /etc/mosquitto/certs/server.key
                cafile /etc/mosquitto/ca_certificates/ca.crt
                require_certificate true
                crlfile /etc/mosquitto/ca.crl
                tls_version tlsv1.2
                ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384
                allow_anonymous true
                """);
        assertThat(m.findings()).isEmpty();
        BastionConfig config = m.toConfig(Map.of());
        TlsSettings tls = config.listeners().get(0).tls();
        assertThat(config.listeners().get(0).name()).isEqualTo("tls-8883");
        assertThat(tls.certificate()).isEqualTo(Path.of("/etc/mosquitto/certs/server.crt"));
        assertThat(tls.privateKey()).isEqualTo(Path.of("/etc/mosquitto/certs/server.key"));
        assertThat(tls.caBundle()).isEqualTo(Path.of("/etc/mosquitto/ca_certificates/ca.crt"));
        assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.REQUIRED);
        assertThat(tls.crl()).isEqualTo(Path.of("/etc/mosquitto/ca.crl"));
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.ciphers())
                .containsExactly(
                        "TLS_AES_256_GCM_SHA384",
                        "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_AES_128_GCM_SHA256",
                        "ECDHE-RSA-AES128-GCM-SHA256",
                        "ECDHE-ECDSA-AES256-GCM-SHA384");
    }

    @Test
    void websocketsOverTlsAndACipherExpressionThatCannotBeMapped() throws Exception {
        MosquittoMigration m = migrate("""
                listener 8081 127.0.0.1
                protocol websockets
                certfile /etc/mosquitto/certs/server.crt
                keyfile /etc/mosquitto/certs/server.key
                ciphers HIGH:!aNULL:!MD5
                crlfile /etc/mosquitto/ca.crl
                """);
        assertThat(messages(m, Severity.WARNING))
                .extracting(s -> s.substring(s.indexOf(" line ")))
                .containsExactly(
                        " line 5: ciphers: ignored: an OpenSSL cipher expression cannot be mapped; Bastion uses its"
                                + " modern defaults (ECDHE with AES-GCM or ChaCha20-Poly1305); list suite names to"
                                + " choose others",
                        " line 6: crlfile: ignored: no client certificates are asked for (require_certificate false),"
                                + " so there is nothing to revoke");
        ListenerSettings wss = m.toConfig(Map.of()).listeners().get(0);
        assertThat(wss.type()).isEqualTo(ListenerSettings.Type.WSS);
        assertThat(wss.tls().clientAuth()).isEqualTo(TlsSettings.ClientAuth.NONE);
        assertThat(wss.tls().ciphers()).isEmpty();
    }

    @Test
    void requireCertificateNeedsACaAndCapathIsADirectoryOfThem() throws Exception {
        MosquittoMigration noCa = migrate("""
                listener 8883
                certfile s.crt
                keyfile s.key
                require_certificate true
                """);
        assertThat(messages(noCa, Severity.INVALID))
                .extracting(s -> s.substring(s.indexOf(" line ")))
                .containsExactly(
                        " line 4: require_certificate: client certificates need cafile (or capath) to verify them"
                                + " against");
        MosquittoMigration capath = migrate("""
                listener 8883
                certfile s.crt
                keyfile s.key
                capath /etc/ssl/certs
                require_certificate true
                """);
        assertThat(capath.findings()).isEmpty();
        assertThat(capath.toConfig(Map.of()).listeners().get(0).tls().caBundle())
                .isEqualTo(Path.of("/etc/ssl/certs"));
        MosquittoMigration both = migrate("""
                listener 8883
                certfile s.crt
                keyfile s.key
                cafile /etc/mosquitto/ca.crt
                capath /etc/ssl/certs
                require_certificate true
                """);
        assertThat(messages(both, Severity.WARNING))
                .extracting(s -> s.substring(s.indexOf(" line ")))
                .containsExactly(" line 5: capath: ignored: Bastion verifies client certificates against the cafile"
                        + " only; put the CA certificates of /etc/ssl/certs into it too if clients use them");
    }

    /** These keys belong to the security and store branches; here the text they are written as is checked. */
    @Test
    void passwordAclCertificateIdentityAndPersistenceAreWrittenForTheSecurityAndStoreSections() throws Exception {
        MosquittoMigration m = migrate("""
                per_listener_settings true
                persistence true
                persistence_location /var/lib/mosquitto/

                listener 1883 127.0.0.1
                allow_anonymous true
                acl_file /etc/mosquitto/acl

                listener 8883 0.0.0.0
                certfile /etc/mosquitto/certs/server.crt
                keyfile /etc/mosquitto/certs/server.key
                cafile /etc/mosquitto/ca.crt
                require_certificate true
                use_identity_as_username true
                acl_file /etc/mosquitto/acl

                listener 8884 0.0.0.0
                certfile /etc/mosquitto/certs/server.crt
                keyfile /etc/mosquitto/certs/server.key
                password_file /etc/mosquitto/passwd
                acl_file /etc/mosquitto/acl-8884

                listener 8885 0.0.0.0
                certfile /etc/mosquitto/certs/server.crt
                keyfile /etc/mosquitto/certs/server.key
                cafile /etc/mosquitto/ca.crt
                require_certificate true
                use_subject_as_username true
                """);
        assertThat(m.findings()).isEmpty();
        assertThat(m.yaml())
                .contains("""
                        security:
                          anonymous: "deny"  # anonymous clients only on the listeners of the anonymous entry
                          authentication:
                            - type: "x509"  # use_identity_as_username true (mosquitto.conf:14)
                              identity: "certificate"
                              listeners: ["tls-8883"]
                            - type: "x509"  # use_subject_as_username true (mosquitto.conf:28)
                              identity: "subject"
                              listeners: ["tls-8885"]
                            - type: "password_file"  # password_file /etc/mosquitto/passwd (mosquitto.conf:20)
                              path: "/etc/mosquitto/passwd"
                              listeners: ["tls-8884"]
                            - type: "anonymous"  # allow_anonymous true (mosquitto.conf:6)
                              listeners: ["tcp-1883"]
                          authorization:
                            - type: "acl_file"  # acl_file /etc/mosquitto/acl (mosquitto.conf:7)
                              path: "/etc/mosquitto/acl"
                              listeners: ["tcp-1883", "tls-8883"]
                            - type: "acl_file"  # acl_file /etc/mosquitto/acl-8884 (mosquitto.conf:21)
                              path: "/etc/mosquitto/acl-8884"
                              listeners: ["tls-8884"]
                        """)
                .contains("""
                        store:
                          path: "/var/lib/mosquitto/bastion"  # persistence_location /var/lib/mosquitto/ (mosquitto.conf:3);""")
                .contains("  durability: \"group_commit\"  # persistence true (mosquitto.conf:2);")
                .contains("      identity_as_username: true  # use_identity_as_username true (mosquitto.conf:14)")
                .contains("      client_auth: \"required\"  # require_certificate true (mosquitto.conf:13)");
    }

    @Test
    void globalSecuritySettingsWithoutPerListenerSettings() throws Exception {
        MosquittoMigration m = migrate("""
                password_file /etc/mosquitto/passwd
                listener 1883 127.0.0.1
                listener 8883 127.0.0.1
                acl_file /etc/mosquitto/acl
                allow_anonymous false
                persistence false
                """);
        assertThat(m.yaml())
                .contains("""
                        security:
                          anonymous: "deny"  # allow_anonymous false (mosquitto.conf:5)
                          authentication:
                            - type: "password_file"  # password_file /etc/mosquitto/passwd (mosquitto.conf:1)
                              path: "/etc/mosquitto/passwd"
                          authorization:
                            - type: "acl_file"  # acl_file /etc/mosquitto/acl (mosquitto.conf:4)
                              path: "/etc/mosquitto/acl"
                        """)
                .contains("store:\n  durability: \"memory\"  # persistence false (mosquitto.conf:6)");
    }

    @Test
    void bridgesAreValidatedThenRefusedAndPrintedAsCommentsWithoutPasswords() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "x");
        MosquittoMigration m = migrate("""
                listener 1883 127.0.0.1
                connection cloud
                address broker.example.com:8883
                topic sensors/# out 1 local/ remote/
                topic "" in 2 cmd/ devices/cmd/
                remote_username gateway
                remote_password s3cret
                remote_clientid gw-1
                bridge_cafile %s
                bridge_protocol_version mqttv311
                bridge_tls_version tlsv1.2
                cleansession false
                start_type automatic
                try_private true
                notifications true
                bridge_insecure false
                """.formatted(ca));
        Path file = dir.resolve("mosquitto.conf");
        assertThat(messages(m, Severity.INVALID)).isEmpty();
        assertThat(messages(m, Severity.UNSUPPORTED))
                .containsExactly(file + " line 2: connection: " + BridgeCheck.NOT_AVAILABLE);
        assertThat(m.yaml())
                .contains("# connection cloud  (mosquitto.conf:2)")
                .contains("#   topic sensors/# out 1 local/ remote/")
                .contains("#   remote_password ********")
                .doesNotContain("s3cret");
        assertThatThrownBy(() -> m.toConfig(Map.of()))
                .hasMessageContaining("line 2: connection: MQTT bridges are not available in Bastion yet");
    }

    @Test
    void badBridgeValuesAreReportedWithTheirLines() throws Exception {
        MosquittoMigration m = migrate("""
                connection a
                address broker.example.com:99999
                topic sensors/# sideways 1
                topic x/# out 3
                topic "" out 1
                topic a/#/b both 0
                remote_password nobody
                bridge_protocol_version mqttv6
                bridge_certfile /nowhere/c.crt
                start_type sometimes
                cleansession maybe
                connection b
                """);
        assertThat(messages(m, Severity.INVALID))
                .extracting(s -> s.substring(s.indexOf(" line ")))
                .contains(
                        " line 2: address: must be between 1 and 65535 (got 99999)",
                        " line 3: topic: direction must be in, out or both (got \"sideways\")",
                        " line 4: topic: must be between 0 and 2 (got 3)",
                        " line 5: topic: an empty pattern (\"\") needs a local or remote prefix",
                        " line 6: topic: \"a/#/b\" is not a valid topic filter",
                        " line 7: remote_password: needs remote_username in the same bridge",
                        " line 8: bridge_protocol_version: must be one of mqttv31, mqttv311, mqttv50 (got \"mqttv6\")",
                        " line 9: bridge_certfile: needs bridge_keyfile in the same bridge",
                        " line 10: start_type: must be one of automatic, lazy, once (got \"sometimes\")",
                        " line 11: cleansession: must be true or false (got \"maybe\")",
                        " line 12: connection: bridge 'b' has no 'address HOST[:PORT]' line",
                        " line 12: connection: bridge 'b' has no 'topic' line");
    }

    @Test
    void userIsRefusedOnlyWhenBastionRunsAsRootAndCouldNotDropPrivileges() throws Exception {
        MosquittoMigration m = migrate("listener 1883 127.0.0.1\nuser mosquitto-test-user\n");
        Severity expected = System.getProperty("user.name").equals("root") ? Severity.UNSUPPORTED : Severity.WARNING;
        assertThat(m.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(expected);
            assertThat(f.origin().line()).isEqualTo(2);
        });
    }

    @Test
    void securityOptionsBeforeTheFirstListenerWithPerListenerSettingsApplyToNoListener() throws Exception {
        MosquittoMigration m = migrate("""
                per_listener_settings true
                allow_anonymous true
                listener 1883 127.0.0.1
                check_retain_source false
                """);
        assertThat(messages(m, Severity.WARNING))
                .singleElement()
                .asString()
                .contains(" line 2: allow_anonymous: ignored: with per_listener_settings true it belongs to the"
                        + " default listener (port), which is not configured");
        assertThat(m.toConfig(Map.of()).broker().anonymous().name()).isEqualTo("DENY");
        assertThat(messages(migrate("check_retain_source true\n"), Severity.UNSUPPORTED))
                .singleElement()
                .asString()
                .contains(" line 1: check_retain_source: not supported");
    }

    /** Every option of the example mosquitto.conf shipped by Debian's mosquitto 2.0.11, and of its man page. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "acl_file address allow_anonymous allow_zero_length_clientid auth_plugin auto_id_prefix autosave_interval"
                        + " autosave_on_changes bind_interface bridge_alpn bridge_attempt_unsubscribe bridge_bind_address"
                        + " bridge_cafile bridge_capath bridge_certfile bridge_identity bridge_insecure bridge_keyfile"
                        + " bridge_max_packet_size bridge_outgoing_retain bridge_protocol_version bridge_psk cafile capath"
                        + " certfile check_retain_source ciphers ciphers_tls1.3 cleansession clientid_prefixes connection"
                        + " connection_messages crlfile dhparamfile http_dir idle_timeout keepalive_interval keyfile listener"
                        + " local_clientid log_dest log_facility log_timestamp log_timestamp_format log_type max_connections"
                        + " max_inflight_bytes max_inflight_messages max_keepalive max_packet_size max_qos max_queued_bytes"
                        + " max_queued_messages memory_limit message_size_limit mount_point notification_topic notifications"
                        + " password_file per_listener_settings persistence persistence_file persistence_location"
                        + " persistent_client_expiration pid_file protocol psk_file psk_hint queue_qos0_messages"
                        + " remote_clientid remote_password remote_username require_certificate restart_timeout"
                        + " retain_available round_robin set_tcp_nodelay socket_domain start_type sys_interval threshold topic"
                        + " try_private upgrade_outgoing_qos use_identity_as_username use_username_as_clientid user"
                        + " websockets_headers_size websockets_log_level",
                "use_subject_as_username plugin plugin_opt_anything auth_opt_anything tls_version tls_engine"
                        + " tls_engine_kpass_sha1 tls_keyform port bind_address max_topic_alias bridge_tls_version"
                        + " remote_clientid local_username local_password bridge_receive_maximum"
                        + " bridge_session_expiry_interval bridge_require_ocsp addresses local_cleansession"
                        + " notifications_local_only"
            })
    void everyMosquittoOptionIsKnown(String names) {
        for (String name : names.split(" ")) {
            assertThat(OptionCatalog.find(name)).as(name).isPresent();
        }
        assertThat(OptionCatalog.find("Listener"))
                .as("names are case-sensitive, as in Mosquitto")
                .isEmpty();
    }

    /** The /etc/mosquitto/mosquitto.conf that Debian installs. */
    @Test
    void theDebianDefaultConfiguration() throws Exception {
        Path confD = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("README"), "Any files placed in this directory with a .conf ending ...\n");
        MosquittoMigration m = migrate("""
                # Place your local configuration in /etc/mosquitto/conf.d/
                #
                # A full description of the configuration file is at
                # /usr/share/doc/mosquitto/examples/mosquitto.conf.example

                pid_file /run/mosquitto/mosquitto.pid

                persistence true
                persistence_location /var/lib/mosquitto/

                log_dest file /var/log/mosquitto/mosquitto.log

                include_dir %s
                """.formatted(confD));
        assertThat(messages(m, Severity.WARNING))
                .extracting(s -> s.substring(s.indexOf(" line ")))
                .containsExactly(
                        " line 6: pid_file: ignored: Bastion writes no pid file; a service manager tracks its process",
                        " line 11: log_dest: ignored: Bastion logs to standard output in its own format; choose the"
                                + " level with --log-level or BASTION_LOG_LEVEL");
        assertThat(m.isComplete()).isTrue();
        assertThat(m.yaml())
                .contains("# No listener in mosquitto.conf: Mosquitto's local-only mode")
                .contains(
                        "  anonymous: \"loopback\"  # Mosquitto's local-only mode: anonymous clients from this machine")
                .contains("  path: \"/var/lib/mosquitto/bastion\"")
                .contains("  durability: \"group_commit\"");
    }

    @Test
    void anUnreadableFileIsOneErrorLine() {
        assertThatThrownBy(() -> MosquittoMigration.of(dir.resolve("missing.conf")))
                .isInstanceOf(MosquittoConfigException.class)
                .hasMessage("config error: cannot read " + dir.resolve("missing.conf") + ": no such file");
    }
}
