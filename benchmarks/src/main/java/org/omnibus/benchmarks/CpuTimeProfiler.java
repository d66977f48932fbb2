package org.omnibus.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;

/**
 * A JMH profiler that reports the CPU time the benchmark threads used per operation, and from it the operations
 * per second of CPU: the throughput of one core that the benchmark had to itself. On a machine shared with other
 * work, wall-clock throughput measures the scheduler as much as the code; CPU time measures the code.
 * <p>
 * Use: {@code java -jar benchmarks.jar ... -prof org.omnibus.benchmarks.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler
{
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long cpuNsBefore;
    private long wallNsBefore;

    @Override
    public String getDescription()
    {
        return "CPU time of the JMH worker threads per operation, and operations per CPU-second";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams)
    {
        cpuNsBefore = workerCpuNs();
        wallNsBefore = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(
        final BenchmarkParams benchmarkParams, final IterationParams iterationParams, final IterationResult result)
    {
        final long cpuNs = workerCpuNs() - cpuNsBefore;
        final long wallNs = System.nanoTime() - wallNsBefore;
        final long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0 || cpuNs <= 0)
        {
            return List.of();
        }
        return List.of(
            new ScalarResult("cpu.time.norm", (double)cpuNs / ops, "ns/op", AggregationPolicy.AVG),
            new ScalarResult("cpu.ops.per.cpu.second", ops * 1e9 / cpuNs, "ops/cpu-s", AggregationPolicy.AVG),
            new ScalarResult("cpu.share", (double)cpuNs / wallNs / benchmarkParams.getThreads(), "core",
                AggregationPolicy.AVG));
    }

    private long workerCpuNs()
    {
        long total = 0;
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info != null && info.getThreadName().contains("jmh-worker"))
            {
                final long cpu = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }
}
