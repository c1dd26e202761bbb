package io.bastion.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEM forms people bring, and one clear message per mistake, naming the file. */
class PemFilesTest {
    @TempDir
    static Path dir;

    static TestPki.Issued ca;
    static TestPki.Issued rsaServer;
    static TestPki.Issued ecDevice;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca(dir, "ca");
        rsaServer = TestPki.issue(dir, "server", ca, "localhost", true);
        ecDevice = TestPki.issue(dir, "device", ca, "acme:device-1", false);
    }

    private static Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsPkcs1RsaAndPkcs8EcKeys() throws Exception {
        assertThat(Files.readString(rsaServer.keyFile())).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(ecDevice.keyFile())).contains("BEGIN PRIVATE KEY");
        PrivateKey rsa = PemFiles.readPrivateKey(rsaServer.keyFile(), null, "key");
        PrivateKey ec = PemFiles.readPrivateKey(ecDevice.keyFile(), null, "key");
        PemFiles.checkKeyMatches(rsa, rsaServer.certificate(), rsaServer.keyFile(), rsaServer.certFile());
        PemFiles.checkKeyMatches(ec, ecDevice.certificate(), ecDevice.keyFile(), ecDevice.certFile());
    }

    @Test
    void readsPkcs8PlainAndEncrypted() throws Exception {
        Path plain = write("p8.key", TestPki.pkcs8(ecDevice.key()));
        assertThat(Files.readString(plain)).contains("BEGIN PRIVATE KEY");
        assertThat(PemFiles.readPrivateKey(plain, null, "key").getEncoded())
                .isEqualTo(ecDevice.key().getEncoded());

        Path encrypted = write("p8enc.key", TestPki.encryptedPkcs8(rsaServer.key(), "s3cret"));
        assertThat(Files.readString(encrypted)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(PemFiles.readPrivateKey(encrypted, "s3cret".toCharArray(), "key")
                        .getEncoded())
                .isEqualTo(rsaServer.key().getEncoded());
    }

    @Test
    void readsClassicOpensslEncryptedPemDes3AndAes() throws Exception {
        for (String algorithm : new String[] {"DES-EDE3-CBC", "AES-256-CBC"}) {
            Path file = write(algorithm + ".key", TestPki.legacyEncrypted(rsaServer.key(), algorithm, "pass phrase"));
            assertThat(Files.readString(file))
                    .contains("Proc-Type: 4,ENCRYPTED")
                    .contains(algorithm);
            assertThat(PemFiles.readPrivateKey(file, "pass phrase".toCharArray(), "key")
                            .getEncoded())
                    .isEqualTo(rsaServer.key().getEncoded());
        }
    }

    @Test
    void readsAKeyEncryptedByOpensslItself() throws Exception {
        Path out = dir.resolve("openssl-des3.key");
        Process p = new ProcessBuilder(
                        "openssl", "genrsa", "-des3", "-passout", "pass:hunter2", "-out", out.toString(), "2048")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(PemFiles.readPrivateKey(out, "hunter2".toCharArray(), "key").getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void readsASec1EcKeyMadeByOpenssl() throws Exception {
        Path out = dir.resolve("openssl-ec.key");
        Process p = new ProcessBuilder(
                        "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", out.toString())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(out)).contains("BEGIN EC PRIVATE KEY");
        assertThat(PemFiles.readPrivateKey(out, null, "key").getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void wrongPassphraseNamesTheFile() throws Exception {
        Path encrypted = write("wrong.key", TestPki.encryptedPkcs8(ecDevice.key(), "right"));
        assertThatThrownBy(() -> PemFiles.readPrivateKey(encrypted, "wrong".toCharArray(), "private key file"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(encrypted.toString())
                .hasMessageContaining("wrong passphrase");
        Path legacy = write("wrong-legacy.key", TestPki.legacyEncrypted(ecDevice.key(), "DES-EDE3-CBC", "right"));
        assertThatThrownBy(() -> PemFiles.readPrivateKey(legacy, "wrong".toCharArray(), "private key file"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(legacy.toString())
                .hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(encrypted, null, "private key file"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("is encrypted but no passphrase");
    }

    /** A CA directory (OpenSSL's -CApath, Mosquitto's capath): PEM files in name order, other files skipped. */
    @Test
    void readsEveryCaCertificateOfADirectory() throws Exception {
        Path cas = Files.createDirectory(dir.resolve("cas"));
        TestPki.Issued other = TestPki.ca(dir, "other-ca");
        Files.copy(ca.certFile(), cas.resolve("a-ca.pem"));
        Files.copy(other.certFile(), cas.resolve("b-ca.pem"));
        Files.createSymbolicLink(cas.resolve("9f8e7d6c.0"), cas.resolve("a-ca.pem")); // as c_rehash links
        Files.writeString(cas.resolve("README"), "not a certificate\n");
        assertThat(PemFiles.readAuthorities(cas, "CA file")).containsExactly(ca.certificate(), other.certificate());
        assertThat(PemFiles.readAuthorities(ca.certFile(), "CA file")).containsExactly(ca.certificate());
        Path empty = Files.createDirectory(dir.resolve("no-cas"));
        assertThatThrownBy(() -> PemFiles.readAuthorities(empty, "CA file"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessage("CA file directory " + empty + " contains no PEM certificate");
    }

    @Test
    void missingFilesAndGarbageAreNamed() throws Exception {
        Path missing = dir.resolve("nope.crt");
        assertThatThrownBy(() -> PemFiles.readCertificates(missing, "certificate file"))
                .hasMessage("certificate file " + missing + " does not exist");
        Path garbage = write("garbage.crt", "hello\n");
        assertThatThrownBy(() -> PemFiles.readCertificates(garbage, "certificate file"))
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("contains no certificate");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(rsaServer.certFile(), null, "private key file"))
                .hasMessageContaining(rsaServer.certFile().toString())
                .hasMessageContaining("contains no private key");
        assertThatThrownBy(() -> PemFiles.readCrls(garbage, "CRL file"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(garbage.toString());
    }

    @Test
    void keyNotMatchingTheCertificate() {
        assertThatThrownBy(() -> PemFiles.checkKeyMatches(
                        ecDevice.key(), rsaServer.certificate(), ecDevice.keyFile(), rsaServer.certFile()))
                .hasMessage("private key " + ecDevice.keyFile() + " does not match the certificate "
                        + rsaServer.certFile());
        KeyPair other = TestPki.ecKey();
        assertThatThrownBy(() -> PemFiles.checkKeyMatches(
                        other.getPrivate(), ecDevice.certificate(), ecDevice.keyFile(), ecDevice.certFile()))
                .hasMessageContaining("does not match");
    }

    @Test
    void serverTlsRefusesAMismatchedKeyAndStartsWithAnExpiredCertificate() throws Exception {
        Path otherKey = write("other.key", TestPki.pem(TestPki.rsaKey().getPrivate()));
        assertThatThrownBy(() -> ServerTls.load("tls", TlsSettings.of(rsaServer.certFile(), otherKey)))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(otherKey.toString())
                .hasMessageContaining("does not match");
        Instant now = Instant.now();
        TestPki.Issued expired = TestPki.issue(
                dir,
                "expired-server",
                ca,
                TestPki.rsaKey(),
                "localhost",
                true,
                now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)));
        assertThat(ServerTls.load("tls", TlsSettings.of(expired.certFile(), expired.keyFile())))
                .isNotNull();
        Path encrypted = write("server-enc.key", TestPki.encryptedPkcs8(rsaServer.key(), "pw"));
        assertThatThrownBy(() -> ServerTls.load(
                        "tls", TlsSettings.of(rsaServer.certFile(), encrypted).withKeyPassword("nope")))
                .hasMessageContaining(encrypted.toString())
                .hasMessageContaining("wrong passphrase");
        assertThat(ServerTls.load(
                        "tls", TlsSettings.of(rsaServer.certFile(), encrypted).withKeyPassword("pw")))
                .isNotNull();
    }
}
