package org.omnibus.membership.sim;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The parameters of one simulated run, all drawn from its seed: cluster size, fault mix, network, timers,
 * capacities and workload.
 */
final class SimScenario
{
    static final String[] PROFILES = { "calm", "lossy", "crashes", "partitions", "chaos", "cramped", "asymmetric" };

    final long seed;
    final String profile;
    final int nodeCount;
    final boolean lateJoiner;
    final long faultEndNs;
    final long loadEndNs;
    final long deadlineNs;
    final double dropRate;
    final double duplicateRate;
    final long minDelayNs;
    final long jitterNs;
    final long meanPartitionGapNs;
    final long meanCrashGapNs;
    final long meanDowntimeNs;
    final long meanLinkCutGapNs;
    final long meanLeaveGapNs;
    final long meanPauseGapNs;
    final double submitsPerSecondPerNode;
    final double safeFraction;
    final int maxExtraPayload;
    final int logCapacity;
    final int window;
    final int outboxCapacity;
    final int maxBatchLength;
    final long tickIntervalNs;
    final long heartbeatIntervalNs;
    final long suspicionTimeoutNs;
    final long flushTimeoutNs;

    SimScenario(final long seed, final long faultScale)
    {
        this.seed = seed;
        final SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        profile = PROFILES[r.nextInt(PROFILES.length)];
        nodeCount = new int[]{ 1, 2, 3, 3, 3, 4, 5, 5 }[r.nextInt(8)];
        lateJoiner = nodeCount >= 3 && r.nextInt(4) == 0;
        faultEndNs = ms(800 + r.nextInt(1700)) * faultScale;
        loadEndNs = faultEndNs + ms(200);
        deadlineNs = faultEndNs + TimeUnit.SECONDS.toNanos(10);
        final boolean lossy = profile.equals("lossy") || profile.equals("chaos") || profile.equals("cramped");
        dropRate = lossy ? new double[]{ 0.01, 0.03, 0.08, 0.15 }[r.nextInt(4)] : 0;
        duplicateRate = lossy ? new double[]{ 0, 0.02, 0.05 }[r.nextInt(3)] : 0;
        minDelayNs = TimeUnit.MICROSECONDS.toNanos(50 + r.nextInt(500));
        jitterNs = TimeUnit.MICROSECONDS.toNanos(lossy ? r.nextInt(8000) : r.nextInt(300));
        final boolean partitions = profile.equals("partitions") || profile.equals("chaos");
        meanPartitionGapNs = partitions ? ms(300 + r.nextInt(700)) : 0;
        final boolean crashes = profile.equals("crashes") || profile.equals("chaos");
        meanCrashGapNs = crashes ? ms(300 + r.nextInt(700)) : 0;
        meanDowntimeNs = ms(100 + r.nextInt(600));
        meanLeaveGapNs = crashes ? ms(500 + r.nextInt(1500)) : 0;
        final boolean asymmetric = profile.equals("asymmetric") || profile.equals("chaos");
        meanLinkCutGapNs = asymmetric ? ms(200 + r.nextInt(600)) : 0;
        meanPauseGapNs = asymmetric ? ms(300 + r.nextInt(900)) : 0;
        submitsPerSecondPerNode = 10 + r.nextInt(60);
        safeFraction = new double[]{ 0, 0.3, 0.5, 1.0 }[r.nextInt(4)];
        maxExtraPayload = r.nextInt(4) == 0 ? 2000 : 48;
        final boolean cramped = profile.equals("cramped");
        logCapacity = cramped ? 64 : 1024;
        window = cramped ? 8 + r.nextInt(24) : 256;
        outboxCapacity = cramped ? 32 : 1024;
        maxBatchLength = cramped ? 1024 : 8192;
        tickIntervalNs = ms(4 + r.nextInt(6));
        heartbeatIntervalNs = ms(20 + r.nextInt(20));
        suspicionTimeoutNs = heartbeatIntervalNs * (5 + r.nextInt(6));
        flushTimeoutNs = suspicionTimeoutNs;
    }

    static long ms(final long millis)
    {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** {@inheritDoc} */
    public String toString()
    {
        return "scenario{seed=" + seed + " " + profile + " nodes=" + nodeCount + (lateJoiner ? " +lateJoiner" : "") +
            " faultEnd=" + faultEndNs / 1_000_000 + "ms drop=" + dropRate + " dup=" + duplicateRate +
            " jitter=" + jitterNs / 1000 + "us partitionGap=" + meanPartitionGapNs / 1_000_000 +
"ms crashGap=" + meanCrashGapNs / 1_000_000 + "ms linkCutGap=" + meanLinkCutGapNs / 1_000_000 +
            "ms pauseGap=" + meanPauseGapNs / 1_000_000 + "ms leaveGap=" + meanLeaveGapNs / 1_000_000 +
            "ms rate=" + submitsPerSecondPerNode +
            "/s safe=" + safeFraction + " log=" + logCapacity + " window=" + window +
            " hb=" + heartbeatIntervalNs / 1_000_000 + "ms suspicion=" + suspicionTimeoutNs / 1_000_000 + "ms}";
    }
}
