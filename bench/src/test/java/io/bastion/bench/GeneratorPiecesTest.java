package io.bastion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.codec.MqttDecoder;
import io.bastion.mqtt.packet.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class GeneratorPiecesTest {

    @Test
    void topicPatternExpandsIndexClientIdAndPercent() {
        assertThat(new TopicPattern("bench/%i/x").expand(7, "c1")).isEqualTo("bench/7/x");
        assertThat(new TopicPattern("d/%c/%i").expand(3, "bench-p3")).isEqualTo("d/bench-p3/3");
        assertThat(new TopicPattern("100%%/%i").expand(0, "c")).isEqualTo("100%/0");
        assertThat(new TopicPattern("bench/#").isConstant()).isTrue();
        assertThatThrownBy(() -> new TopicPattern("a/%x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicPattern("a/%")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sourceAddressRangesRoundRobin() {
        SourceAddresses a = SourceAddresses.parse("127.0.0.1-127.0.0.3,127.0.1.9");
        assertThat(a.size()).isEqualTo(4);
        assertThat(a.forConnection(0).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(a.forConnection(2).getAddress().getHostAddress()).isEqualTo("127.0.0.3");
        assertThat(a.forConnection(3).getAddress().getHostAddress()).isEqualTo("127.0.1.9");
        assertThat(a.forConnection(4).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(SourceAddresses.parse("").forConnection(5)).isNull();
        assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.1-127.0.1.2"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durations() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Durations.parse("3x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void summaryRatesLossAndPercentiles() {
        Histogram h = Stats.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L); // 1..1000 microseconds
        }
        Summary s = new Summary(
                "t",
                10.0,
                1_000_000,
                900_000,
                0,
                1_200_000,
                1_150_000,
                1_200_000,
                10,
                5,
                51,
                0,
                1.0,
                51,
                2.5,
                5.0,
                100_000,
                h,
                Map.of("x", 2L));
        assertThat(s.sentRate()).isEqualTo(100_000);
        assertThat(s.receivedRate()).isEqualTo(90_000);
        // 1,150,000 received of which 10 duplicates: 50,010 of 1,200,000 expected never arrived
        assertThat(s.lost()).isEqualTo(50_010);
        assertThat(s.generatorCpuShare()).isEqualTo(0.25);
        assertThat(s.latencyMillis(50)).isBetween(0.499, 0.501);
        assertThat(s.latencyMillis(99)).isBetween(0.989, 0.991);
        assertThat(s.latencyMaxMillis()).isBetween(0.999, 1.001);
        assertThat(s.errorCount()).isEqualTo(2);
        assertThat(s.brokerCpuShare()).isEqualTo(0.5);
        assertThat(s.brokerMicrosPerMessage()).isBetween(5.555, 5.556); // 5 s for 900,000 deliveries
        Map<String, String> p = s.toProperties();
        assertThat(p).containsEntry("recv_rate", "90000").containsEntry("lost", "50010");
        assertThat(s.format()).contains("lost 50,010").contains("p99.9");

        Summary unknown =
                new Summary("t", 1, 0, 10, 0, 0, 10, -1, 0, 3, 1, 0, 0, 0, 0, -1, -1, Stats.newHistogram(), Map.of());
        assertThat(unknown.lost()).isEqualTo(3); // gaps when the expected count is unknown
        assertThat(unknown.toProperties()).containsEntry("p99_ms", "NaN");
    }

    @Test
    void publishTemplateIsAValidPublishWithPatchedIdAndStamp() {
        for (MqttVersion version : new MqttVersion[] {MqttVersion.V3_1_1, MqttVersion.V5}) {
            PublishTemplate t = new PublishTemplate("bench/ü/7", 1, false, 32, version);
            ByteBuf buf = Unpooled.buffer();
            t.write(buf, 513, 42, 9, 123_456_789L);
            t.write(buf, 514, 42, 10, 123_456_790L);
            MqttDecoder decoder = MqttDecoder.forClient(version, 1024);
            Publish first = (Publish) decoder.decode(buf);
            Publish second = (Publish) decoder.decode(buf);
            assertThat(first.topic()).isEqualTo("bench/ü/7");
            assertThat(first.packetId()).isEqualTo(513);
            assertThat(second.packetId()).isEqualTo(514);
            ByteBuf payload = Unpooled.wrappedBuffer(second.payload());
            assertThat(payload.readableBytes()).isEqualTo(32);
            assertThat(payload.readLong()).isEqualTo(123_456_790L);
            assertThat(payload.readInt()).isEqualTo(42);
            assertThat(payload.readInt()).isEqualTo(10);
        }
    }
}
