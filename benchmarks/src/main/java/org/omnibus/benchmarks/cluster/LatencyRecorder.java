package org.omnibus.benchmarks.cluster;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Delivery latencies of all members: thread-safe recording (HdrHistogram {@link Recorder}), interval snapshots.
 */
final class LatencyRecorder
{
    private static final long MAX_NS = 60_000_000_000L;
    private final Recorder recorder = new Recorder(MAX_NS, 3);

    void record(final long sentNs, final long nowNs)
    {
        final long latency = nowNs - sentNs;
        if (latency > 0 && latency < MAX_NS)
        {
            recorder.recordValue(latency);
        }
    }

    void reset()
    {
        recorder.getIntervalHistogram();
    }

    Histogram interval()
    {
        return recorder.getIntervalHistogram();
    }
}
