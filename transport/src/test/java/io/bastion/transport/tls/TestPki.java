package io.bastion.transport.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in the test with Bouncy Castle and written as the PEM files openssl would make. */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key, and where both are written. */
    public record Issued(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {}

    private TestPki() {}

    public static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA, written to {@code dir/<name>.crt} and {@code .key}. */
    public static Issued ca(Path dir, String name) throws Exception {
        KeyPair kp = ecKey();
        X500Name subject = new X500Name("CN=" + name + ",O=Bastion test");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                subject,
                kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate cert = sign(b, kp.getPrivate());
        return write(dir, name, cert, kp.getPrivate(), null);
    }

    /** A certificate issued by {@code ca}; {@code server} adds localhost / 127.0.0.1 names. */
    public static Issued issue(
            Path dir,
            String name,
            Issued ca,
            KeyPair kp,
            String cn,
            boolean server,
            Instant notBefore,
            Instant notAfter,
            GeneralName... alternativeNames)
            throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                ca.certificate(),
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name("CN=" + cn + ",O=Bastion test"),
                kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
        } else if (alternativeNames.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames));
        }
        X509Certificate cert = sign(b, ca.key());
        return write(dir, name, cert, kp.getPrivate(), null);
    }

    /** A certificate valid from an hour ago for 30 days. */
    public static Issued issue(Path dir, String name, Issued ca, String cn, boolean server, GeneralName... san)
            throws Exception {
        Instant now = Instant.now();
        return issue(
                dir,
                name,
                ca,
                server ? rsaKey() : ecKey(),
                cn,
                server,
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(30)),
                san);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        ContentSigner s = new JcaContentSignerBuilder(
                        signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA")
                .build(signer);
        return new JcaX509CertificateConverter().getCertificate(b.build(s));
    }

    private static Issued write(Path dir, String name, X509Certificate cert, PrivateKey key, Path keyFile)
            throws IOException {
        Path certFile = dir.resolve(name + ".crt");
        writeAtomically(certFile, pem(cert));
        Path kf = keyFile != null ? keyFile : dir.resolve(name + ".key");
        // PKCS#1 for RSA (openssl genrsa), PKCS#8 for EC (openssl genpkey)
        writeAtomically(kf, key.getAlgorithm().equals("RSA") ? pem(key) : pkcs8(key));
        return new Issued(cert, key, certFile, kf);
    }

    public static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

    /** The key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static String pkcs8(PrivateKey key) throws IOException {
        return pem(new JcaPKCS8Generator(key, null).generate());
    }

    /** The key as encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}), AES-256-CBC with PBKDF2. */
    public static String encryptedPkcs8(PrivateKey key, String passphrase) throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider())
                .setRandom(new SecureRandom())
                .setPassword(passphrase.toCharArray())
                .build();
        return pem(new JcaPKCS8Generator(key, encryptor).generate());
    }

    /** The classic OpenSSL encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}), e.g. "DES-EDE3-CBC" or "AES-256-CBC". */
    public static String legacyEncrypted(PrivateKey key, String algorithm, String passphrase) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(
                    key,
                    new JcePEMEncryptorBuilder(algorithm)
                            .setProvider(new BouncyCastleProvider())
                            .build(passphrase.toCharArray()));
        }
        return w.toString();
    }

    /** A CRL of {@code ca} revoking {@code revoked}, written (atomically) to {@code file}. */
    public static void crl(Issued ca, Path file, List<X509Certificate> revoked) throws Exception {
        Instant now = Instant.now();
        X509v2CRLBuilder b = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(now.minusSeconds(60)));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(now.minusSeconds(30)), CRLReason.keyCompromise);
        }
        ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key());
        writeAtomically(file, pem(new JcaX509CRLConverter().getCRL(b.build(s))));
    }

    public static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
