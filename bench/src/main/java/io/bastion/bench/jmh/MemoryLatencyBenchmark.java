package io.bastion.bench.jmh;

import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine, not the broker: the cost of one dependent random memory access (a pointer chase over
 * one random cycle through an array) as the working set grows from the CPU cache to main memory. It
 * is the yardstick for {@link TopicMatchBenchmark}: a match in a tree too large for the cache costs
 * about this much per node it has to read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g", "-Xms2g"})
public class MemoryLatencyBenchmark {
    /** Working set in KiB: 16 KiB (L1), 16 MiB, 256 MiB. */
    @Param({"16", "16384", "262144"})
    public int kib;

    private int[] next;
    private int position;

    @Setup(Level.Trial)
    public void setUp() {
        int n = kib * 256; // 4-byte ints
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        next = new int[n];
        for (int i = 0; i < n; i++) {
            next[order[i]] = order[(i + 1) % n]; // one cycle through every element, in random order
        }
    }

    /** One load whose address depends on the previous one, so nothing overlaps it. */
    @Benchmark
    public int dependentLoad() {
        position = next[position];
        return position;
    }
}
