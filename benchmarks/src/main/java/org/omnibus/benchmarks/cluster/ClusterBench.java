package org.omnibus.benchmarks.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.aeron.driver.ThreadingMode;
import org.HdrHistogram.Histogram;
import org.omnibus.membership.DeliveryLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cluster benchmark: three members on loopback in one JVM, 100-byte messages, every member sending; Omnibus at
 * AGREED and SAFE, JGroups with SEQUENCER, and raw Aeron multicast (no ordering) as the floor. Each (system, run)
 * runs in a fresh child JVM with the same flags; the systems are interleaved run by run (order rotated) so that a
 * drifting machine load weighs on all alike; the table shows medians.
 * <p>
 * Per child: form the group; saturate (every member sends as fast as the system accepts) for the warm-up, then
 * measure ordered messages delivered per second per member (mean over members); then send at a fixed total rate,
 * warm up one second, and measure the delivery latency (send to delivery at every member, HdrHistogram) and the
 * process CPU time per delivered message.
 */
@Command(name = "cluster-bench", mixinStandardHelpOptions = true,
    description = "Omnibus AGREED/SAFE vs JGroups SEQUENCER vs raw Aeron multicast: 3 members, all sending.")
public final class ClusterBench implements Callable<Integer>
{
    @Option(names = "--systems", split = ",", defaultValue = "aeron,omnibus-agreed,omnibus-safe,jgroups",
        description = "Systems: aeron, omnibus-agreed, omnibus-safe, omnibus-agreed-ll, omnibus-safe-ll " +
        "(idle at most 50/100 us), jgroups. Default: ${DEFAULT-VALUE}")
    private List<String> systems;

    @Option(names = "--runs", defaultValue = "5", description = "Runs per system. Default: ${DEFAULT-VALUE}")
    private int runs;

    @Option(names = "--members", defaultValue = "3", description = "Members. Default: ${DEFAULT-VALUE}")
    private int members;

    @Option(names = "--payload", defaultValue = "100", description = "Message length. Default: ${DEFAULT-VALUE}")
    private int payload;

    @Option(names = "--warmup-ms", defaultValue = "2000", description = "Saturated warm-up. Default: ${DEFAULT-VALUE}")
    private long warmupMs;

    @Option(names = "--measure-ms", defaultValue = "3000",
        description = "Measured period of each phase. Default: ${DEFAULT-VALUE}")
    private long measureMs;

    @Option(names = "--rate", defaultValue = "10000",
        description = "Total messages/s of the latency phase (all members together). Default: ${DEFAULT-VALUE}")
    private long rate;

    @Option(names = "--driver-threading", defaultValue = "SHARED",
        description = "Omnibus media driver threading: SHARED (default) or INVOKER (inside the group agent).")
    private ThreadingMode driverThreading;

    @Option(names = "--child", hidden = true, description = "Run one system in this JVM and print a result line.")
    private String child;

    @Option(names = "--child-java-opts", defaultValue = "",
        description = "Extra JVM options of the child JVMs (e.g. a JFR recording).")
    private String childJavaOpts;

    @Option(names = "--dir", description = "Scratch directory. Default: a temporary directory.")
    private Path dir;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ClusterBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    public Integer call() throws Exception
    {
        if (child != null)
        {
            return runChild();
        }
        return runAll();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Driver
    // ----------------------------------------------------------------------------------------------------------------

    private Integer runAll() throws Exception
    {
        final Map<String, List<Map<String, String>>> results = new LinkedHashMap<>();
        final Map<String, String> descriptions = new LinkedHashMap<>();
        for (final String system : systems)
        {
            results.put(system, new ArrayList<>());
        }
        for (int run = 0; run < runs; run++)
        {
            for (int k = 0; k < systems.size(); k++)
            {
                final String system = systems.get((k + run) % systems.size());
                final Map<String, String> result = new HashMap<>();
                result.put("load", loadAverage());
                final String description = spawn(system, result);
                descriptions.putIfAbsent(system, description);
                results.get(system).add(result);
                System.out.printf(Locale.ROOT, "run %d %-15s %s%n", run + 1, system, result);
            }
        }
        printTable(results, descriptions);
        return 0;
    }

    private String spawn(final String system, final Map<String, String> result) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-XX:StartFlightRecording"))
            {
                command.add(arg);
            }
        }
        if (!childJavaOpts.isBlank())
        {
            command.addAll(Arrays.asList(childJavaOpts.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClusterBench.class.getName());
        command.addAll(List.of("--child", system, "--members", String.valueOf(members), "--payload",
            String.valueOf(payload), "--warmup-ms", String.valueOf(warmupMs), "--measure-ms",
            String.valueOf(measureMs), "--rate", String.valueOf(rate), "--driver-threading",
            driverThreading.name()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final StringBuilder description = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            boolean inDescription = false;
            while ((line = in.readLine()) != null)
            {
                if (line.startsWith("RESULT "))
                {
                    for (final String word : line.substring(7).split("\\s+"))
                    {
                        final int eq = word.indexOf('=');
                        result.put(word.substring(0, eq), word.substring(eq + 1));
                    }
                }
                else if (line.equals("DESCRIPTION"))
                {
                    inDescription = true;
                }
                else if (line.equals("END DESCRIPTION"))
                {
                    inDescription = false;
                }
                else if (inDescription)
                {
                    description.append(line).append('\n');
                }
                else if (!line.isBlank())
                {
                    System.out.println("  [" + system + "] " + line);
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || result.isEmpty())
        {
            process.destroyForcibly();
            throw new IllegalStateException(system + " failed");
        }
        return description.toString();
    }

    private void printTable(
        final Map<String, List<Map<String, String>>> results, final Map<String, String> descriptions)
    {
        System.out.println();
        System.out.printf(Locale.ROOT, "## Cluster: %d members on loopback, %d-byte messages, all sending; " +
            "medians of %d runs (min - max)%n%n", members, payload, runs);
        System.out.printf(Locale.ROOT, "| system | ordered msg/s per member, saturated | latency p50 µs | p99 µs | " +
            "p99.9 µs | CPU µs per delivery | retransmit requests |%n");
        System.out.println("|---|---|---|---|---|---|---|");
        final Map<String, Double> throughput = new HashMap<>();
        final Map<String, Double> p50 = new HashMap<>();
        for (final Map.Entry<String, List<Map<String, String>>> e : results.entrySet())
        {
            final List<Map<String, String>> runs = e.getValue();
            throughput.put(e.getKey(), median(runs, "throughput"));
            p50.put(e.getKey(), median(runs, "p50_us"));
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", e.getKey(),
                cell(runs, "throughput", "%,.0f"), cell(runs, "p50_us", "%,.0f"), cell(runs, "p99_us", "%,.0f"),
                cell(runs, "p999_us", "%,.0f"), cell(runs, "cpu_us_per_msg", "%.1f"),
                cell(runs, "retransmit_requests", "%,.0f"));
        }
        System.out.printf(Locale.ROOT, "%nLatency: send to delivery at every member, all members sending together " +
            "%,d msg/s in total, HdrHistogram (3 digits). Throughput: deliveries per second per member while every " +
            "member sends as fast as the system accepts. Load average (1 min) before each run: %s%n%n", rate,
            loads(results));
        if (throughput.containsKey("jgroups"))
        {
            for (final String omnibus :
                List.of("omnibus-agreed", "omnibus-safe", "omnibus-agreed-ll", "omnibus-safe-ll"))
            {
                if (throughput.containsKey(omnibus))
                {
                    final double tput = throughput.get(omnibus) / throughput.get("jgroups");
                    final double lat = p50.get(omnibus) / p50.get("jgroups");
                    System.out.printf(Locale.ROOT, "- %s / jgroups: throughput x%.2f (target >= 3: %s), p50 x%.2f " +
                        "(target <= 0.5: %s)%n", omnibus, tput, met(tput >= 3), lat, met(lat <= 0.5));
                }
            }
        }
        if (throughput.containsKey("aeron"))
        {
            for (final String omnibus : List.of("omnibus-agreed", "omnibus-agreed-ll"))
            {
                if (throughput.containsKey(omnibus))
                {
                    final double share = throughput.get(omnibus) / throughput.get("aeron");
                    System.out.printf(Locale.ROOT, "- %s / raw aeron: throughput %.0f %% (target >= 50 %%: %s)%n",
                        omnibus, 100 * share, met(share >= 0.5));
                }
            }
        }
        System.out.println();
        for (final Map.Entry<String, String> e : descriptions.entrySet())
        {
            System.out.println("### " + e.getKey());
            System.out.println(e.getValue());
        }
    }

    private static String loadAverage()
    {
        try
        {
            return Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }

    private static String met(final boolean met)
    {
        return met ? "met" : "NOT met";
    }

    private static String cell(final List<Map<String, String>> runs, final String key, final String format)
    {
        final double[] values = values(runs, key);
        if (values.length == 0)
        {
            return "-";
        }
        return String.format(Locale.ROOT, format, median(runs, key)) + " (" +
            String.format(Locale.ROOT, format, values[0]) + " - " +
            String.format(Locale.ROOT, format, values[values.length - 1]) + ")";
    }

    private static String loads(final Map<String, List<Map<String, String>>> results)
    {
        final StringBuilder line = new StringBuilder();
        for (final Map.Entry<String, List<Map<String, String>>> e : results.entrySet())
        {
            line.append(line.length() == 0 ? "" : "; ").append(e.getKey()).append(' ');
            for (final Map<String, String> run : e.getValue())
            {
                line.append(run.getOrDefault("load", "?")).append(' ');
            }
        }
        return line.toString().trim();
    }

    private static double[] values(final List<Map<String, String>> runs, final String key)
    {
        return runs.stream().filter((r) -> r.containsKey(key)).mapToDouble((r) -> Double.parseDouble(r.get(key)))
            .sorted().toArray();
    }

    private static double median(final List<Map<String, String>> runs, final String key)
    {
        final double[] values = values(runs, key);
        if (values.length == 0)
        {
            return Double.NaN;
        }
        return values.length % 2 == 1 ? values[values.length / 2] :
            (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Child
    // ----------------------------------------------------------------------------------------------------------------

    private static final long BACK_PRESSURE_PARK_NS = 50_000;

    private volatile long perMemberRate;
    private volatile boolean sending = true;
    private volatile boolean paused;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

    private Integer runChild() throws Exception
    {
        final Path scratch = dir != null ? dir : Files.createTempDirectory("omnibus-cluster-bench");
        final BenchSystem system = create(child);
        final Thread[] senders = new Thread[members];
        try
        {
            system.start(scratch, members);
            System.out.println("DESCRIPTION");
            System.out.println(system.describe());
            System.out.println("END DESCRIPTION");
            for (int i = 0; i < members; i++)
            {
                final int member = i;
                senders[i] = new Thread(() -> sendLoop(system, member), "sender-" + i);
                senders[i].start();
            }

            sleep(warmupMs);
            final long[] before = delivered(system);
            final long startNs = System.nanoTime();
            sleep(measureMs);
            final long[] after = delivered(system);
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            double sum = 0;
            for (int i = 0; i < members; i++)
            {
                sum += (after[i] - before[i]) / seconds;
            }
            final double throughput = sum / members;

            // Let the backlog of the saturated phase drain before timing deliveries at the fixed rate.
            paused = true;
            awaitDrained(system);
            perMemberRate = Math.max(1, rate / members);
            paused = false;
            sleep(Math.max(1000, warmupMs / 3));
            system.resetLatency();
            final long[] latencyBefore = delivered(system);
            final long cpuBefore = processCpuNs();
            sleep(measureMs);
            final long cpuAfter = processCpuNs();
            final long[] latencyAfter = delivered(system);
            final Histogram histogram = system.latency();
            long deliveredInPhase = 0;
            for (int i = 0; i < members; i++)
            {
                deliveredInPhase += latencyAfter[i] - latencyBefore[i];
            }
            sending = false;
            for (final Thread sender : senders)
            {
                sender.join(TimeUnit.SECONDS.toMillis(30));
            }
            System.out.println("stats: " + system.stats());
            System.out.printf(Locale.ROOT, "RESULT throughput=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f " +
                "max_us=%.1f latency_count=%d cpu_us_per_msg=%.2f retransmit_requests=%d%n", throughput,
                histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3,
                histogram.getTotalCount(), deliveredInPhase == 0 ? 0 : (cpuAfter - cpuBefore) / 1e3 / deliveredInPhase,
                system.retransmitRequests());
        }
        finally
        {
            sending = false;
            system.close();
            if (dir == null)
            {
                deleteRecursively(scratch);
            }
        }
        System.out.flush();
        return 0;
    }

    private BenchSystem create(final String name)
    {
        switch (name)
        {
            case "aeron":
                return new AeronSystem();
            case "omnibus-agreed":
                return new OmnibusSystem(DeliveryLevel.AGREED, driverThreading, false);
            case "omnibus-safe":
                return new OmnibusSystem(DeliveryLevel.SAFE, driverThreading, false);
            case "omnibus-agreed-ll":
                return new OmnibusSystem(DeliveryLevel.AGREED, driverThreading, true);
            case "omnibus-safe-ll":
                return new OmnibusSystem(DeliveryLevel.SAFE, driverThreading, true);
            case "jgroups":
                return new JGroupsSystem();
            default:
                throw new IllegalArgumentException("unknown system " + name);
        }
    }

    /**
     * Saturated while {@link #perMemberRate} is 0, then paced: every message due by now is sent (open loop).
     */
    private void sendLoop(final BenchSystem system, final int member)
    {
        long nextNs = 0;
        try
        {
            while (sending)
            {
                if (paused)
                {
                    LockSupport.parkNanos(1_000_000);
                    nextNs = 0;
                    continue;
                }
                final long ratePerMember = perMemberRate;
                if (ratePerMember > 0)
                {
                    final long nowNs = System.nanoTime();
                    if (nextNs == 0)
                    {
                        nextNs = nowNs;
                    }
                    if (nowNs < nextNs)
                    {
                        LockSupport.parkNanos(Math.min(nextNs - nowNs, 1_000_000));
                        continue;
                    }
                    nextNs += 1_000_000_000L / ratePerMember;
                }
                while (!system.send(member, payload))
                {
                    if (!sending)
                    {
                        return;
                    }
                    // Back-pressured: give the CPU to the system (2 cores), as a blocking send would.
                    LockSupport.parkNanos(BACK_PRESSURE_PARK_NS);
                }
                sent.incrementAndGet();
            }
        }
        catch (final Exception ex)
        {
            if (sending)
            {
                ex.printStackTrace();
            }
        }
    }

    private void awaitDrained(final BenchSystem system) throws InterruptedException
    {
        Thread.sleep(50);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline)
        {
            final long total = sent.get();
            boolean drained = true;
            for (int i = 0; i < members; i++)
            {
                drained &= system.delivered(i) >= total;
            }
            if (drained)
            {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the backlog did not drain: sent " + sent.get());
    }

    private long[] delivered(final BenchSystem system)
    {
        final long[] counts = new long[members];
        for (int i = 0; i < members; i++)
        {
            counts[i] = system.delivered(i);
        }
        return counts;
    }

    private static long processCpuNs()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
        {
            return ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime();
        }
        return 0;
    }

    private static void sleep(final long ms) throws InterruptedException
    {
        Thread.sleep(ms);
    }

    private static void deleteRecursively(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(path))
        {
            walk.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
        }
    }
}
