package io.bastion.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The broker's process as Linux shows it in {@code /proc}, when it runs on the same machine: its CPU
 * time over the measured window (so a run can show the generator uses less CPU than the broker, and
 * the broker's CPU per delivered message) and its resident memory.
 */
final class BrokerProcess {
    /** Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat; 100 on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;

    BrokerProcess(long pid) {
        this.pid = pid;
    }

    /** CPU seconds (user + system) the process used so far, or -1 when it cannot be read. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3 (index 0); utime field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size in KiB, or -1. */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
