package io.bastion.server.cli;

import io.bastion.server.config.BastionConfig;
import io.bastion.server.config.EncryptedKeys;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.tls.TlsSettings;
import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passphrases of encrypted server keys that the configuration does not give ({@code key_password*}), as {@code bastion
 * serve} obtains them: from {@code BASTION_TLS_KEY_PASSWORD}, else from {@code --key-password-file}, else asked on the
 * terminal like Mosquitto (OpenSSL) does. Without any of them the start fails naming the key and the ways to give it.
 * One passphrase is asked once per key file, however many listeners use it. Passphrases are never logged.
 */
final class KeyPassphrases {
    static final String ENV = "BASTION_TLS_KEY_PASSWORD";

    /** Asks the operator; returns null when nobody can be asked (not a terminal). */
    interface Prompt {
        char[] ask(String question);
    }

    private final Map<String, String> env;
    private final Path file;
    private final Prompt prompt;
    private final Map<Path, String> known = new HashMap<>();

    KeyPassphrases(Map<String, String> env, Path file, Prompt prompt) {
        this.env = env;
        this.file = file;
        this.prompt = prompt;
    }

    BastionConfig apply(BastionConfig config) {
        List<ListenerSettings> listeners = new ArrayList<>();
        boolean changed = false;
        for (ListenerSettings listener : config.listeners()) {
            ListenerSettings l = listener;
            TlsSettings tls = l.tls();
            if (tls != null && tls.keyPassword() == null && EncryptedKeys.isEncrypted(tls.privateKey())) {
                String password = known.computeIfAbsent(tls.privateKey(), key -> obtain(listener.name(), key));
                l = new ListenerSettings(
                        l.name(),
                        l.bindAddress(),
                        l.port(),
                        l.type(),
                        tls.withKeyPassword(password),
                        l.webSocketPath(),
                        l.proxyProtocol(),
                        l.maxConnectionLifetime());
                changed = true;
            }
            listeners.add(l);
        }
        return changed ? config.withListeners(listeners) : config;
    }

    private String obtain(String listener, Path key) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        if (file != null) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CommandFailure(
                        ExitCodes.USAGE,
                        "--key-password-file " + file + " cannot be read ("
                                + e.getClass().getSimpleName() + ")");
            }
        }
        char[] answer = prompt == null ? null : prompt.ask("Enter PEM pass phrase for " + key + ": ");
        if (answer != null) {
            return new String(answer);
        }
        throw new CommandFailure(
                ExitCodes.USAGE,
                "the TLS key " + key + " of listener " + listener + " is encrypted and no passphrase is given: set"
                        + " key_password_env or key_password_file in the listener's tls section, or " + ENV
                        + ", or --key-password-file, or start bastion serve on a terminal to be asked");
    }

    /** The terminal, when there is one: since JDK 22 {@link System#console()} is not null without a terminal. */
    static Prompt terminal() {
        Console console = System.console();
        if (console == null || !isTerminal(console)) {
            return null;
        }
        return question -> console.readPassword("%s", question);
    }

    private static boolean isTerminal(Console console) {
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
