package io.bastion.security.authn;

import io.bastion.security.authn.scram.ScramMechanism;
import io.bastion.security.authn.webhook.WebhookRequest;
import io.bastion.security.authn.x509.X509Provider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The configuration of one link of the authentication chain ({@code security.authentication[]}).
 * {@link #listeners()} limits a provider to the clients of those listeners; empty means every listener.
 */
public sealed interface ProviderSettings {

    Set<String> listeners();

    /** {@code type: password_file}: a {@code mosquitto_passwd} file, re-read when it changes. */
    record PasswordFile(Path path, Duration reloadInterval, Set<String> listeners) implements ProviderSettings {}

    /** {@code type: anonymous}: clients without any credentials. */
    record Anonymous(Set<String> listeners) implements ProviderSettings {}

    /** {@code type: jwt}: Cloud IoT Core device JWTs verified against the device registry directory. */
    record Jwt(Path registry, Duration clockSkew, Duration reloadInterval, Set<String> listeners)
            implements ProviderSettings {}

    /** {@code type: x509}: clients with a certificate verified by a mutual-TLS listener. */
    record X509(X509Provider.Identity identity, boolean clientIdMustMatch, Set<String> listeners)
            implements ProviderSettings {}

    /**
     * {@code type: sas}: Azure SAS tokens verified with the devices' symmetric keys in the registry directory.
     *
     * @param hostname the IoT hub host name tokens must name; null accepts any
     */
    record Sas(Path registry, String hostname, Duration reloadInterval, Set<String> listeners)
            implements ProviderSettings {}

    /**
     * {@code type: http}: an EMQX-style HTTP authentication webhook.
     *
     * @param body field name to value with placeholders
     * @param cacheTtl how long an answer is reused for the same request; zero = not at all
     */
    record Http(
            URI url,
            Map<String, String> body,
            WebhookRequest.Format format,
            Map<String, String> headers,
            Duration timeout,
            Duration cacheTtl,
            Set<String> listeners)
            implements ProviderSettings {}

    /**
     * {@code type: scram}: MQTT 5 enhanced authentication with SCRAM, verifiers from a SCRAM credential file.
     *
     * @param mechanisms the methods offered, e.g. {@code SCRAM-SHA-256}
     */
    record Scram(Path path, Set<ScramMechanism> mechanisms, Duration reloadInterval, Set<String> listeners)
            implements ProviderSettings {}
}
