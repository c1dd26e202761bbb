package io.bastion.server.mosquitto;

import io.bastion.server.mosquitto.OptionCatalog.Option;
import io.bastion.server.mosquitto.OptionCatalog.Scope;
import io.bastion.server.mosquitto.OptionCatalog.Support;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sorts the lines of a {@code mosquitto.conf} into their scopes as Mosquitto does: listener options belong to the
 * last {@code listener} line (before the first one, to the default listener of {@code port}), bridge options to the
 * last {@code connection}, security options to the last listener when {@code per_listener_settings true}. Unknown,
 * ignored and unsupported options are reported here, once per line.
 */
final class MosquittoConfParser {
    private final Findings findings;
    private final Options global;
    private final Options defaultListener;
    private final List<MosquittoListener> listeners = new ArrayList<>();
    private final List<MosquittoBridge> bridges = new ArrayList<>();
    private boolean defaultListenerUsed;

    private MosquittoConfParser(Findings findings) {
        this.findings = findings;
        this.global = new Options(findings);
        this.defaultListener = new Options(findings);
    }

    static MosquittoConf parse(List<Directive> directives, Findings findings) {
        return new MosquittoConfParser(findings).parseAll(directives);
    }

    private MosquittoConf parseAll(List<Directive> directives) {
        boolean perListener = perListenerSettings(directives);
        Options currentListener = defaultListener;
        MosquittoBridge currentBridge = null;
        for (Directive d : directives) {
            Optional<Option> known = OptionCatalog.find(d.name());
            if (known.isEmpty()) {
                findings.invalid(d, "unknown Mosquitto option");
                continue;
            }
            Option option = known.get();
            report(d, option);
            switch (d.name()) {
                case "listener" -> {
                    MosquittoListener listener = listener(d);
                    currentListener = listener.options();
                    if (listener.port() > 0) {
                        listeners.add(listener);
                    }
                    continue;
                }
                case "connection" -> {
                    if (d.args().size() != 1) {
                        findings.invalid(d, "needs one bridge name without spaces");
                    }
                    currentBridge = new MosquittoBridge(d, new Options(findings));
                    bridges.add(currentBridge);
                    continue;
                }
                case "port", "bind_address" -> {
                    defaultListener.add(d);
                    defaultListenerUsed = true;
                    continue;
                }
                default -> {}
            }
            Scope scope = option.scope();
            if (scope == Scope.SECURITY) {
                scope = perListener ? Scope.LISTENER : Scope.GLOBAL;
            }
            switch (scope) {
                case GLOBAL -> global.add(d);
                case LISTENER -> {
                    currentListener.add(d);
                    if (currentListener == defaultListener && option.scope() == Scope.LISTENER) {
                        defaultListenerUsed = true;
                    }
                }
                case BRIDGE -> {
                    if (currentBridge == null) {
                        findings.invalid(d, "is a bridge option: it must follow a 'connection NAME' line");
                    } else {
                        currentBridge.options().add(d);
                    }
                }
                default -> throw new IllegalStateException("scope " + scope);
            }
        }
        List<MosquittoListener> all = new ArrayList<>();
        if (defaultListenerUsed) {
            all.add(defaultListener());
        } else {
            for (Directive orphan : defaultListener.directives()) {
                findings.warn(
                        orphan,
                        "ignored: with per_listener_settings true it belongs to the default listener (port), which"
                                + " is not configured; move it below the 'listener' line it is meant for");
            }
        }
        all.addAll(listeners);
        return new MosquittoConf(perListener, global, all, bridges);
    }

    /** The file-wide switch; like Mosquitto, its position in the file does not matter. */
    private boolean perListenerSettings(List<Directive> directives) {
        Options switches = new Options(findings);
        directives.stream()
                .filter(d -> d.name().equals("per_listener_settings"))
                .forEach(switches::add);
        return switches.bool("per_listener_settings").orElse(false);
    }

    private void report(Directive d, Option option) {
        if (option.support() == Support.UNSUPPORTED) {
            findings.unsupported(d, "not supported: " + option.note());
        } else if (option.support() == Support.IGNORED
                && !option.sameAsBastion().contains(d.value().toLowerCase(Locale.ROOT))) {
            findings.warn(d, option.note());
        }
    }

    private MosquittoListener listener(Directive d) {
        List<String> args = d.args();
        Options options = new Options(findings);
        if (args.isEmpty() || args.size() > 2) {
            findings.invalid(d, "must be 'listener PORT [ADDRESS]' (got \"" + d.value() + "\")");
            return new MosquittoListener(d, 0, null, options);
        }
        long port = new Options(findings).integer(d, args.get(0), 0, 65_535).orElse(-1L);
        if (port == 0) {
            findings.unsupported(d, "not supported: Unix domain sockets (listener 0 PATH); use a TCP port");
        }
        return new MosquittoListener(d, (int) Math.max(port, 0), args.size() == 2 ? args.get(1) : null, options);
    }

    private MosquittoListener defaultListener() {
        int port = defaultListener.integer("port", 1, 65_535).orElse(1883L).intValue();
        String address = defaultListener.string("bind_address").orElse(null);
        return new MosquittoListener(null, port, address, defaultListener);
    }
}
