package io.bastion.security.acl;

import io.bastion.security.SecurityMetrics;
import io.bastion.security.SettledChange;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured {@link AclSource}s behind one {@link AclAuthorizer}: compiles them at start (a broken file stops
 * the start), and later re-reads the files that changed. A file that became unreadable or invalid keeps its
 * previous rules and is reported once, in one line naming the file and the problem, until it changes again.
 */
public final class AclSources {
    private static final Logger log = LoggerFactory.getLogger(AclSources.class);

    private final List<AclSource> sources;
    private final List<Loaded> loaded = new ArrayList<>();
    /** Per source: a change the last poll saw and did not apply yet. */
    private final List<SettledChange<FileVersion>> changes = new ArrayList<>();

    private final AclAuthorizer authorizer;
    private final SecurityMetrics metrics;

    /** The compiled state of one source, and the file version it came from. */
    private record Loaded(ScopedRuleSet ruleSet, FileVersion version, FileVersion failedVersion) {}

    /** What the poll compares: a file is re-read when its modification time or size changed. */
    private record FileVersion(long modifiedMillis, long size, boolean exists) {}

    /**
     * Loads every source.
     *
     * @throws IllegalArgumentException naming the file (and line) when a source cannot be read or is invalid
     */
    public AclSources(List<AclSource> sources, SecurityMetrics metrics) {
        this.sources = List.copyOf(sources);
        this.metrics = metrics;
        for (AclSource source : this.sources) {
            FileVersion version = version(source);
            loaded.add(new Loaded(compile(source), version, null));
            changes.add(new SettledChange<>());
        }
        this.authorizer = new AclAuthorizer(ruleSets());
    }

    public AclAuthorizer authorizer() {
        return authorizer;
    }

    /**
     * Re-reads the sources whose files changed (every file when {@code force}); returns whether the rules changed.
     * Without {@code force} (the poller) a change is applied only once two polls in a row see the same version,
     * so an edit caught half-written — truncated, yet still a valid file — is never applied: it would revoke
     * subscriptions that the finished edit keeps. Safe to call from one thread at a time.
     */
    public synchronized boolean reload(boolean force) {
        boolean changed = false;
        for (int i = 0; i < sources.size(); i++) {
            AclSource source = sources.get(i);
            if (!(source instanceof AclSource.MosquittoFile file)) {
                continue;
            }
            Loaded current = loaded.get(i);
            FileVersion version = version(source);
            boolean modified = !Objects.equals(version, current.version());
            SettledChange<FileVersion> change = changes.get(i);
            if (!force && (!modified || Objects.equals(version, current.failedVersion()))) {
                change.reset();
                continue;
            }
            if (!force && !change.settled(version)) {
                continue;
            }
            change.reset();
            try {
                ScopedRuleSet ruleSet = compile(source);
                loaded.set(i, new Loaded(ruleSet, version, null));
                changed = true;
                metrics.aclReloads.increment();
                log.info(
                        "ACL file {} re-read: {} rules",
                        file.path(),
                        ruleSet.rules().size());
            } catch (IllegalArgumentException e) {
                metrics.aclReloadFailures.increment();
                loaded.set(i, new Loaded(current.ruleSet(), current.version(), version));
                log.warn("ACL file {} not applied, keeping its previous rules: {}", file.path(), e.getMessage());
            }
        }
        if (changed) {
            authorizer.update(ruleSets());
        }
        return changed;
    }

    private List<ScopedRuleSet> ruleSets() {
        List<ScopedRuleSet> sets = new ArrayList<>(loaded.size());
        for (Loaded l : loaded) {
            sets.add(l.ruleSet());
        }
        return sets;
    }

    private static ScopedRuleSet compile(AclSource source) {
        if (source instanceof AclSource.MosquittoFile file) {
            String text = read(file.path());
            List<AclRule> rules = MosquittoAclFile.parse(text, file.path().toString());
            return new ScopedRuleSet(file.path().toString(), new AclRuleSet(rules, Map.of()), file.listeners());
        }
        AclSource.Rules rules = (AclSource.Rules) source;
        return new ScopedRuleSet(rules.origin(), new AclRuleSet(rules.rules(), rules.rolesOfUser()), rules.listeners());
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(path + ": no such file", e);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(path + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static FileVersion version(AclSource source) {
        if (!(source instanceof AclSource.MosquittoFile file)) {
            return null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class);
            return new FileVersion(a.lastModifiedTime().toMillis(), a.size(), true);
        } catch (IOException e) {
            return new FileVersion(0, 0, false);
        }
    }
}
