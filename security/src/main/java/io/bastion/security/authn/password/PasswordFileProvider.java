package io.bastion.security.authn.password;

import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.broker.auth.ClientIdentity;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.WatchedFile;
import io.bastion.security.authn.AuthenticationProvider;
import io.bastion.security.authn.Verdict;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Users and passwords from a {@code mosquitto_passwd} file. A user the file does not know is passed on to the next
 * provider; a known user with a wrong or missing password is refused with 0x86. Hashes are checked on {@code
 * verifier} because PBKDF2 is deliberately slow and must not stall an event loop.
 */
public final class PasswordFileProvider implements AuthenticationProvider {
    private final WatchedFile<PasswordFile> file;
    private final Executor verifier;

    public PasswordFileProvider(WatchedFile<PasswordFile> file, Executor verifier) {
        this.file = file;
        this.verifier = verifier;
    }

    @Override
    public String type() {
        return "password_file";
    }

    @Override
    public CompletionStage<Verdict> authenticate(ClientCredentials credentials) {
        String user = credentials.username();
        if (user == null) {
            return CompletableFuture.completedFuture(Verdict.ignore("no user name"));
        }
        PasswordHash hash = file.current().hash(user);
        if (hash == null) {
            return CompletableFuture.completedFuture(Verdict.ignore("user " + user + " is not in " + file.path()));
        }
        byte[] password = credentials.password();
        if (password == null) {
            return CompletableFuture.completedFuture(
                    Verdict.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "user " + user + " sent no password"));
        }
        return CompletableFuture.supplyAsync(
                () -> hash.matches(password)
                        ? Verdict.allow(new AuthDecision(ReasonCode.SUCCESS, user, "password of user " + user))
                        : Verdict.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong password for user " + user),
                verifier);
    }

    /** The user is still in the file (a changed password does not end a session it already opened). */
    @Override
    public boolean stillValid(ClientIdentity client) {
        return client.identity() != null && file.current().hash(client.identity()) != null;
    }

    @Override
    public void close() {
        file.close();
    }
}
