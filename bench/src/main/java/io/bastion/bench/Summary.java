package io.bastion.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of one run. Rates are over the measured window (after the warm-up, until publishing
 * stopped); lost and duplicated are over the whole run.
 *
 * @param expected deliveries the subscribers should have seen in total, -1 when unknown (publishers and
 *     subscribers in different processes)
 * @param generatorCpuSeconds CPU time the generator process used in the window
 * @param brokerCpuSeconds CPU time the broker process used in the window, -1 when unknown
 * @param brokerRssKib the broker's resident memory at the end of the window, -1 when unknown
 */
public record Summary(
        String title,
        double windowSeconds,
        long sent,
        long received,
        long acked,
        long sentTotal,
        long receivedTotal,
        long expected,
        long duplicated,
        long gaps,
        long connected,
        long connectFailed,
        double connectSeconds,
        double connectRate,
        double generatorCpuSeconds,
        double brokerCpuSeconds,
        long brokerRssKib,
        Histogram latency,
        Map<String, Long> errors) {

    public double sentRate() {
        return rate(sent);
    }

    public double receivedRate() {
        return rate(received);
    }

    private double rate(long n) {
        return windowSeconds > 0 ? n / windowSeconds : 0;
    }

    /**
     * Deliveries that never arrived: expected minus the distinct messages received; when the expected
     * count is unknown, the gaps seen in the publishers' sequence numbers.
     */
    public long lost() {
        if (expected < 0) {
            return gaps;
        }
        return Math.max(0, expected - (receivedTotal - duplicated));
    }

    /** CPU of the generator as a share of one core over the window (1.0 = one core busy). */
    public double generatorCpuShare() {
        return windowSeconds > 0 ? generatorCpuSeconds / windowSeconds : 0;
    }

    /** CPU of the broker as a share of one core over the window, NaN when unknown. */
    public double brokerCpuShare() {
        return brokerCpuSeconds >= 0 && windowSeconds > 0 ? brokerCpuSeconds / windowSeconds : Double.NaN;
    }

    /**
     * Broker CPU microseconds per message received by the subscribers (per message sent in a
     * publishers-only run), NaN when unknown or when nothing was delivered.
     */
    public double brokerMicrosPerMessage() {
        long n = received > 0 || expected >= 0 ? received : sent;
        return brokerCpuSeconds >= 0 && n > 0 ? brokerCpuSeconds * 1e6 / n : Double.NaN;
    }

    /** Latency percentile in milliseconds, or NaN when no stamped message was received. */
    public double latencyMillis(double percentile) {
        if (latency.getTotalCount() == 0) {
            return Double.NaN;
        }
        return latency.getValueAtPercentile(percentile) / 1e6;
    }

    public double latencyMaxMillis() {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1e6;
    }

    public long errorCount() {
        long n = 0;
        for (long v : errors.values()) {
            n += v;
        }
        return n;
    }

    /** Machine-readable form, one {@code key=value} per entry, for scripts. */
    public Map<String, String> toProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("window_s", fmt(windowSeconds, 3));
        m.put("sent", Long.toString(sent));
        m.put("received", Long.toString(received));
        m.put("sent_rate", fmt(sentRate(), 0));
        m.put("recv_rate", fmt(receivedRate(), 0));
        m.put("sent_total", Long.toString(sentTotal));
        m.put("received_total", Long.toString(receivedTotal));
        m.put("expected", Long.toString(expected));
        m.put("lost", Long.toString(lost()));
        m.put("duplicated", Long.toString(duplicated));
        m.put("gaps", Long.toString(gaps));
        m.put("connected", Long.toString(connected));
        m.put("connect_failed", Long.toString(connectFailed));
        m.put("connect_rate", fmt(connectRate, 0));
        m.put("p50_ms", fmt(latencyMillis(50), 3));
        m.put("p95_ms", fmt(latencyMillis(95), 3));
        m.put("p99_ms", fmt(latencyMillis(99), 3));
        m.put("p999_ms", fmt(latencyMillis(99.9), 3));
        m.put("max_ms", fmt(latencyMaxMillis(), 3));
        m.put("gen_cpu", fmt(generatorCpuShare(), 3));
        m.put("broker_cpu", fmt(brokerCpuShare(), 3));
        m.put("broker_us_per_msg", fmt(brokerMicrosPerMessage(), 3));
        m.put("broker_rss_kib", Long.toString(brokerRssKib));
        m.put("errors", Long.toString(errorCount()));
        return m;
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append('\n');
        sb.append(String.format(Locale.ROOT, "  window       %.1f s measured%n", windowSeconds));
        sb.append(String.format(
                Locale.ROOT,
                "  connections  %,d ok, %,d failed; %,.0f connects/s (%.2f s)%n",
                connected,
                connectFailed,
                connectRate,
                connectSeconds));
        sb.append(String.format(Locale.ROOT, "  sent         %,d (%,.0f msg/s)", sent, sentRate()));
        if (acked > 0) {
            sb.append(String.format(Locale.ROOT, ", %,d acknowledged", acked));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "  received     %,d (%,.0f msg/s)%n", received, receivedRate()));
        sb.append(String.format(
                Locale.ROOT,
                "  whole run    sent %,d, received %,d, expected %s, lost %,d, duplicated %,d, sequence gaps %,d%n",
                sentTotal,
                receivedTotal,
                expected < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", expected),
                lost(),
                duplicated,
                gaps));
        if (latency.getTotalCount() > 0) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  latency ms   p50 %.3f  p95 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (%,d samples)%n",
                    latencyMillis(50),
                    latencyMillis(95),
                    latencyMillis(99),
                    latencyMillis(99.9),
                    latencyMaxMillis(),
                    latency.getTotalCount()));
        }
        sb.append(String.format(Locale.ROOT, "  generator    %.0f %% of one core%n", generatorCpuShare() * 100));
        if (brokerCpuSeconds >= 0) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  broker       %.0f %% of one core, %.2f us CPU per message, RSS %,d KiB%n",
                    brokerCpuShare() * 100,
                    brokerMicrosPerMessage(),
                    brokerRssKib));
        }
        if (errors.isEmpty()) {
            sb.append("  errors       none\n");
        } else {
            sb.append("  errors\n");
            errors.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "    %,8d  %s%n", v, k)));
        }
        return sb.toString();
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
