package io.bastion.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads the PEM files people make with openssl: certificate chains, private keys (PKCS#1, PKCS#8,
 * SEC1 EC; encrypted PKCS#8 and the classic {@code Proc-Type: 4,ENCRYPTED} DES3/AES form) and CRLs
 * (PEM or DER). Every failure is a {@link TlsConfigException} naming the file.
 */
public final class PemFiles {
    /** Bouncy Castle as an unregistered provider instance: used for decryption only, never installed. */
    private static final Provider BC = new BouncyCastleProvider();

    private PemFiles() {}

    /**
     * CA certificates from a PEM file, or from every PEM file of a directory (like OpenSSL's {@code -CApath} and
     * Mosquitto's {@code capath}, read in name order; files without a certificate, such as a README, are skipped).
     */
    public static List<X509Certificate> readAuthorities(Path fileOrDirectory, String what) {
        if (!Files.isDirectory(fileOrDirectory)) {
            return readCertificates(fileOrDirectory, what);
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(fileOrDirectory)) {
            files = entries.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new TlsConfigException(what + " directory " + fileOrDirectory + " cannot be listed: " + e, e);
        }
        Set<X509Certificate> authorities = new LinkedHashSet<>(); // c_rehash links name a file twice
        for (Path file : files) {
            if (readText(file, what).contains("-----BEGIN CERTIFICATE-----")) {
                authorities.addAll(readCertificates(file, what));
            }
        }
        if (authorities.isEmpty()) {
            throw new TlsConfigException(what + " directory " + fileOrDirectory + " contains no PEM certificate");
        }
        return List.copyOf(authorities);
    }

    /** The certificates in a PEM file, in file order (a chain: leaf first). */
    public static List<X509Certificate> readCertificates(Path file, String what) {
        String text = readText(file, what);
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsConfigException(
                    what + " " + file + " is not a valid PEM certificate file: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigException(
                    what + " " + file + " contains no certificate (expected '-----BEGIN CERTIFICATE-----')");
        }
        return certificates;
    }

    /**
     * The private key in a PEM file; {@code password} decrypts an encrypted one and may be null for
     * a plain key.
     */
    public static PrivateKey readPrivateKey(Path file, char[] password, String what) {
        String text = readText(file, what);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 may omit the public key
                } else if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (o instanceof PEMEncryptedKeyPair encrypted) {
                    requirePassword(file, password, what);
                    PEMKeyPair decrypted;
                    try {
                        decrypted = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                                .setProvider(BC)
                                .build(password));
                    } catch (IOException e) {
                        throw wrongPassword(file, what, e);
                    }
                    return converter.getPrivateKey(decrypted.getPrivateKeyInfo());
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    requirePassword(file, password, what);
                    PrivateKeyInfo decrypted;
                    try {
                        decrypted = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                .setProvider(BC)
                                .build(password));
                    } catch (PKCSException | OperatorCreationException e) {
                        throw wrongPassword(file, what, e);
                    }
                    return converter.getPrivateKey(decrypted);
                } else if (!(o instanceof ASN1ObjectIdentifier || o instanceof X509CertificateHolder)) {
                    throw new TlsConfigException(
                            what + " " + file + " holds a " + o.getClass().getSimpleName() + ", not a private key");
                }
            }
        } catch (TlsConfigException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigException(what + " " + file + " is not a valid PEM private key: " + e.getMessage(), e);
        }
        throw new TlsConfigException(
                what + " " + file + " contains no private key (expected '-----BEGIN ... PRIVATE KEY-----')");
    }

    private static void requirePassword(Path file, char[] password, String what) {
        if (password == null || password.length == 0) {
            throw new TlsConfigException(what + " " + file + " is encrypted but no passphrase is configured");
        }
    }

    private static TlsConfigException wrongPassword(Path file, String what, Exception e) {
        return new TlsConfigException(
                what + " " + file + " cannot be decrypted: wrong passphrase (or a damaged key file)", e);
    }

    /** The CRLs in a PEM or DER file. */
    public static List<X509CRL> readCrls(Path file, String what) {
        byte[] bytes = readBytes(file, what);
        try {
            List<X509CRL> crls = new ArrayList<>();
            for (var crl : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes))) {
                crls.add((X509CRL) crl);
            }
            if (crls.isEmpty()) {
                throw new TlsConfigException(what + " " + file + " contains no CRL");
            }
            return crls;
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof TlsConfigException t) {
                throw t;
            }
            throw new TlsConfigException(what + " " + file + " is not a valid CRL (PEM or DER): " + e.getMessage(), e);
        }
    }

    /** Fails unless {@code key} is the private half of {@code certificate}'s public key. */
    public static void checkKeyMatches(PrivateKey key, X509Certificate certificate, Path keyFile, Path certFile) {
        PublicKey pub = certificate.getPublicKey();
        boolean matches;
        if (key instanceof RSAPrivateCrtKey rsa && pub instanceof RSAPublicKey rsaPub) {
            matches = rsa.getModulus().equals(rsaPub.getModulus());
        } else if (!key.getAlgorithm().equals(pub.getAlgorithm())
                && !(key.getAlgorithm().startsWith("EC") && pub.getAlgorithm().startsWith("EC"))) {
            matches = false;
        } else {
            matches = signsFor(key, pub);
        }
        if (!matches) {
            throw new TlsConfigException("private key " + keyFile + " does not match the certificate " + certFile);
        }
    }

    private static boolean signsFor(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        try {
            byte[] probe = "bastion key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String readText(Path file, String what) {
        return new String(readBytes(file, what), StandardCharsets.US_ASCII);
    }

    private static byte[] readBytes(Path file, String what) {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsConfigException(what + " " + file + " is a directory, not a file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(what + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsConfigException(what + " " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new TlsConfigException(what + " " + file + " cannot be read: " + e, e);
        }
    }
}
