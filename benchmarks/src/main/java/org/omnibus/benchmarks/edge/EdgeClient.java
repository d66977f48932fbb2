package org.omnibus.benchmarks.edge;

import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of one benchmark client process; {@link EdgeBench} starts one per role. Every role prints
 * {@code READY} once connected (and registered where it matters), {@code MEASURE_START} / {@code MEASURE_END}
 * around the measured period, and one {@code RESULT key=value ...} line; errors go to stderr and a non-zero exit.
 * After MEASURE_END the measuring client (call, emit) waits for a line on stdin (or its end) so that the harness
 * reads CPU counters before the other clients are told to stop.
 * <pre>
 *   echo        ADDRESS
 *   direct-echo direct:path=SOCKET   (listens there; the client floor without a bus)
 *   call        ADDRESS BODY_BYTES WARMUP_MS MEASURE_MS HGRM_FILE
 *   emit        ADDRESS BODY_BYTES SUBSCRIBERS WINDOW WARMUP_MS MEASURE_MS
 *   subscribe   ADDRESS INDEX ACK_EVERY
 * </pre>
 */
public final class EdgeClient
{
    /** Bound on connecting, authenticating and saying Hello. */
    public static final long CONNECT_TIMEOUT_MS = 10_000;

    private EdgeClient()
    {
    }

    /**
     * @param args role and its arguments, see the class comment.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = System.out;
        try
        {
            run(args, out);
            out.flush();
            System.exit(0);
        }
        catch (final Exception ex)
        {
            ex.printStackTrace();
            out.println("RESULT status=failed error=" + String.valueOf(ex.getMessage()).replace(' ', '_'));
            out.flush();
            System.exit(1);
        }
    }

    private static void run(final String[] args, final PrintStream out) throws IOException
    {
        final String role = args[0];
        final String address = args[1];
        switch (role)
        {
            case "echo":
                try (EchoService echo = new EchoService(address, CONNECT_TIMEOUT_MS))
                {
                    out.println("READY");
                    out.flush();
                    out.println("RESULT status=ok echoed=" + echo.run());
                }
                break;

            case "direct-echo":
                try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
                {
                    server.bind(UnixDomainSocketAddress.of(BusAddress.socketPath(address)));
                    out.println("READY");
                    out.flush();
                    try (EchoService echo = new EchoService(BusConnection.accept(server)))
                    {
                        out.println("RESULT status=ok echoed=" + echo.run());
                    }
                }
                break;

            case "call":
                try (CallLatency caller = new CallLatency(address, Integer.parseInt(args[2]), CONNECT_TIMEOUT_MS))
                {
                    out.println("READY");
                    out.flush();
                    final Histogram histogram = caller.run(
                        TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3])),
                        TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4])),
                        line -> progress(out, line));
                    writeHistogram(histogram, Path.of(args[5]));
                    out.println(latencyResult(histogram));
                }
                break;

            case "emit":
                try (SignalEmitter emitter = new SignalEmitter(
                    address, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    CONNECT_TIMEOUT_MS))
                {
                    out.println("READY");
                    out.flush();
                    final SignalEmitter.Result result = emitter.run(
                        TimeUnit.SECONDS.toNanos(30),
                        TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[5])),
                        TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[6])),
                        line -> progress(out, line));
                    out.println(signalResult(result));
                }
                break;

            case "subscribe":
                try (SignalSubscriber subscriber = new SignalSubscriber(
                    address, Integer.parseInt(args[2]), Integer.parseInt(args[3]), CONNECT_TIMEOUT_MS))
                {
                    out.println("READY");
                    out.flush();
                    out.println("RESULT status=ok received=" + subscriber.run());
                }
                break;

            default:
                throw new IllegalArgumentException("unknown role: " + role);
        }
    }

    /**
     * @param histogram round trips in nanoseconds.
     * @return the RESULT line with percentiles in microseconds.
     */
    public static String latencyResult(final Histogram histogram)
    {
        return String.format(Locale.ROOT,
            "RESULT status=ok count=%d mean=%.1f p50=%.1f p90=%.1f p99=%.1f p999=%.1f max=%.1f",
            histogram.getTotalCount(), histogram.getMean() / 1000.0,
            histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
            histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0,
            histogram.getMaxValue() / 1000.0);
    }

    /**
     * @param result a signal run.
     * @return the RESULT line.
     */
    public static String signalResult(final SignalEmitter.Result result)
    {
        final StringBuilder rates = new StringBuilder();
        for (int i = 0; i < result.delivered().length; i++)
        {
            rates.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.0f", result.rate(i)));
        }
        return String.format(Locale.ROOT, "RESULT status=%s sent=%d measured_ms=%d total=%.0f rates=%s",
            result.complete() ? "ok" : "incomplete", result.sent(),
            TimeUnit.NANOSECONDS.toMillis(result.measuredNs()), result.totalRate(), rates);
    }

    /**
     * Write HdrHistogram's percentile distribution, values in microseconds.
     *
     * @param histogram round trips in nanoseconds.
     * @param file      where to write.
     * @throws IOException if the file cannot be written.
     */
    public static void writeHistogram(final Histogram histogram, final Path file) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        try (PrintStream stream = new PrintStream(Files.newOutputStream(file), false, "UTF-8"))
        {
            histogram.outputPercentileDistribution(stream, 1000.0);
        }
    }

    private static void progress(final PrintStream out, final String line)
    {
        out.println(line);
        out.flush();
        if ("MEASURE_END".equals(line))
        {
            awaitContinue();
        }
    }

    /**
     * After the measured period, wait until the harness has read the CPU counters (a line on stdin, or its end)
     * before stopping the other clients, whose processes then exit.
     */
    private static void awaitContinue()
    {
        try
        {
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            in.readLine();
        }
        catch (final IOException ignore)
        {
            // no harness: go on
        }
    }
}
