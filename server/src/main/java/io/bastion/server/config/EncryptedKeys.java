package io.bastion.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells a passphrase-protected PEM private key (as {@code openssl genrsa -des3} makes) from a plain one. */
public final class EncryptedKeys {
    private EncryptedKeys() {}

    /** False also when the file cannot be read: loading the TLS files reports that, naming the file. */
    public static boolean isEncrypted(Path key) {
        try {
            String text = Files.readString(key, StandardCharsets.ISO_8859_1);
            return text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
