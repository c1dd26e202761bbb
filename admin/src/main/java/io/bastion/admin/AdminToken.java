package io.bastion.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token the admin API requires: configured, read from the token file, or generated into that file
 * (readable by the owner only) on first start. Its value is never logged; comparison takes the same time whatever
 * the presented token, so timing reveals nothing about it.
 */
public final class AdminToken {
    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
    private static final int GENERATED_BYTES = 32;

    private final byte[] expected;

    private AdminToken(String token) {
        this.expected = sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    public static AdminToken of(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be empty");
        }
        return new AdminToken(token);
    }

    /** The configured token, else the token file's content, else a new token written to the token file. */
    public static AdminToken load(AdminSettings settings) {
        if (settings.token() != null) {
            return of(settings.token());
        }
        Path file = settings.tokenFile();
        try {
            if (Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    throw new AdminStartException("admin token file " + file + " is empty", null);
                }
                log.info("admin API token read from {}", file);
                return new AdminToken(token);
            }
            String token = generate();
            write(file, token);
            log.info("admin API token generated into {} (readable by this user only)", file.toAbsolutePath());
            return new AdminToken(token);
        } catch (IOException e) {
            throw new AdminStartException("cannot read or create the admin token file " + file + ": " + e, e);
        }
    }

    private static String generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Creates the file with mode 0600 from the start, so the token is never readable by others, not even briefly. */
    private static void write(Path file, String token) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        } catch (FileAlreadyExistsException e) {
            throw new IOException("it appeared while the token was being generated; start again", e);
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header value is {@code Bearer <this token>}. */
    public boolean matches(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        // digests first: equal lengths, so not even the token's length shows in the comparison time
        return MessageDigest.isEqual(expected, sha256(presented));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
