package io.bastion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.bastion.broker.session.Session;
import io.bastion.server.config.BastionConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** A session whose queue overflows says so in the log, once per interval, not only in the drop metric. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueFullLogTest {
    private final Logger sessionLog = (Logger) LoggerFactory.getLogger(Session.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private BastionServer server;

    @AfterEach
    void stop() {
        sessionLog.detachAppender(lines);
        if (server != null) {
            server.close();
        }
    }

    private Mqtt5BlockingClient client(String id) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .buildBlocking();
    }

    /** This test's lines only: other tests' servers in this JVM may still be logging. */
    private List<ILoggingEvent> queueFullLines() {
        List<ILoggingEvent> all;
        synchronized (lines) { // AppenderBase appends under this lock, from the event loops
            all = List.copyOf(lines.list);
        }
        return all.stream()
                .filter(e -> e.getFormattedMessage().contains("session qf-sub: queue full"))
                .toList();
    }

    @Test
    void anOverflowingQueueWritesOneWarnLineNamingTheSessionTheLimitAndThePolicy() {
        lines.start();
        sessionLog.addAppender(lines);
        server = BastionServer.start(BastionConfig.fromYaml("listeners: [{name: tcp, bind: 127.0.0.1, port: 0}]\n"
                + "limits: {max_queued_messages: 2}\nstore: {durability: memory}\n"));
        Mqtt5BlockingClient sub = client("qf-sub");
        sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("qf").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect(); // offline: everything queues
        Mqtt5BlockingClient pub = client("qf-pub");
        pub.connect();
        for (int i = 0; i < 5; i++) {
            pub.publishWith()
                    .topic("qf")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        pub.disconnect();
        await().atMost(Duration.ofSeconds(10)).until(() -> !queueFullLines().isEmpty());
        assertThat(queueFullLines())
                .as("three drops within the interval: one line")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.WARN);
                    assertThat(e.getFormattedMessage())
                            .contains("session qf-sub: queue full (limits.max_queued_messages 2)")
                            .contains("1 message(s) dropped")
                            .contains("the oldest, limits.queue_overflow: drop_oldest")
                            .contains("$SYS/broker/publish/messages/dropped/queue_full");
                });
    }
}
