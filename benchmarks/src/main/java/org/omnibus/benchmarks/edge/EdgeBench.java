package org.omnibus.benchmarks.edge;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The side-by-side edge benchmark: starts every bus under test at once (each in its own directory with the same
 * {@link BusConfig}), then runs each workload several times on each bus with the same client processes
 * ({@link EdgeClient}), interleaving the buses run by run (and rotating their order) so that a machine whose load
 * drifts weighs on all of them alike. Prints and writes the median table ({@link ResultTable}), every run as CSV and
 * the HdrHistogram percentile files of the call workloads. Everything it started is ended on exit, failure included.
 * <p>
 * Metrics: calls {@code p50 p90 p99 p999 mean max} (microseconds, from the caller's histogram), {@code count};
 * signals {@code per_sub} (mean over subscribers of delivered signals/s), {@code min_sub}, {@code total}
 * (all subscribers, signals/s), {@code sent}; both {@code bus_cpu_us}: the bus processes' CPU time over the measured
 * period divided by the calls made or signals delivered; {@code client_cpu_us} the same for all client processes
 * together (caller and echo service; emitter and subscribers).
 */
@Command(name = "edge-bench", mixinStandardHelpOptions = true,
    description = "Omnibus vs dbus-daemon vs dbus-broker: call round trips and signal throughput.")
public final class EdgeBench implements Callable<Integer>
{
    @Option(names = "--buses", split = ",", defaultValue = "dbus-daemon,dbus-broker,omnibus",
        description = "Buses to run, comma separated. Default: ${DEFAULT-VALUE}")
    private List<String> buses;

    @Option(names = "--workloads", split = ",", defaultValue = "call,signal",
        description = "Workload types: call, signal. Default: ${DEFAULT-VALUE}")
    private List<String> workloadTypes;

    @Option(names = "--bodies", split = ",", defaultValue = "64,1024",
        description = "Body lengths in bytes. Default: ${DEFAULT-VALUE}")
    private List<Integer> bodies;

    @Option(names = "--subscribers", split = ",", defaultValue = "1,4",
        description = "Subscriber counts of the signal workloads. Default: ${DEFAULT-VALUE}")
    private List<Integer> subscriberCounts;

    @Option(names = "--runs", defaultValue = "3", description = "Runs per bus and workload. Default: ${DEFAULT-VALUE}")
    private int runs;

    @Option(names = "--warmup-ms", defaultValue = "3000",
        description = "Unrecorded warm-up per run (client JIT, bus). Default: ${DEFAULT-VALUE}")
    private long warmupMs;

    @Option(names = "--measure-ms", defaultValue = "5000",
        description = "Measured period per run. Default: ${DEFAULT-VALUE}")
    private long measureMs;

    @Option(names = "--warmup-rounds", defaultValue = "1",
        description = "Unrecorded rounds of every workload on every bus before the measured runs (warms the buses' "
        + "JIT and caches), each measuring 1 s. Default: ${DEFAULT-VALUE}")
    private int warmupRounds;

    @Option(names = "--window", defaultValue = "1024",
        description = "Signals the emitter may have unacknowledged by the slowest subscriber. "
        + "Default: ${DEFAULT-VALUE}")
    private int window;

    @Option(names = "--ack-every", defaultValue = "128",
        description = "A subscriber acknowledges every this many signals. Default: ${DEFAULT-VALUE}")
    private int ackEvery;

    @Option(names = "--out", defaultValue = "benchmarks/target/edge-bench",
        description = "Results directory (table, CSV, histograms, logs). Default: ${DEFAULT-VALUE}")
    private Path out;

    @Option(names = "--work-dir", description = "Directory for bus configs and sockets (removed at exit). "
        + "Default: a new temporary directory")
    private Path workDir;

    @Option(names = "--omnibus-command", split = " ", defaultValue =
        "./omnibus --config-file={config} --data-dir={dir}/data --nofork --print-address",
        description = "Command starting Omnibus, space separated; {config}, {socket}, {dir} are replaced. "
        + "Default: ${DEFAULT-VALUE}")
    private List<String> omnibusCommand;

    @Option(names = "--omnibus-java-opts", description = "JVM options for Omnibus (its launcher's OMNIBUS_JAVA_OPTS), "
        + "e.g. -XX:StartFlightRecording=filename=omnibus.jfr,settings=profile to profile it with JFR.")
    private String omnibusJavaOptions;

    @Option(names = "--broker-launcher", defaultValue = "benchmarks/scripts/dbus-broker-session.sh",
        description = "Script starting dbus-broker without systemd. Default: ${DEFAULT-VALUE}")
    private Path brokerLauncher;

    @Option(names = "--client-jvm-opts", split = " ",
        defaultValue = "-XX:+UseSerialGC -Xms64m -Xmx64m -XX:-UsePerfData",
        description = "JVM options of every client process, space separated. Default: ${DEFAULT-VALUE}")
    private List<String> clientJvmOptions;

    @Option(names = "--floor", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Also run the call workloads without a bus (the same caller and echo code over one direct Unix "
        + "socket): the client's own floor. Default: ${DEFAULT-VALUE}")
    private boolean floor;

    /** Column label of the client floor (no bus). */
    public static final String NO_BUS = "no bus";

    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private final List<RunResult> results = new ArrayList<>();
    private static final int MAX_RESTARTS = 3;

    private final List<String> restarts = new ArrayList<>();
    private boolean ownWorkDir;
    private long periodMs;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new EdgeBench()).execute(args));
    }

    /**
     * Run everything.
     *
     * @return exit code: 0 when every run completed, 2 when some failed.
     * @throws IOException if the output cannot be written or no bus starts.
     */
    public Integer call() throws IOException
    {
        final Thread cleanup = new Thread(this::closeAll, "edge-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            return runAll();
        }
        finally
        {
            closeAll();
            deleteWorkDir();
        }
    }

    private int runAll() throws IOException
    {
        if (window < 2 * ackEvery)
        {
            throw new IllegalArgumentException("--window must be at least twice --ack-every");
        }
        Files.createDirectories(out.resolve("logs"));
        if (workDir == null)
        {
            workDir = Files.createTempDirectory("omnibus-edge-bench");
            ownWorkDir = true;
        }
        final List<Workload> workloads = workloads();
        final String loadBefore = loadAverage();
        final Instant started = Instant.now();

        final Map<String, RunningBus> running = new LinkedHashMap<>();
        final RunningBus.Launchers launchers = new RunningBus.Launchers(omnibusCommand,
            omnibusJavaOptions == null ? Map.of() : Map.of("OMNIBUS_JAVA_OPTS", omnibusJavaOptions), brokerLauncher);
        for (final String label : buses)
        {
            final RunningBus.Kind kind = RunningBus.Kind.ofLabel(label);
            final Path dir = Files.createDirectories(workDir.resolve(label));
            try
            {
                final RunningBus bus = RunningBus.start(kind, dir, launchers);
                open.add(bus);
                running.put(label, bus);
                log("started %s (%s) at %s", label, bus.version(), bus.address());
            }
            catch (final IOException ex)
            {
                log("could not start %s: %s", label, ex.getMessage());
                copyQuietly(dir.resolve("bus.log"), out.resolve("logs").resolve(label + "-bus.log"));
            }
        }
        if (running.isEmpty())
        {
            throw new IOException("no bus started");
        }

        final List<String> order = new ArrayList<>(running.keySet());
        for (int run = 1 - warmupRounds; run <= runs; run++)
        {
            final boolean record = run > 0;
            periodMs = record ? measureMs : Math.min(measureMs, 1000);
            final String runLabel = record ? "run " + run : "warm-up";
            for (final Workload workload : workloads)
            {
                for (int i = 0; i < order.size(); i++)
                {
                    final String label = order.get(Math.floorMod(i + run - 1, order.size()));
                    final RunningBus bus = aliveOrRestarted(running, label, launchers);
                    final RunResult result = bus != null && bus.isAlive() ?
                        runOnce(bus, workload, run) : RunResult.failed(label, workload, run, "bus not running");
                    if (record)
                    {
                        results.add(result);
                    }
                    log("%-7s %-11s %-20s %s", runLabel, label, workload.label(),
                        result.ok() ? summary(result) : "FAILED " + result.note());
                }
                if (floor && workload.type() == Workload.Type.CALL)
                {
                    final RunResult result = runFloor(workload, run);
                    if (record)
                    {
                        results.add(result);
                    }
                    log("%-7s %-11s %-20s %s", runLabel, NO_BUS, workload.label(),
                        result.ok() ? summary(result) : "FAILED " + result.note());
                }
            }
        }
        for (final Map.Entry<String, RunningBus> entry : running.entrySet())
        {
            entry.getValue().close();
            open.remove(entry.getValue());
            copyQuietly(entry.getValue().dir().resolve("bus.log"),
                out.resolve("logs").resolve(entry.getKey() + "-bus.log"));
            copyQuietly(entry.getValue().dir().resolve("journal.log"),
                out.resolve("logs").resolve(entry.getKey() + "-journal.log"));
        }

        final List<String> columns = new ArrayList<>(running.keySet());
        if (floor && workloads.stream().anyMatch(w -> w.type() == Workload.Type.CALL))
        {
            columns.add(NO_BUS);
        }
        final ResultTable table = new ResultTable(columns, workloads, results);
        final String report = report(table, running, started, loadBefore, loadAverage());
        System.out.println();
        System.out.println(report);
        Files.writeString(out.resolve("results.md"), report, StandardCharsets.UTF_8);
        final StringBuilder csv = new StringBuilder("bus,workload,run,ok,metrics,note\n");
        results.forEach(r -> csv.append(r.csv()).append('\n'));
        Files.writeString(out.resolve("runs.csv"), csv, StandardCharsets.UTF_8);
        return results.stream().allMatch(RunResult::ok) ? 0 : 2;
    }

    /**
     * The bus, restarted in a new directory if its process has ended since the last run (a crash, or someone
     * else's kill); every restart is logged and listed in the report.
     */
    private RunningBus aliveOrRestarted(
        final Map<String, RunningBus> running, final String label, final RunningBus.Launchers launchers)
    {
        final RunningBus bus = running.get(label);
        if (bus.isAlive())
        {
            return bus;
        }
        final int attempt = (int)restarts.stream().filter(r -> r.startsWith(label + ":")).count() + 1;
        copyQuietly(bus.dir().resolve("bus.log"), out.resolve("logs").resolve(label + "-bus-died-" + attempt + ".log"));
        final String note = label + ": ended (" + bus.exitText() + ") at " + Instant.now() + ", restarted";
        restarts.add(note);
        log("%s", note);
        open.remove(bus);
        bus.close();
        if (attempt > MAX_RESTARTS)
        {
            return bus;
        }
        try
        {
            final Path dir = Files.createDirectories(workDir.resolve(label + "-" + (attempt + 1)));
            final RunningBus restarted = RunningBus.start(RunningBus.Kind.ofLabel(label), dir, launchers);
            open.add(restarted);
            running.put(label, restarted);
            return restarted;
        }
        catch (final IOException ex)
        {
            log("could not restart %s: %s", label, ex.getMessage());
            return bus;
        }
    }

    private List<Workload> workloads()
    {
        final List<Workload> workloads = new ArrayList<>();
        if (workloadTypes.contains("call"))
        {
            bodies.forEach(b -> workloads.add(new Workload(Workload.Type.CALL, b, 0)));
        }
        if (workloadTypes.contains("signal"))
        {
            for (final int subscribers : subscriberCounts)
            {
                bodies.forEach(b -> workloads.add(new Workload(Workload.Type.SIGNAL, b, subscribers)));
            }
        }
        return workloads;
    }

    private RunResult runOnce(final RunningBus bus, final Workload workload, final int run)
    {
        final String prefix = bus.kind().label() + "-" + workload.fileLabel() + "-run" + run;
        final List<ChildProcess> clients = new ArrayList<>();
        try
        {
            return workload.type() == Workload.Type.CALL ?
                runCalls(bus, workload, run, prefix, clients) : runSignals(bus, workload, run, prefix, clients);
        }
        catch (final IOException | RuntimeException ex)
        {
            return RunResult.failed(bus.kind().label(), workload, run, String.valueOf(ex.getMessage()));
        }
        finally
        {
            for (final ChildProcess client : clients)
            {
                client.close();
                open.remove(client);
            }
        }
    }

    private RunResult runCalls(
        final RunningBus bus, final Workload workload, final int run, final String prefix,
        final List<ChildProcess> clients) throws IOException
    {
        return runCalls(bus.kind().label(), bus, "echo", bus.address(), workload, run, prefix, clients);
    }

    private RunResult runFloor(final Workload workload, final int run)
    {
        final String prefix = "no-bus-" + workload.fileLabel() + "-run" + run;
        final List<ChildProcess> clients = new ArrayList<>();
        try
        {
            final Path socket = Files.createDirectories(workDir.resolve("no-bus")).resolve(prefix + ".sock");
            final String address = BusAddress.DIRECT_PREFIX + "path=" + socket;
            return runCalls(NO_BUS, null, "direct-echo", address, workload, run, prefix, clients);
        }
        catch (final IOException | RuntimeException ex)
        {
            return RunResult.failed(NO_BUS, workload, run, String.valueOf(ex.getMessage()));
        }
        finally
        {
            for (final ChildProcess client : clients)
            {
                client.close();
                open.remove(client);
            }
        }
    }

    private RunResult runCalls(
        final String label, final RunningBus bus, final String echoRole, final String address,
        final Workload workload, final int run, final String prefix, final List<ChildProcess> clients)
        throws IOException
    {
        final ChildProcess echo = client(prefix + "-echo", clients, echoRole, address);
        echo.awaitLine("READY"::equals, RunningBus.START_TIMEOUT_MS);
        final Path histogram = out.resolve(label.replace(' ', '-'))
            .resolve(workload.fileLabel() + "-run" + run + ".hgrm");
        final ChildProcess caller = client(prefix + "-call", clients, "call", address,
            String.valueOf(workload.bodyLength()), String.valueOf(warmupMs), String.valueOf(periodMs),
            histogram.toString());
        final long[] cpu = measureCpu(bus, caller, clients);
        final String line = caller.awaitLine(l -> l.startsWith("RESULT"), RunningBus.START_TIMEOUT_MS);
        if (!line.contains("status=ok"))
        {
            return RunResult.failed(label, workload, run, line);
        }
        echo.awaitExit(10_000);
        final Map<String, Double> metrics = RunResult.parse(line);
        if (bus != null)
        {
            metrics.put("bus_cpu_us", (cpu[1] - cpu[0]) / 1000.0 / metrics.get("count"));
        }
        metrics.put("client_cpu_us", (cpu[3] - cpu[2]) / 1000.0 / metrics.get("count"));
        return new RunResult(label, workload, run, true, metrics, "");
    }

    private RunResult runSignals(
        final RunningBus bus, final Workload workload, final int run, final String prefix,
        final List<ChildProcess> clients) throws IOException
    {
        final ChildProcess emitter = client(prefix + "-emit", clients, "emit", bus.address(),
            String.valueOf(workload.bodyLength()), String.valueOf(workload.subscribers()), String.valueOf(window),
            String.valueOf(warmupMs), String.valueOf(periodMs));
        emitter.awaitLine("READY"::equals, RunningBus.START_TIMEOUT_MS);
        final List<ChildProcess> subscribers = new ArrayList<>();
        for (int i = 0; i < workload.subscribers(); i++)
        {
            subscribers.add(client(prefix + "-sub" + i, clients, "subscribe", bus.address(),
                String.valueOf(i), String.valueOf(ackEvery)));
        }
        for (final ChildProcess subscriber : subscribers)
        {
            subscriber.awaitLine("READY"::equals, RunningBus.START_TIMEOUT_MS);
        }
        final long[] cpu = measureCpu(bus, emitter, clients);
        final String line = emitter.awaitLine(l -> l.startsWith("RESULT"), RunningBus.START_TIMEOUT_MS);
        if (!line.contains("status=ok"))
        {
            return RunResult.failed(bus.kind().label(), workload, run, line);
        }
        final double[] rates = Arrays.stream(RunResult.rawValue(line, "rates").split(","))
            .mapToDouble(Double::parseDouble).toArray();
        final Map<String, Double> metrics = RunResult.parse(line);
        metrics.put("per_sub", Arrays.stream(rates).average().orElse(0));
        metrics.put("min_sub", Arrays.stream(rates).min().orElse(0));
        final double delivered = metrics.get("total") * metrics.get("measured_ms") / 1000.0;
        metrics.put("bus_cpu_us", (cpu[1] - cpu[0]) / 1000.0 / delivered);
        metrics.put("client_cpu_us", (cpu[3] - cpu[2]) / 1000.0 / delivered);
        return new RunResult(bus.kind().label(), workload, run, true, metrics, "");
    }

    /**
     * CPU time of the bus and of the clients over the measured period, in nanoseconds.
     *
     * @return bus before, bus after, clients before, clients after.
     */
    private long[] measureCpu(final RunningBus bus, final ChildProcess measuring, final List<ChildProcess> clients)
        throws IOException
    {
        final long timeoutMs = warmupMs + periodMs + RunningBus.START_TIMEOUT_MS;
        measuring.awaitLine("MEASURE_START"::equals, timeoutMs);
        final long busBefore = bus == null ? 0 : bus.cpuNanos();
        final long clientsBefore = clients.stream().mapToLong(ChildProcess::cpuNanos).sum();
        measuring.awaitLine("MEASURE_END"::equals, periodMs + RunningBus.START_TIMEOUT_MS);
        final long busAfter = bus == null ? 0 : bus.cpuNanos();
        final long clientsAfter = clients.stream().mapToLong(ChildProcess::cpuNanos).sum();
        measuring.send("CONTINUE");
        return new long[]{busBefore, busAfter, clientsBefore, clientsAfter};
    }

    private ChildProcess client(
        final String name, final List<ChildProcess> clients, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(clientJvmOptions);
        command.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EdgeClient.class.getName());
        command.addAll(Arrays.asList(args));
        final ChildProcess process = ChildProcess.start(name, command, Map.of(),
            out.resolve("logs").resolve(name + ".log"));
        clients.add(process);
        open.add(process);
        return process;
    }

    private String report(
        final ResultTable table, final Map<String, RunningBus> running, final Instant started,
        final String loadBefore, final String loadAfter)
    {
        final StringBuilder md = new StringBuilder();
        md.append("Edge benchmark, ").append(started).append('\n');
        running.values().forEach(b -> md.append("- ").append(b.kind().label()).append(": ").append(b.version())
            .append('\n'));
        if (floor)
        {
            md.append("- ").append(NO_BUS).append(": the same caller and echo service connected directly by one Unix "
                + "socket, no bus (the client's floor)\n");
        }
        md.append(String.format(Locale.ROOT, "- machine: %d cores, %s; load average before %s, after %s%n",
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"), loadBefore, loadAfter));
        md.append(String.format(Locale.ROOT,
            "- %d runs per bus and workload (medians shown) after %d unrecorded round(s); each run: new client "
            + "processes, warm-up %d ms, measured %d ms; signal window %d, ack every %d; client JVM %s %s%n",
            runs, warmupRounds, warmupMs, measureMs, window, ackEvery,
            System.getProperty("java.version"), String.join(" ", clientJvmOptions)));
        md.append("- limits (all buses, one config): ");
        BusConfig.LIMITS.forEach((k, v) -> md.append(k).append('=').append(v).append(' '));
        md.append("\n\n").append(table.markdown());
        final String targets = table.targets();
        if (!targets.isEmpty())
        {
            md.append("\nTargets (issue 3):\n").append(targets);
        }
        if (!restarts.isEmpty())
        {
            md.append("\nBus restarts (a bus found ended before a run; its log is in logs/):\n");
            restarts.forEach(r -> md.append("- ").append(r).append('\n'));
        }
        final List<RunResult> failed = results.stream().filter(r -> !r.ok()).toList();
        if (!failed.isEmpty())
        {
            md.append("\nFailed runs:\n");
            failed.forEach(r -> md.append("- ").append(r.bus()).append(' ').append(r.workload().label())
                .append(" run ").append(r.run()).append(": ").append(r.note()).append('\n'));
        }
        return md.toString();
    }

    private static String summary(final RunResult result)
    {
        final Map<String, Double> m = result.metrics();
        return result.workload().type() == Workload.Type.CALL ?
            String.format(Locale.ROOT, "p50 %.1f us  p99 %.1f us  p99.9 %.1f us  (%d calls%s)",
            m.get("p50"), m.get("p99"), m.get("p999"), m.get("count").longValue(), m.containsKey("bus_cpu_us") ?
            String.format(Locale.ROOT, ", bus CPU %.1f us/call", m.get("bus_cpu_us")) : "") :
            String.format(Locale.ROOT, "%,.0f msg/s per subscriber, %,.0f total (bus CPU %.2f us/delivery)",
            m.get("per_sub"), m.get("total"), m.get("bus_cpu_us"));
    }

    private static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }

    private static void copyQuietly(final Path from, final Path to)
    {
        try
        {
            if (Files.exists(from))
            {
                Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ignore)
        {
            // best effort
        }
    }

    private void closeAll()
    {
        for (final AutoCloseable closeable : open)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignore)
            {
                // ending everything anyway
            }
            open.remove(closeable);
        }
    }

    private void deleteWorkDir()
    {
        if (!ownWorkDir || workDir == null)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ignore)
        {
            // best effort
        }
    }

    private static void log(final String format, final Object... args)
    {
        System.out.printf(Locale.ROOT, "%tT " + format + "%n", prepend(System.currentTimeMillis(), args));
        System.out.flush();
    }

    private static Object[] prepend(final Object first, final Object[] rest)
    {
        final Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
