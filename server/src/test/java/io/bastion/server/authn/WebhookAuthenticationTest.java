package io.bastion.server.authn;

import static io.bastion.server.authn.Clients.connectV3;
import static io.bastion.server.authn.Clients.connectV5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bastion.security.authn.AuthenticationMetrics.Outcome;
import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import io.bastion.server.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code type: http} against a real HTTP server (the JDK's) answering as an EMQX auth service would. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebhookAuthenticationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static HttpServer http;
    static BastionServer server;
    static final List<String> bodies = new CopyOnWriteArrayList<>();
    static final List<String> authorizations = new CopyOnWriteArrayList<>();
    static final CountDownLatch releaseSlow = new CountDownLatch(1);

    /** Answers by the user name: the test's auth service. */
    static void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        bodies.add(body);
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        String user = exchange.getRequestHeaders().getFirst("Content-Type").startsWith("application/json")
                ? JSON.readTree(body).path("username").asText()
                : URLDecoder.decode(body.replaceAll(".*user=([^&]*).*", "$1"), StandardCharsets.UTF_8);
        int status = 200;
        String reply = "";
        switch (user) {
            case "alice" -> reply = "";
            case "json-allow" -> reply = "{\"result\": \"allow\", \"is_superuser\": false}";
            case "json-deny" -> reply = "{\"result\": \"deny\"}";
            case "json-ignore" -> reply = "{\"result\": \"ignore\"}";
            case "slow" -> {
                try {
                    releaseSlow.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            default -> status = 401;
        }
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @BeforeAll
    static void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/auth", WebhookAuthenticationTest::answer);
        http.setExecutor(Executors.newCachedThreadPool());
        http.start();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/auth";
        server = BastionServer.start(BastionConfig.fromYaml("""
                listeners:
                  - {name: json, port: 0}
                  - {name: form, port: 0}
                security:
                  anonymous: deny
                  authentication:
                    - type: http
                      url: %1$s
                      headers: {Authorization: Bearer hook-secret}
                      timeout: 500ms
                      cache_ttl: 1h
                      listeners: [json]
                    - type: http
                      url: %1$s
                      body_format: form
                      body: {user: "${username}", pass: "${password}", from: "${peerhost} ${protocol}"}
                      cache_ttl: 0
                      listeners: [form]
                """.formatted(url)));
    }

    @AfterAll
    static void stop() {
        releaseSlow.countDown();
        server.close();
        http.stop(0);
    }

    @Test
    void statusAndJsonResultDecide() throws Exception {
        int port = server.port("json");
        assertThat(connectV5(port, "c-alice", "alice", "pw")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(connectV5(port, "c-ja", "json-allow", "pw")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(connectV5(port, "c-jd", "json-deny", "pw"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(connectV3(port, "c-401", "mallory", "pw"))
                .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
        // ignore passes on; nobody else accepts the credentials
        assertThat(connectV5(port, "c-ji", "json-ignore", "pw"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(server.authentication().metrics().count("http[0]", Outcome.IGNORE))
                .isEqualTo(1);

        JsonNode sent = bodies.stream()
                .filter(b -> b.contains("c-alice"))
                .map(WebhookAuthenticationTest::json)
                .findFirst()
                .orElseThrow();
        assertThat(sent.get("clientid").asText()).isEqualTo("c-alice");
        assertThat(sent.get("username").asText()).isEqualTo("alice");
        assertThat(sent.get("password").asText()).isEqualTo("pw");
        assertThat(sent.get("peerhost").asText()).isEqualTo("127.0.0.1");
        assertThat(sent.get("protocol").asText()).isEqualTo("MQTT 5.0");
        assertThat(authorizations).contains("Bearer hook-secret");
    }

    @Test
    void answersAreCachedForTheSameRequest() {
        int port = server.port("json");
        assertThat(connectV5(port, "cached", "alice", "cache-pw")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(connectV5(port, "cached", "alice", "cache-pw")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(bodies.stream().filter(b -> b.contains("cache-pw"))).hasSize(1);
        assertThat(connectV5(port, "cached", "alice", "cache-pw2")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(bodies.stream().filter(b -> b.contains("cache-pw"))).hasSize(2);
    }

    @Test
    void formBodyWithConfiguredFieldsAndNoCache() {
        int port = server.port("form");
        assertThat(connectV3(port, "f1", "alice", "form pw&=")).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        assertThat(connectV3(port, "f1", "alice", "form pw&=")).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        assertThat(bodies)
                .filteredOn(b -> b.startsWith("user=alice&pass=form+pw%26%3D&from=127.0.0.1+MQTT+3.1.1"))
                .hasSize(2);
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeRefusesWithServerUnavailable() {
        long failures = server.authentication().metrics().count("http[0]", Outcome.DENY);
        assertThat(connectV5(server.port("json"), "slow", "slow", "pw"))
                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(connectV3(server.port("json"), "slow3", "slow", "pw3"))
                .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
        assertThat(server.authentication().metrics().count("http[0]", Outcome.DENY))
                .isEqualTo(failures + 2);
    }

    @Test
    void configErrors() {
        assertThatThrownBy(() -> BastionConfig.fromYaml("security: {authentication: [{type: http}]}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.authentication[0].url");
        assertThatThrownBy(() -> BastionConfig.fromYaml("security: {authentication: [{type: http, url: 'ftp://x/y'}]}"))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> BastionConfig.fromYaml(
                        "security: {authentication: [{type: http, url: 'http://x/y', body: {a: '${secret}'}}]}"))
                .hasMessageContaining("security.authentication[0].body")
                .hasMessageContaining("unknown placeholder ${secret}");
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
