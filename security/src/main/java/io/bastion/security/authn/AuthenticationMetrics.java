package io.bastion.security.authn;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** How often each provider allowed, denied, ignored or failed; read by the metrics endpoint. */
public final class AuthenticationMetrics {

    public enum Outcome {
        ALLOW,
        DENY,
        IGNORE,
        ERROR
    }

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void increment(String provider, Outcome outcome) {
        counters.computeIfAbsent(key(provider, outcome), k -> new LongAdder()).increment();
    }

    public long count(String provider, Outcome outcome) {
        LongAdder adder = counters.get(key(provider, outcome));
        return adder == null ? 0 : adder.sum();
    }

    /** Every counter as {@code provider/outcome} (e.g. {@code password_file/deny}) to its value, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new TreeMap<>();
        counters.forEach((k, v) -> values.put(k, v.sum()));
        return values;
    }

    private static String key(String provider, Outcome outcome) {
        return provider + "/" + outcome.name().toLowerCase(java.util.Locale.ROOT);
    }
}
