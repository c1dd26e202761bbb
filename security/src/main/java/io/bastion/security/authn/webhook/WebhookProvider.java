package io.bastion.security.authn.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.authn.AuthenticationProvider;
import io.bastion.security.authn.Verdict;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks an HTTP service, the EMQX "HTTP AUTH" way: POSTs the configured fields; 200 allows (or the JSON body's
 * {@code {"result": "allow"|"deny"|"ignore"}} decides), any other status denies. Requests are asynchronous on a
 * pooled JDK {@link HttpClient}; a timeout or an unreachable service refuses with 0x88 Server unavailable (fail
 * closed). Answers are cached briefly, keyed by a hash of the request body, so a reconnect storm does not become a
 * request storm.
 */
public final class WebhookProvider implements AuthenticationProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CACHED = 10_000;

    private final URI url;
    private final WebhookRequest request;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Duration cacheTtl;
    private final HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Verdict verdict, long until) {}

    public WebhookProvider(
            URI url, WebhookRequest request, Map<String, String> headers, Duration timeout, Duration cacheTtl) {
        this.url = url;
        this.request = request;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.cacheTtl = cacheTtl;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public CompletionStage<Verdict> authenticate(ClientCredentials credentials) {
        String body = request.body(credentials);
        String key = cacheTtl.isZero() ? null : sha256(body);
        if (key != null) {
            Cached hit = cache.get(key);
            if (hit != null && hit.until() - System.nanoTime() > 0) {
                return CompletableFuture.completedFuture(hit.verdict());
            }
        }
        HttpRequest.Builder post = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", request.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(post::header);
        return http.sendAsync(post.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        return unavailable(error);
                    }
                    Verdict verdict = verdict(response, credentials);
                    remember(key, verdict);
                    return verdict;
                });
    }

    private Verdict verdict(HttpResponse<String> response, ClientCredentials credentials) {
        String who = "user " + credentials.username() + " (client " + credentials.clientId() + ")";
        if (response.statusCode() != 200) {
            return Verdict.deny(
                    ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    url + " answered HTTP " + response.statusCode() + " for " + who);
        }
        String result = result(response);
        return switch (result) {
            case "allow" ->
                Verdict.allow(new AuthDecision(ReasonCode.SUCCESS, credentials.username(), url + " allowed " + who));
            case "deny" -> Verdict.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD, url + " denied " + who);
            case "ignore" -> Verdict.ignore(url + " ignored " + who);
            default ->
                Verdict.deny(
                        ReasonCode.SERVER_UNAVAILABLE,
                        url + " answered an unknown result \"" + result + "\" for " + who);
        };
    }

    /** The JSON body's {@code result}; a body that is empty or not such JSON means allow (plain 200). */
    private static String result(HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return "allow";
        }
        try {
            JsonNode result = JSON.readTree(body).get("result");
            return result != null && result.isTextual() ? result.textValue() : "allow";
        } catch (IOException e) {
            return "allow";
        }
    }

    private Verdict unavailable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String why = cause instanceof HttpTimeoutException
                ? "no answer within " + timeout.toMillis() + " ms"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return Verdict.deny(ReasonCode.SERVER_UNAVAILABLE, url + " unreachable: " + why);
    }

    private void remember(String key, Verdict verdict) {
        if (key == null) {
            return;
        }
        long now = System.nanoTime();
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(c -> c.until() - now <= 0);
        }
        if (cache.size() < MAX_CACHED) {
            cache.put(key, new Cached(verdict, now + cacheTtl.toNanos()));
        }
    }

    private static String sha256(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        cache.clear(); // the HttpClient's threads end when it is collected (shutdown needs Java 21)
    }
}
