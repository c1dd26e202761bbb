package io.bastion.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ACLs against a real broker and real clients: a Mosquitto acl_file, templates, wildcards, run-time changes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AclEndToEndTest {
    private static final String ACL = """
            # anonymous clients: nothing at all

            user admin
            topic readwrite #
            topic read $SYS/#

            user alice
            topic read public/#
            topic deny public/secret

            # every client: its own user tree, and its device topics by client id
            pattern readwrite users/%u/#
            pattern read devices/%c/commands
            pattern write devices/%c/events
            """;

    @TempDir
    Path dir;

    private BastionServer server;
    private SecurityClients clients;

    private void start(String acl, String extraSecurity) throws Exception {
        Path file = dir.resolve("acl");
        Files.writeString(file, acl);
        server = BastionServer.start(BastionConfig.fromYaml("listeners: [{name: tcp, port: 0}]\n"
                + "security:\n"
                + "  anonymous: allow\n"
                + extraSecurity
                + "  authorization:\n"
                + "    - type: acl_file\n"
                + "      path: " + file + "\n"));
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

    @ParameterizedTest(name = "alice subscribes {0}: granted {1}")
    @CsvSource({
        "users/alice/#, true",
        "users/alice/inbox, true",
        "devices/dev-1/commands, true",
        "public/news, true",
        "users/bob/#, false",
        "users/+/inbox, false",
        "users/#, false",
        "#, false",
        "+/alice/#, false",
        "$SYS/#, false",
        "$SYS/broker/uptime, false",
        "public/#, false", // public/secret is denied, so not every topic public/# matches is readable
        "public/+, false",
        "public/secret, false",
        "devices/dev-2/commands, false",
        "devices/+/commands, false",
        "devices/dev-1/events, false", // write only
        "$share/g/users/bob/#, false",
        "$share/g/users/alice/#, true",
    })
    void everyForbiddenFilterGetsSubAck0x87(String filter, boolean granted) throws Exception {
        start(ACL, "");
        var alice = clients.v5("dev-1", "alice");
        Mqtt5SubAckReasonCode code = alice.subscribe(filter, 1);
        assertThat(code)
                .as("[MQTT-3.9.3] SUBACK for %s", filter)
                .isEqualTo(granted ? Mqtt5SubAckReasonCode.GRANTED_QOS_1 : Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void v311SubscribersGetReturnCode0x80() throws Exception {
        start(ACL, "");
        Mqtt3BlockingClient alice = clients.v3("dev-1", "alice");
        List<Mqtt3SubAckReturnCode> codes;
        try {
            codes = alice.subscribeWith()
                    .addSubscription()
                    .topicFilter("users/alice/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("users/bob/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("#")
                    .qos(MqttQos.AT_MOST_ONCE)
                    .applySubscription()
                    .send()
                    .getReturnCodes();
        } catch (Mqtt3SubAckException e) {
            codes = e.getMqttMessage().getReturnCodes();
        }
        assertThat(codes)
                .containsExactly(
                        Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1,
                        Mqtt3SubAckReturnCode.FAILURE,
                        Mqtt3SubAckReturnCode.FAILURE);
    }

    @ParameterizedTest(name = "alice publishes {0}: allowed {1}")
    @CsvSource({
        "users/alice/status, true",
        "devices/dev-1/events, true",
        "devices/dev-1/events/extra, false",
        "users/bob/status, false",
        "devices/dev-2/events, false",
        "devices/dev-1/commands, false", // read only
        "public/news, false",
        "$SYS/broker/fake, false",
        "elsewhere, false",
    })
    void deniedQos1PublishGetsPubAck0x87(String topic, boolean allowed) throws Exception {
        start(ACL, "");
        var admin = clients.v5("watcher", "admin");
        assertThat(admin.subscribe("#", 1)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        var alice = clients.v5("dev-1", "alice");
        assertThat(alice.publishQos1(topic))
                .as("[MQTT-3.3.5-2] PUBACK for %s", topic)
                .isEqualTo(allowed ? Mqtt5PubAckReasonCode.SUCCESS : Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void deniedQos0PublishIsDroppedAndCounted() throws Exception {
        start(ACL, "");
        var admin = clients.v5("watcher", "admin");
        admin.subscribe("#", 0);
        var alice = clients.v5("dev-1", "alice");
        try (var received = admin.publishes()) {
            alice.publishQos0("users/bob/spoofed");
            alice.publishQos0("users/alice/real");
            // both come from one connection in order: the first to arrive shows the denied one never went out
            Optional<Mqtt5Publish> first = received.receive(20, TimeUnit.SECONDS);
            assertThat(first).map(SecurityClients::topicOf).contains("users/alice/real");
        }
        assertThat(server.broker().metrics().publishDenied.sum()).isEqualTo(1);
        assertThat(alice.client().getState().isConnected()).isTrue();
    }

    @Test
    void deniedPublishDisconnectSendsDisconnect0x87() throws Exception {
        start(ACL, "  denied_publish: disconnect\n");
        var alice = clients.v5("dev-1", "alice");
        alice.publishQos0("users/bob/spoofed");
        assertThat(alice.awaitDisconnect()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void anonymousClientsGetOnlyTheGlobalSection() throws Exception {
        start(ACL + "\n", "");
        var anonymous = clients.v5("anon-1", null);
        assertThat(anonymous.subscribe("users/+/x", 0)).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(anonymous.subscribe("devices/anon-1/commands", 0)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(anonymous.publishQos1("users//x")).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void editingTheAclFileNarrowsALiveConnection() throws Exception {
        String before = """
                user admin
                topic readwrite #
                user carol
                topic readwrite feed/#
                topic read control/#
                """;
        start(before, "");
        var admin = clients.v5("writer", "admin");
        var carol = clients.v5("carol-1", "carol");
        assertThat(carol.subscribe("feed/#", 1)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(carol.subscribe("control/x", 1)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(carol.publishQos1("feed/a")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

        Files.writeString(dir.resolve("acl"), """
                user admin
                topic readwrite #
                user carol
                topic read feed/a
                topic read control/#
                # narrowed: carol may no longer publish to feed, nor read all of it
                """);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> server.broker().metrics().subscriptionsRevoked.sum() == 1);

        // a narrowed rule takes effect on the next publish
        assertThat(carol.publishQos1("feed/a")).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        try (var received = carol.publishes()) {
            admin.publishQos1("feed/b"); // feed/# was removed: not delivered
            admin.publishQos1("control/x");
            Optional<Mqtt5Publish> first = received.receive(20, TimeUnit.SECONDS);
            assertThat(first).map(SecurityClients::topicOf).contains("control/x");
        }
        assertThat(carol.client().getState().isConnected()).isTrue();
    }

    @Test
    void aBrokenAclFileKeepsThePreviousRules() throws Exception {
        start("user carol\ntopic read control/#\n", "");
        var carol = clients.v5("carol-1", "carol");
        Files.writeString(dir.resolve("acl"), "user carol\ntopic read control/#\ntopik oops\n");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> server.security().metrics().aclReloadFailures.sum() == 1);
        assertThat(carol.subscribe("control/y", 0)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        // fixing it applies the new version
        Files.writeString(dir.resolve("acl"), "user carol\ntopic read other/#\n");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> server.security().metrics().aclReloads.sum() == 1);
        assertThat(carol.subscribe("control/z", 0)).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(carol.subscribe("other/z", 0)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
    }

    @Test
    void aStoredSessionIsRecheckedWhenItsClientReturns() throws Exception {
        start("user erin\ntopic read news/#\n", "");
        var erin = Mqtt5Client.builder()
                .identifier("erin-1")
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .simpleAuth()
                .username("erin")
                .applySimpleAuth()
                .buildBlocking();
        erin.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        erin.subscribeWith().topicFilter("news/#").send();
        erin.disconnect();
        Files.writeString(dir.resolve("acl"), "user erin\ntopic read news/local\n");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> server.security().metrics().aclReloads.sum() == 1);
        assertThat(server.broker().metrics().subscriptionsRevoked.sum())
                .as("offline: not yet")
                .isZero();

        var ack =
                erin.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        assertThat(ack.isSessionPresent()).isTrue();
        assertThat(server.broker().metrics().subscriptionsRevoked.sum()).isEqualTo(1);
        erin.disconnect();
    }

    @Test
    void yamlRulesScopedToAListener() throws Exception {
        server = BastionServer.start(BastionConfig.fromYaml("""
                listeners:
                  - {name: devices, port: 0}
                  - {name: backend, port: 0}
                security:
                  anonymous: allow
                  authorization:
                    - type: rules
                      listeners: [devices]
                      rules:
                        - action: publish
                          topics: ["telemetry/%c"]
                          max_qos: 1
                          retain: false
                        - action: subscribe
                          topics: ["commands/%c/#"]
                          max_qos: 1
                    - type: rules
                      listeners: [backend]
                      rules:
                        - topics: ["#"]
                          user: backend
                """));
        var devices = new SecurityClients(server.port("devices"));
        var backend = new SecurityClients(server.port("backend"));
        try (devices;
                backend) {
            var device = devices.v5("pump-7", null);
            assertThat(device.publishQos1("telemetry/pump-7")).isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
            assertThat(device.publishQos1("telemetry/pump-8")).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(device.subscribe("commands/pump-7/#", 1)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThat(device.subscribe("commands/pump-7/#", 2))
                    .as("QoS above the rule's max_qos is refused, not downgraded")
                    .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(device.subscribe("commands/+/#", 0)).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            // the backend's rule is for its own listener only
            assertThat(devices.v5("backend-on-devices", "backend").subscribe("#", 0))
                    .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(backend.v5("backend-1", "backend").subscribe("#", 0))
                    .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
            assertThat(backend.v5("pump-7", null).subscribe("commands/pump-7/#", 0))
                    .as("the devices' rules do not apply on the backend listener")
                    .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        }
    }
}
