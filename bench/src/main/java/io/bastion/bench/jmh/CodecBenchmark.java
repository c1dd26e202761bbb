package io.bastion.bench.jmh;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.codec.MqttDecoder;
import io.bastion.mqtt.codec.MqttEncoder;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broker's hot codec path: decoding a client's PUBLISH (server side) and encoding a PUBLISH to a
 * subscriber, for MQTT 3.1.1 and 5, into pooled direct buffers as the transport does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    @Param({"V3_1_1", "V5"})
    public String version;

    @Param({"64"})
    public int payloadSize;

    private MqttVersion mqttVersion;
    private Publish publish;
    private ByteBuf encoded;
    private ByteBuf out;
    private MqttDecoder decoder;

    @Setup(Level.Trial)
    public void setUp() {
        mqttVersion = MqttVersion.valueOf(version);
        MqttProperties properties = MqttProperties.EMPTY;
        if (mqttVersion.isV5()) {
            properties = MqttProperties.builder()
                    .messageExpiryInterval(3600L)
                    .userProperty("device", "dev-42")
                    .build();
        }
        publish = new Publish(
                "tenant/acme/device/dev-42/telemetry", 1, false, false, 4242, properties, new byte[payloadSize]);
        encoded = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        MqttEncoder.encode(publish, mqttVersion, encoded);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(256);

        decoder = MqttDecoder.forServer(1024 * 1024);
        ByteBuf connect = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        MqttEncoder.encode(
                new Connect(mqttVersion, "dev-42", true, 60, null, null, null, MqttProperties.EMPTY),
                mqttVersion,
                connect);
        decoder.decode(connect); // tells the decoder the version
        connect.release();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoded.release();
        out.release();
    }

    @Benchmark
    public MqttPacket decodePublish() {
        encoded.readerIndex(0);
        return decoder.decode(encoded);
    }

    @Benchmark
    public int encodePublish() {
        out.clear();
        MqttEncoder.encode(publish, mqttVersion, out);
        return out.writerIndex();
    }
}
