package io.bastion.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP admin API with a real HTTP client against a real broker with real MQTT clients. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminApiEndToEndTest {
    private static final String TOKEN = "test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private BastionServer server;
    private SecurityClients clients;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(String admin, String aclFile) throws Exception {
        StringBuilder yaml =
                new StringBuilder("listeners: [{name: tcp, port: 0}]\n" + "security:\n  anonymous: allow\n");
        if (aclFile != null) {
            Files.writeString(dir.resolve("acl"), aclFile);
            yaml.append("  authorization:\n    - type: acl_file\n      path: ")
                    .append(dir.resolve("acl"))
                    .append('\n');
        }
        yaml.append("admin:\n  enabled: true\n  port: 0\n").append(admin);
        server = BastionServer.start(BastionConfig.fromYaml(yaml.toString()));
        clients = new SecurityClients(server.port());
    }

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, TOKEN, body);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void requestsWithoutTheRightTokenGet401() throws Exception {
        start("  token: " + TOKEN + "\n", null);
        for (String token : new String[] {null, "wrong", TOKEN + "x", TOKEN.substring(1)}) {
            HttpResponse<String> r = call("GET", "/api/v1/clients", token, null);
            assertThat(r.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(json(r).get("error").asText()).contains("bearer token");
            assertThat(r.body()).doesNotContain(TOKEN);
        }
        // not even an unknown path reveals anything without the token
        assertThat(call("GET", "/nothing", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void listsClientsWithTheirIdentityAndKicksOneWithAdministrativeAction() throws Exception {
        start("  token: " + TOKEN + "\n", null);
        var alice = clients.v5("alice-phone", "alice");
        clients.v3("legacy-1", null);

        HttpResponse<String> list = call("GET", "/api/v1/clients", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode all = json(list);
        assertThat(all).hasSize(2);
        JsonNode first = all.get(0);
        assertThat(first.get("client_id").asText()).isEqualTo("alice-phone");
        assertThat(first.get("username").asText()).isEqualTo("alice");
        assertThat(first.get("identity").asText()).isEqualTo("alice");
        assertThat(first.get("listener").asText()).isEqualTo("tcp");
        assertThat(first.get("remote_address").asText()).isEqualTo("127.0.0.1");
        assertThat(first.get("protocol_version").asText()).contains("5");
        assertThat(first.get("connected_since").asText()).endsWith("Z");
        assertThat(all.get(1).get("client_id").asText()).isEqualTo("legacy-1");
        assertThat(all.get(1).get("username").isNull()).isTrue();

        assertThat(call("GET", "/api/v1/clients/alice-phone", null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> kick = call("DELETE", "/api/v1/clients/alice-phone", null);
        assertThat(kick.statusCode()).isEqualTo(200);
        assertThat(json(kick).get("reason_code").asInt()).isEqualTo(0x98);
        assertThat(alice.awaitDisconnect()).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION);

        HttpResponse<String> again = call("DELETE", "/api/v1/clients/alice-phone", null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).get("error").asText()).contains("alice-phone");
    }

    @Test
    void bansDisconnectAndRefuseUntilRemoved() throws Exception {
        start("  token: " + TOKEN + "\n", null);
        var mallory = clients.v5("m-1", "mallory");

        HttpResponse<String> added = call(
                "POST",
                "/api/v1/bans",
                "{\"kind\": \"user\", \"value\": \"mallory\", \"duration\": \"1h\", " + "\"reason\": \"abuse\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(json(added).get("clients_disconnected").asInt()).isEqualTo(1);
        assertThat(json(added).get("expires_at").asText()).endsWith("Z");
        assertThat(mallory.awaitDisconnect()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);

        assertThatThrownBy(() -> clients.v5("m-2", "mallory"))
                .isInstanceOfSatisfying(
                        Mqtt5ConnAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BANNED));
        assertThat(call("POST", "/api/v1/bans", "{\"kind\": \"address\", \"value\": \"10.9.0.0/16\"}")
                        .statusCode())
                .isEqualTo(201);
        JsonNode bans = json(call("GET", "/api/v1/bans", null));
        assertThat(bans).hasSize(2);
        assertThat(bans.get(0).get("kind").asText()).isEqualTo("address");
        assertThat(bans.get(0).get("expires_at").isNull()).isTrue();

        assertThat(call("DELETE", "/api/v1/bans/address/10.9.0.0%2F16", null).statusCode())
                .isEqualTo(204);
        assertThat(call("DELETE", "/api/v1/bans/user/mallory", null).statusCode())
                .isEqualTo(204);
        assertThat(call("DELETE", "/api/v1/bans/user/mallory", null).statusCode())
                .isEqualTo(404);
        assertThat(clients.v5("m-3", "mallory").client().getState().isConnected())
                .isTrue();
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception {
        start("  token: " + TOKEN + "\n", null);
        assertThat(call("POST", "/api/v1/bans", "{not json").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/bans", "").statusCode()).isEqualTo(400);
        HttpResponse<String> badKind = call("POST", "/api/v1/bans", "{\"kind\": \"planet\", \"value\": \"x\"}");
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(json(badKind).get("error").asText()).contains("kind must be");
        HttpResponse<String> badAddress = call("POST", "/api/v1/bans", "{\"kind\": \"address\", \"value\": \"host\"}");
        assertThat(badAddress.statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/bans", "{\"kind\": \"user\", \"value\": \"x\", \"duration\": \"soon\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(call("GET", "/api/v1/nothing", null).statusCode()).isEqualTo(404);
        assertThat(call("PUT", "/api/v1/clients", "{}").statusCode()).isEqualTo(405);
        assertThat(call("GET", "/api/v1/security/reload", null).statusCode()).isEqualTo(405);
    }

    @Test
    void reloadRereadsTheAclAndRemovesSubscriptionsNoLongerAllowed() throws Exception {
        start("  token: " + TOKEN + "\n", "user dave\ntopic read a/#\n");
        var dave = clients.v5("dave-1", "dave");
        assertThat(dave.subscribe("a/#", 0)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        Files.writeString(dir.resolve("acl"), "user dave\ntopic read a/b\n");
        HttpResponse<String> reload = call("POST", "/api/v1/security/reload", null);
        assertThat(reload.statusCode()).isEqualTo(200);
        JsonNode outcome = json(reload);
        assertThat(outcome.get("rules_changed").asBoolean()).isTrue();
        assertThat(outcome.get("clients_checked").asInt()).isEqualTo(1);
        // the poller may have beaten the reload to it; either way the subscription is gone
        assertThat(server.broker().metrics().subscriptionsRevoked.sum()).isEqualTo(1);
        assertThat(dave.subscribe("a/#", 0)).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);

        JsonNode metrics = json(call("GET", "/api/v1/security/metrics", null));
        assertThat(metrics.get("subscriptions_revoked").asLong()).isEqualTo(1);
        assertThat(metrics.get("subscribe_denied").asLong()).isEqualTo(1);
        assertThat(metrics.get("acl_reloads").asLong()).isBetween(1L, 2L); // the poller may have re-read it too
    }

    @Test
    void withoutATokenOneIsGeneratedIntoAnOwnerOnlyFile() throws Exception {
        Path tokenFile = dir.resolve("data/admin.token");
        start("  token_file: " + tokenFile + "\n", null);
        assertThat(tokenFile).exists();
        assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String generated = Files.readString(tokenFile).strip();
        assertThat(generated).hasSizeGreaterThanOrEqualTo(40);
        assertThat(call("GET", "/api/v1/clients", generated, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/clients", "nope", null).statusCode()).isEqualTo(401);

        // a restart reads the same file instead of making a new token
        server.close();
        server = null;
        start("  token_file: " + tokenFile + "\n", null);
        assertThat(call("GET", "/api/v1/clients", generated, null).statusCode()).isEqualTo(200);
    }
}
