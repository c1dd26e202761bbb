package io.bastion.server.cli;

import static io.bastion.server.cli.MosquittoProcesses.ok;
import static io.bastion.server.cli.MosquittoProcesses.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.server.BastionServer;
import io.bastion.server.cli.MosquittoProcesses.Result;
import io.bastion.transport.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bastion serve --mosquitto-conf} end to end: real mosquitto.conf files, Debian's mosquitto_pub / mosquitto_sub
 * (and mosquitto_passwd), certificates made by openssl. What Mosquitto would allow must be allowed, what it would
 * refuse must be refused. Ports: each listener's port is overridden with {@code BASTION_LISTENERS__N__PORT=0}, the
 * same environment override path operators use.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoServeTest {
    static final String SERVER_KEY_PASS = "server pass phrase";

    @TempDir
    static Path pki;

    @TempDir
    Path dir;

    /** A CA, a server certificate for localhost with a DES3-encrypted key (openssl genrsa -des3), two devices. */
    @BeforeAll
    static void certificates() throws Exception {
        ok(pki, "sh", "-ec", """
                openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj '/CN=Test CA'
                openssl genrsa -des3 -passout 'pass:%1$s' -out server.key 2048
                openssl req -new -key server.key -passin 'pass:%1$s' -subj /CN=localhost -out server.csr
                echo 'subjectAltName=DNS:localhost,IP:127.0.0.1' > server.ext
                openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \\
                    -extfile server.ext -out server.crt
                for device in device-1 device-2; do
                    openssl req -new -newkey rsa:2048 -nodes -keyout $device.key -subj /CN=$device -out $device.csr
                    openssl x509 -req -in $device.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \\
                        -out $device.crt
                done
                """.formatted(SERVER_KEY_PASS));
    }

    private Path conf(String text) throws Exception {
        return Files.writeString(dir.resolve("mosquitto.conf"), text.replace("PKI", pki.toString()));
    }

    /** Every listener on a free port, through the environment override path. */
    private static Map<String, String> freePorts(int listeners, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        for (int i = 0; i < listeners; i++) {
            env.put("BASTION_LISTENERS__" + i + "__PORT", "0");
        }
        return env;
    }

    /** Loads the configuration exactly as {@code bastion serve --mosquitto-conf FILE} does, without a terminal. */
    private static BastionServer serve(Path conf, Map<String, String> env) {
        ServeCommand serve = new ServeCommand(env);
        serve.mosquittoConf = conf;
        return BastionServer.start(serve.loadConfig());
    }

    private static String port(BastionServer server, String listener) {
        return String.valueOf(server.port(listener));
    }

    /** {@code mosquitto_pub} or {@code mosquitto_sub} with {@code args}, against a listener on 127.0.0.1. */
    private static Result mosquitto(String tool, BastionServer server, String listener, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", port(server, listener)));
        command.addAll(List.of(args));
        return run(Path.of("."), command.toArray(String[]::new));
    }

    private static String succeeds(Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    @Test
    void severalListenersWithPerListenerSettingsAndAWebSocketListener() throws Exception {
        Path conf = conf("""
                per_listener_settings true
                autosave_interval 1800

                listener 1883 127.0.0.1
                allow_anonymous true
                max_connections 10

                listener 1884 127.0.0.1
                allow_anonymous true
                max_connections 100

                listener 9001 127.0.0.1
                protocol websockets
                allow_anonymous true
                max_connections 100
                max_connections 10
                """);
        try (BastionServer server = serve(conf, freePorts(3, Map.of()))) {
            assertThat(server.config().broker().maximumConnections()).isEqualTo(120);
            succeeds(mosquitto(
                    "mosquitto_pub", server, "tcp-1883", "-t", "plant/line-1", "-m", "from 1883", "-r", "-q", "1"));
            assertThat(succeeds(mosquitto(
                            "mosquitto_sub",
                            server,
                            "tcp-1884",
                            "-t",
                            "plant/#",
                            "-C",
                            "1",
                            "-W",
                            "10",
                            "-v",
                            "-V",
                            "mqttv5")))
                    .isEqualTo("plant/line-1 from 1883\n");
            CliHarness ws = new CliHarness();
            String url = "ws://127.0.0.1:" + port(server, "ws-9001") + "/mqtt";
            assertThat(ws.run("sub", "-L", url, "-t", "plant/line-1", "-C", "1", "-W", "10"))
                    .as(ws.err())
                    .isZero();
            assertThat(ws.out()).isEqualTo("from 1883\n");
        }
    }

    @Test
    void withoutAllowAnonymousEveryClientIsRefusedAsByMosquitto2() throws Exception {
        Path conf = conf("listener 1883 127.0.0.1\nlistener 1884 127.0.0.1\n");
        try (BastionServer server = serve(conf, freePorts(2, Map.of()))) {
            for (String version : List.of("mqttv311", "mqttv5")) {
                Result refused = mosquitto("mosquitto_pub", server, "tcp-1884", "-V", version, "-t", "a", "-m", "x");
                assertThat(refused.exitCode()).isNotZero();
                assertThat(refused.output().toLowerCase(Locale.ROOT)).contains("not authori");
            }
        }
    }

    @Test
    void theOldPortFormWithIncludeDir() throws Exception {
        Path included = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(included.resolve("anonymous.conf"), "allow_anonymous true\n");
        Path conf = conf("port 1883\nbind_address 127.0.0.1\ninclude_dir " + included + "\n");
        try (BastionServer server = serve(conf, freePorts(1, Map.of()))) {
            succeeds(mosquitto("mosquitto_pub", server, "tcp-1883", "-t", "old/form", "-m", "still works", "-r"));
            assertThat(succeeds(
                            mosquitto("mosquitto_sub", server, "tcp-1883", "-t", "old/form", "-C", "1", "-W", "10")))
                    .isEqualTo("still works\n");
        }
    }

    /** message_size_limit 100 becomes max_packet_size 1124: a 2000-byte message is refused, 100 bytes pass. */
    @Test
    void messageSizeLimitAndRetainAvailable() throws Exception {
        Path conf = conf("""
                listener 1883 127.0.0.1
                allow_anonymous true
                message_size_limit 100
                retain_available false
                """);
        try (BastionServer server = serve(conf, freePorts(1, Map.of()))) {
            // MQTT 5 clients learn the limit from CONNACK and do not send it; a 3.1.1 client has its connection closed
            Result tooLarge = mosquitto(
                    "mosquitto_pub",
                    server,
                    "tcp-1883",
                    "-V",
                    "mqttv311",
                    "-q",
                    "1",
                    "-t",
                    "big",
                    "-m",
                    "x".repeat(2000));
            assertThat(tooLarge.exitCode()).as(tooLarge.output()).isNotZero();
            // [MQTT-3.2.2-14]: MQTT 5 clients learn Retain Available 0 from CONNACK; a 3.1.1 client is disconnected
            Result retained = mosquitto(
                    "mosquitto_pub", server, "tcp-1883", "-V", "mqttv311", "-q", "1", "-r", "-t", "r", "-m", "x");
            assertThat(retained.exitCode()).as(retained.output()).isNotZero();
            Result nothingRetained = mosquitto("mosquitto_sub", server, "tcp-1883", "-t", "r", "-C", "1", "-W", "2");
            assertThat(nothingRetained.exitCode()).as(nothingRetained.output()).isEqualTo(ExitCodes.TIMEOUT);
            succeeds(mosquitto(
                    "mosquitto_pub",
                    server,
                    "tcp-1883",
                    "-V",
                    "mqttv5",
                    "-q",
                    "1",
                    "-t",
                    "small",
                    "-m",
                    "y".repeat(100)));
        }
    }

    /** mosquitto_pub / mosquitto_sub over TLS to localhost (the server certificate's name) with these options. */
    private static Result overTls(String tool, BastionServer server, String listener, List<String> tls, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                tool, "-h", "localhost", "-p", port(server, listener), "-V", "mqttv5", "--cafile", pki + "/ca.crt"));
        command.addAll(tls);
        command.addAll(List.of(args));
        return run(Path.of("."), command.toArray(String[]::new));
    }

    private static List<String> device(String name) {
        return List.of("--cert", pki + "/" + name + ".crt", "--key", pki + "/" + name + ".key");
    }

    /**
     * A TLS listener with require_certificate true and a server key encrypted with openssl genrsa -des3, whose
     * passphrase comes from BASTION_TLS_KEY_PASSWORD: a client with a certificate of the CA connects, one without
     * is refused in the handshake.
     */
    @Test
    void tlsListenerRequiringClientCertificatesWithAnEncryptedServerKey() throws Exception {
        Path conf = conf("""
                listener 8883 127.0.0.1
                cafile PKI/ca.crt
                certfile PKI/server.crt
                keyfile PKI/server.key
                require_certificate true
                tls_version tlsv1.2
                allow_anonymous true
                """);
        Map<String, String> env = freePorts(1, Map.of(KeyPassphrases.ENV, SERVER_KEY_PASS));
        try (BastionServer server = serve(conf, env)) {
            TlsSettings tls = server.listener("tls-8883").settings().tls();
            assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.REQUIRED);
            succeeds(overTls(
                    "mosquitto_pub",
                    server,
                    "tls-8883",
                    device("device-1"),
                    "-t",
                    "tls/t",
                    "-m",
                    "secure",
                    "-r",
                    "-q",
                    "1"));
            assertThat(succeeds(overTls(
                            "mosquitto_sub",
                            server,
                            "tls-8883",
                            device("device-2"),
                            "-t",
                            "tls/t",
                            "-C",
                            "1",
                            "-W",
                            "10")))
                    .isEqualTo("secure\n");
            Result noCert = overTls("mosquitto_pub", server, "tls-8883", List.of(), "-t", "tls/t", "-m", "x");
            assertThat(noCert.exitCode()).as(noCert.output()).isNotZero();
        }
    }

    /** capath: a directory of CA certificates, as c_rehash leaves it (a hash link and a README beside the file). */
    @Test
    void capathIsADirectoryOfCaCertificates() throws Exception {
        Path cas = Files.createDirectory(dir.resolve("cas"));
        Files.copy(pki.resolve("ca.crt"), cas.resolve("test-ca.pem"));
        Files.createSymbolicLink(cas.resolve("1a2b3c4d.0"), cas.resolve("test-ca.pem"));
        Files.writeString(cas.resolve("README"), "CA certificates for device clients\n");
        Path conf = conf("""
                listener 8883 127.0.0.1
                capath %s
                certfile PKI/server.crt
                keyfile PKI/server.key
                require_certificate true
                allow_anonymous true
                """.formatted(cas));
        try (BastionServer server = serve(conf, freePorts(1, Map.of(KeyPassphrases.ENV, SERVER_KEY_PASS)))) {
            succeeds(overTls("mosquitto_pub", server, "tls-8883", device("device-1"), "-t", "t", "-m", "x"));
            Result noCert = overTls("mosquitto_pub", server, "tls-8883", List.of(), "-t", "t", "-m", "x");
            assertThat(noCert.exitCode()).as(noCert.output()).isNotZero();
        }
    }

    // ---- These need the security branch (security.authentication / security.authorization): enabled at merge.

    private void passwd(Path file, String user, String password) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_passwd", "-b", file.toString(), user, password));
        if (!Files.exists(file)) {
            command.add(1, "-c");
        }
        ok(dir, command.toArray(String[]::new));
    }

    @Test
    void passwordFileFromMosquittoPasswdAndAnAclFileWithUserAndPatternLines() throws Exception {
        Path passwd = dir.resolve("passwd");
        passwd(passwd, "alice", "alice-secret");
        passwd(passwd, "bob", "bob-secret");
        passwd(passwd, "admin", "admin-secret");
        Path acl = Files.writeString(dir.resolve("acl"), """
                # everyone: their own subtree
                pattern readwrite users/%u/#

                user alice
                topic readwrite shared/alice-board
                topic read shared/notices

                user admin
                topic readwrite #
                """);
        Path conf = conf("listener 1883 127.0.0.1\npassword_file " + passwd + "\nacl_file " + acl + "\n");
        try (BastionServer server = serve(conf, freePorts(1, Map.of()))) {
            String l = "tcp-1883";
            String[] alice = {"-V", "mqttv5", "-u", "alice", "-P", "alice-secret"};
            String[] bob = {"-V", "mqttv5", "-u", "bob", "-P", "bob-secret"};
            String[] admin = {"-V", "mqttv5", "-u", "admin", "-P", "admin-secret"};
            // authentication as Mosquitto: the right password in; a wrong one, an unknown user, anonymous out
            succeeds(mosquitto("mosquitto_pub", server, l, with(alice, "-t", "users/alice/x", "-m", "a", "-r")));
            for (String[] credentials : List.of(
                    new String[] {"-u", "alice", "-P", "wrong"},
                    new String[] {"-u", "eve", "-P", "x"},
                    new String[0])) {
                Result refused = mosquitto("mosquitto_pub", server, l, with(credentials, "-t", "t", "-m", "x"));
                assertThat(refused.exitCode()).isNotZero();
                assertThat(refused.output().toLowerCase(Locale.ROOT))
                        .containsAnyOf("not authori", "bad user name or password");
            }
            // user lines: alice may write shared/alice-board; bob may not write shared/notices (not stored)
            succeeds(mosquitto(
                    "mosquitto_pub", server, l, with(alice, "-t", "shared/alice-board", "-m", "hi", "-r", "-q", "1")));
            mosquitto("mosquitto_pub", server, l, with(bob, "-t", "shared/notices", "-m", "forged", "-r", "-q", "1"));
            String[] once = {"-C", "1", "-W", "3"};
            assertThat(succeeds(
                            mosquitto("mosquitto_sub", server, l, with(admin, with(once, "-t", "shared/alice-board")))))
                    .isEqualTo("hi\n");
            assertThat(mosquitto("mosquitto_sub", server, l, with(admin, with(once, "-t", "shared/notices")))
                            .exitCode())
                    .as("bob's publish to a topic he has no right to must not be stored")
                    .isEqualTo(ExitCodes.TIMEOUT);
            // pattern lines: %u is the user name
            assertThat(succeeds(mosquitto("mosquitto_sub", server, l, with(alice, with(once, "-t", "users/alice/x")))))
                    .isEqualTo("a\n");
            Result foreign = mosquitto("mosquitto_sub", server, l, with(bob, with(once, "-t", "users/alice/x")));
            // Bastion refuses the subscription (SUBACK 0x87; mosquitto_sub then exits 0 saying so), Mosquitto
            // grants it and delivers nothing: either way bob never reads alice's topic
            assertThat(foreign.exitCode() != 0 || foreign.output().contains("denied"))
                    .as(foreign.output())
                    .isTrue();
            assertThat(foreign.output()).doesNotContain("a\n");
        }
    }

    @Test
    void perListenerSettingsWithClientCertificatesAndPasswordsOnTlsAndAnonymousOnLoopback() throws Exception {
        Path passwd = dir.resolve("passwd");
        passwd(passwd, "gateway", "gw-secret");
        Path acl = Files.writeString(dir.resolve("acl"), "pattern readwrite devices/%u/#\n");
        Path conf = conf("""
                per_listener_settings true

                listener 1883 127.0.0.1
                allow_anonymous true

                listener 8883 127.0.0.1
                cafile PKI/ca.crt
                certfile PKI/server.crt
                keyfile PKI/server.key
                require_certificate true
                password_file %1$s
                acl_file %2$s

                listener 8884 127.0.0.1
                cafile PKI/ca.crt
                certfile PKI/server.crt
                keyfile PKI/server.key
                require_certificate true
                use_identity_as_username true
                acl_file %2$s
                """.formatted(passwd, acl));
        try (BastionServer server = serve(conf, freePorts(3, Map.of(KeyPassphrases.ENV, SERVER_KEY_PASS)))) {
            List<String> cert = device("device-1");
            // 8883: a certificate and a password are both needed
            succeeds(overTls(
                    "mosquitto_pub",
                    server,
                    "tls-8883",
                    cert,
                    "-u",
                    "gateway",
                    "-P",
                    "gw-secret",
                    "-t",
                    "devices/gateway/state",
                    "-m",
                    "up",
                    "-r",
                    "-q",
                    "1"));
            assertThat(overTls("mosquitto_pub", server, "tls-8883", cert, "-t", "x", "-m", "x")
                            .exitCode())
                    .as("no user name on a listener without allow_anonymous")
                    .isNotZero();
            // 8884: the certificate's CN is the user name, so %u is device-1
            succeeds(overTls(
                    "mosquitto_pub",
                    server,
                    "tls-8884",
                    cert,
                    "-t",
                    "devices/device-1/state",
                    "-m",
                    "on",
                    "-r",
                    "-q",
                    "1"));
            Result otherDevice = overTls(
                    "mosquitto_sub", server, "tls-8884", cert, "-t", "devices/gateway/state", "-C", "1", "-W", "3");
            assertThat(otherDevice.output()).doesNotContain("up");
            // 1883: anonymous, and no ACL file on that listener
            assertThat(succeeds(mosquitto(
                            "mosquitto_sub",
                            server,
                            "tcp-1883",
                            "-t",
                            "devices/device-1/state",
                            "-C",
                            "1",
                            "-W",
                            "10")))
                    .isEqualTo("on\n");
        }
    }

    private static String[] with(String[] first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}
