package io.bastion.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: the store lives on a real 8 MB tmpfs that the test fills. Needs root for {@code mount} (CI runs as
 * root, as on the build machines); the tmpfs is unmounted afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskFullTest {
    @TempDir
    Path dir;

    private Path disk;
    private BastionServer server;

    @BeforeEach
    void mount() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            run("umount", disk.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** Fills the file system until only {@code leaveBytes} are free. */
    private Path fill(long leaveBytes) throws IOException {
        Path filler = disk.resolve("filler");
        long free = Files.getFileStore(disk).getUsableSpace();
        try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
            byte[] block = new byte[64 * 1024];
            long target = Math.max(0, free - leaveBytes);
            for (long written = 0; written < target; written += block.length) {
                f.write(block, 0, (int) Math.min(block.length, target - written));
            }
        }
        return filler;
    }

    private static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient client, String text) {
        try {
            Mqtt5PublishResult r = client.publishWith()
                    .topic("full/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(text.getBytes(StandardCharsets.UTF_8))
                    .send();
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode();
        } catch (Mqtt5PubAckException e) { // the blocking client throws for an error reason code
            return e.getMqttMessage().getReasonCode();
        }
    }

    @Test
    @DisplayName("a nearly full disk: QoS 1 PUBLISH get PUBACK 0x97 (v5), 3.1.1 clients are closed unacknowledged;"
            + " accepted again once space is back")
    void fullDiskRefusesNewWorkAndRecovers() throws Exception {
        server = BastionServer.start(BastionConfig.fromYaml("listeners: [{name: tcp, bind: 127.0.0.1, port: 0}]\n"
                + "store:\n  path: " + disk.resolve("data") + "\n  min_free_space: 2MB\n"));
        Mqtt5BlockingClient sub = Mqtt5Client.builder()
                .identifier("full-sub")
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .buildBlocking();
        sub.connectWith().sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("full/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect(); // messages for it now go to its queue on the tmpfs

        Mqtt5BlockingClient pub = Mqtt5Client.builder()
                .identifier("full-pub")
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .buildBlocking();
        pub.connect();
        assertThat(publish(pub, "before")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

        Path filler = fill(1 << 20);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> publish(pub, "full") == Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(server.broker().metrics().publishNotStored.sum()).isPositive();
        int queuedWhileFull = server.broker().sessions().get("full-sub").queuedCount();

        Mqtt3BlockingClient v3 = Mqtt3Client.builder()
                .identifier("full-v3")
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .buildBlocking();
        v3.connect();
        v3.toAsync()
                .publishWith()
                .topic("full/t")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("v3".getBytes(StandardCharsets.UTF_8))
                .send();
        await().atMost(Duration.ofSeconds(10)).until(() -> !v3.getState().isConnected());
        assertThat(server.broker().sessions().get("full-sub").queuedCount()).isEqualTo(queuedWhileFull);

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(10)).until(() -> publish(pub, "after") == Mqtt5PubAckReasonCode.SUCCESS);
        pub.disconnect();
    }
}
