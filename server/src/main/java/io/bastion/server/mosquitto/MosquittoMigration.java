package io.bastion.server.mosquitto;

import io.bastion.server.config.BastionConfig;
import io.bastion.server.config.ConfigException;
import io.bastion.server.mosquitto.Finding.Severity;
import io.bastion.server.mosquitto.ListenerMapping.Mapped;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code mosquitto.conf} (with its {@code include_dir} files) turned into Bastion YAML: one mapping used twice, by
 * {@code bastion migrate mosquitto} (prints {@link #yaml()}) and by {@code bastion serve --mosquitto-conf} ({@link
 * #toConfig}, which binds that same YAML with the {@code BASTION_*} environment overrides on top).
 */
public final class MosquittoMigration {
    private static final String YAML_SOURCE = "(migrated YAML)";
    private static final Pattern YAML_LINE = Pattern.compile(Pattern.quote(YAML_SOURCE) + " line (\\d+)");
    private static final Set<String> SECRETS = Set.of("remote_password", "local_password", "bridge_psk");

    private final Path file;
    private final YamlText yaml;
    private final Findings findings;

    private MosquittoMigration(Path file, YamlText yaml, Findings findings) {
        this.file = file;
        this.yaml = yaml;
        this.findings = findings;
    }

    /**
     * Reads and maps {@code file}; problems with single options are collected as {@link #findings()}.
     *
     * @throws MosquittoConfigException when the file or an included one cannot be read
     */
    public static MosquittoMigration of(Path file) {
        List<Directive> directives = MosquittoConfReader.read(file);
        Findings findings = new Findings(directives);
        MosquittoConf conf = MosquittoConfParser.parse(directives, findings);
        YamlText yaml = new YamlText();
        yaml.comment(0, "Bastion configuration migrated from " + file + " by 'bastion migrate mosquitto'.");
        yaml.comment(0, "Each value names the Mosquitto line it comes from; see docs/migrating-from-mosquitto.md.");
        List<Mapped> listeners = new ListenerMapping(yaml, findings).write(conf.listeners());
        new BrokerMapping(yaml, findings).write(conf, listeners);
        new SecurityMapping(yaml).write(conf, listeners);
        BridgeCheck bridges = new BridgeCheck(findings);
        conf.bridges().forEach(bridges::check);
        writeBridges(yaml, conf.bridges());
        MosquittoMigration migration = new MosquittoMigration(file, yaml, findings);
        migration.writeFindings();
        return migration;
    }

    /** The Bastion YAML, with comments where the mapping is not one-to-one. */
    public String yaml() {
        return yaml.text();
    }

    public List<Finding> findings() {
        return findings.all();
    }

    /** Harmless differences: start-up continues after one warning line each. */
    public List<Finding> warnings() {
        return findings.of(Severity.WARNING);
    }

    /** Whether the file can be used: no invalid value and nothing that Bastion would have to leave out. */
    public boolean isComplete() {
        return findings.all().stream().allMatch(f -> f.severity() == Severity.WARNING);
    }

    /**
     * The configuration to start from, with the {@code BASTION_*} variables of {@code env} applied.
     *
     * @throws MosquittoConfigException listing every invalid or unsupported line, or naming the Mosquitto line of a
     *     value Bastion refuses
     */
    public BastionConfig toConfig(Map<String, String> env) {
        if (!isComplete()) {
            throw new MosquittoConfigException(findings.errorLines());
        }
        try {
            return BastionConfig.parse(yaml.text(), YAML_SOURCE, env);
        } catch (ConfigException e) {
            throw new MosquittoConfigException(atMosquittoLine(e.getMessage()));
        }
    }

    /** {@code (migrated YAML) line 7} becomes the {@code mosquitto.conf} line that YAML line came from. */
    private String atMosquittoLine(String message) {
        Matcher m = YAML_LINE.matcher(message);
        if (!m.find()) {
            return message;
        }
        int yamlLine = Integer.parseInt(m.group(1));
        Origin origin = yaml.originOfLine(yamlLine);
        String where = origin != null ? origin.toString() : file + " (line " + yamlLine + " of the migrated YAML)";
        return message.substring(0, m.start()) + where + message.substring(m.end());
    }

    private static void writeBridges(YamlText yaml, List<MosquittoBridge> bridges) {
        if (bridges.isEmpty()) {
            return;
        }
        yaml.blank();
        yaml.comment(0, "Bridges: not available in Bastion yet, so bastion serve refuses to start with them. The");
        yaml.comment(0, "Mosquitto sections, for when they are (passwords left out):");
        for (MosquittoBridge bridge : bridges) {
            yaml.comment(0, bridge.connection() + "  (" + at(bridge.connection().origin()) + ")");
            for (Directive d : bridge.options().directives()) {
                yaml.comment(0, "  " + (SECRETS.contains(d.name()) ? d.name() + " ********" : d.toString()));
            }
        }
    }

    private void writeFindings() {
        List<Finding> all = findings.all();
        if (all.isEmpty()) {
            return;
        }
        yaml.blank();
        yaml.comment(0, "Not migrated one-to-one:");
        for (Finding f : all) {
            String mark = switch (f.severity()) {
                case WARNING -> "";
                case UNSUPPORTED -> "NOT MIGRATED, Bastion refuses to start with it: ";
                case INVALID -> "INVALID: ";
            };
            yaml.comment(0, "  " + at(f.origin()) + ": " + mark + f.message());
        }
    }

    private static String at(Origin origin) {
        return origin.file().getFileName() + ":" + origin.line();
    }
}
