package org.omnibus.benchmarks.edge;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The harness's own checks: address handling, medians and ratios, and a short smoke run of both workloads against a
 * private dbus-daemon with the benchmark's client classes on threads (the real benchmark runs them as processes).
 */
class EdgeHarnessTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void parsesAndEscapesUnixPathAddresses()
    {
        assertThat(BusAddress.socketPath("unix:path=/tmp/a%20b/bus,guid=0123"))
            .isEqualTo(Path.of("/tmp/a b/bus"));
        assertThat(BusAddress.socketPath("unix:abstract=x;unix:path=/run/bus")).isEqualTo(Path.of("/run/bus"));
        assertThat(BusAddress.of(Path.of("/tmp/a b/bus"))).isEqualTo("unix:path=/tmp/a%20b/bus");
    }

    @Test
    void tableShowsMediansAndRatios()
    {
        final Workload call = new Workload(Workload.Type.CALL, 64, 0);
        final List<RunResult> results = new ArrayList<>();
        final double[] omnibus = {40, 50, 1000};
        final double[] daemon = {100, 120, 110};
        for (int run = 0; run < 3; run++)
        {
            results.add(new RunResult("omnibus", call, run + 1, true, Map.of("p50", omnibus[run]), ""));
            results.add(new RunResult("dbus-daemon", call, run + 1, true, Map.of("p50", daemon[run]), ""));
        }
        results.add(RunResult.failed("dbus-daemon", call, 4, "bus not running"));
        final ResultTable table = new ResultTable(List.of("dbus-daemon", "omnibus"), List.of(call), results);

        assertThat(table.median("omnibus", call, "p50")).isEqualTo(50);
        assertThat(table.median("dbus-daemon", call, "p50")).isEqualTo(110);
        assertThat(table.markdown())
            .contains("| call 64 B | RTT p50 (us) | 110.0 [100-120] (3/4 ok) | 50.0 [40-1000] | 0.45 |");
        assertThat(table.targets()).contains("p50 Omnibus/dbus-daemon = 0.45 (target <= 0.5): met");
    }

    @Test
    @Timeout(60)
    void smokeRunAgainstDBusDaemon(@TempDir final Path dir) throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dbus-daemon")), "dbus-daemon is not installed");
        final ExecutorService threads = Executors.newCachedThreadPool();
        try (RunningBus bus = RunningBus.start(
            RunningBus.Kind.DBUS_DAEMON, dir, new RunningBus.Launchers(List.of(), Map.of(), dir.resolve("unused"))))
        {
            try (EchoService echo = new EchoService(bus.address(), 10_000);
                CallLatency caller = new CallLatency(bus.address(), 64, 10_000))
            {
                final Future<Long> echoed = threads.submit(echo::run);
                final Histogram histogram = caller.run(100 * MS, 500 * MS, line -> { });
                assertThat(histogram.getTotalCount()).isPositive();
                assertThat(echoed.get(10, TimeUnit.SECONDS)).isGreaterThan(histogram.getTotalCount());
                assertThat(EdgeClient.latencyResult(histogram)).startsWith("RESULT status=ok count=");
            }

            try (SignalEmitter emitter = new SignalEmitter(bus.address(), 1024, 2, 64, 10_000))
            {
                final List<Future<Long>> received = new ArrayList<>();
                for (int i = 0; i < 2; i++)
                {
                    final SignalSubscriber subscriber = new SignalSubscriber(bus.address(), i, 16, 10_000);
                    received.add(threads.submit(() ->
                    {
                        try (subscriber)
                        {
                            return subscriber.run();
                        }
                    }));
                }
                final SignalEmitter.Result result = emitter.run(10_000 * MS, 100 * MS, 500 * MS, line -> { });
                assertThat(result.complete()).isTrue();
                assertThat(java.util.Arrays.stream(result.delivered()).min().orElse(0)).isPositive();
                for (final Future<Long> count : received)
                {
                    assertThat(count.get(10, TimeUnit.SECONDS)).isEqualTo(result.sent());
                }
            }
        }
        finally
        {
            threads.shutdownNow();
        }
    }
}
