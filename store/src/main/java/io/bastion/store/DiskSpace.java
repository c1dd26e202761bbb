package io.bastion.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the free space of the store's file system, so the broker refuses new QoS 1/2 work while the
 * disk is nearly full instead of acknowledging what it could not keep. Checked by the commit thread.
 */
final class DiskSpace {
    private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);

    private final Path path;
    private final long minimumFreeBytes;
    private final FileStore fileStore;
    private volatile boolean enough = true;

    DiskSpace(Path path, long minimumFreeBytes) {
        this.path = path;
        this.minimumFreeBytes = minimumFreeBytes;
        FileStore fs;
        try {
            fs = Files.getFileStore(path);
        } catch (IOException e) {
            log.warn("cannot watch free space of {}: {}", path, e.getMessage());
            fs = null;
        }
        this.fileStore = fs;
        check();
    }

    boolean enough() {
        return enough;
    }

    void check() {
        if (fileStore == null) {
            return;
        }
        long free;
        try {
            free = fileStore.getUsableSpace();
        } catch (IOException e) {
            return;
        }
        boolean now = free >= minimumFreeBytes;
        if (now != enough) {
            enough = now;
            if (now) {
                log.info("store disk at {} has {} bytes free again; accepting QoS 1/2 PUBLISH", path, free);
            } else {
                log.error(
                        "store disk at {} has {} bytes free, below the minimum {}; refusing new QoS 1/2 PUBLISH",
                        path,
                        free,
                        minimumFreeBytes);
            }
        }
    }
}
