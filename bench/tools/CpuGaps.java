/**
 * How often this machine takes a core away from a thread that never sleeps: spins on System.nanoTime() for
 * the given seconds and counts the gaps between two consecutive reads. A gap is time the thread did not
 * run (hypervisor, interrupts, the kernel), so no program on that core, however written, answers within it.
 * Run it pinned, one per core, while nothing else runs:
 *
 * <pre>taskset -c 0 java bench/tools/CpuGaps.java 30</pre>
 */
public final class CpuGaps {
    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
        long[] limits = {50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000};
        String[] names = {"50 us", "100 us", "200 us", "500 us", "1 ms", "2 ms", "5 ms", "10 ms"};
        long[] over = new long[limits.length];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long previous = System.nanoTime();
        long lost = 0;
        long longest = 0;
        for (long now = previous; now < end; now = System.nanoTime()) {
            long gap = now - previous;
            previous = now;
            if (gap > limits[0]) {
                lost += gap;
                longest = Math.max(longest, gap);
                for (int i = 0; i < limits.length && gap > limits[i]; i++) {
                    over[i]++;
                }
            }
        }
        StringBuilder out = new StringBuilder("gaps in " + seconds + " s:");
        for (int i = 0; i < limits.length; i++) {
            out.append(String.format(" >%s %d,", names[i], over[i]));
        }
        out.append(String.format(" longest %.2f ms, time lost %.2f %%", longest / 1e6, 100.0 * lost / (seconds * 1e9)));
        System.out.println(out);
    }
}
