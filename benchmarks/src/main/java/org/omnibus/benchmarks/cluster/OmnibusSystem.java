package org.omnibus.benchmarks.cluster;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import io.aeron.driver.ThreadingMode;
import io.aeron.driver.status.SystemCounterDescriptor;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipListener;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.StateTransferHandler;
import org.omnibus.membership.View;
import org.omnibus.membership.aeron.BootstrapMode;
import org.omnibus.membership.aeron.Group;
import org.omnibus.membership.aeron.GroupContext;
import org.omnibus.membership.aeron.GroupCounters;
import org.omnibus.transport.IdleStrategyKind;
import org.omnibus.transport.TransportContext;
import org.omnibus.transport.TransportStream;

/**
 * Omnibus: one {@link Group} per member (its own embedded media driver and group agent thread), multicast on
 * loopback, every message submitted at one delivery level.
 */
final class OmnibusSystem implements BenchSystem
{
    private final DeliveryLevel level;
    private final ThreadingMode driverThreading;
    private final boolean lowLatency;
    private final LatencyRecorder latency = new LatencyRecorder();
    private Group[] groups;
    private UnsafeBuffer[] payloads;
    private AtomicLongArray delivered;
    private String multicast;

    /**
     * @param level           delivery level of every message.
     * @param driverThreading of the embedded media drivers.
     * @param lowLatency      agents park at most 50 µs when idle (default: backoff up to 1 ms) and the drivers use
     *                        the sleeping idle strategy (100 µs) instead of backoff (up to 1 ms).
     */
    OmnibusSystem(final DeliveryLevel level, final ThreadingMode driverThreading, final boolean lowLatency)
    {
        this.level = level;
        this.driverThreading = driverThreading;
        this.lowLatency = lowLatency;
    }

    public void start(final Path dir, final int members) throws Exception
    {
        groups = new Group[members];
        payloads = new UnsafeBuffer[members];
        delivered = new AtomicLongArray(members);
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        multicast = "224.0.1." + (2 * random.nextInt(1, 125) + 1) + ":" + random.nextInt(20_000, 60_000);
        final int streams = random.nextInt(10_000, 1_000_000) * 4;
        final int[] initial = new int[members];
        for (int i = 0; i < members; i++)
        {
            initial[i] = i + 1;
        }
        for (int i = 0; i < members; i++)
        {
            final int member = i;
            payloads[i] = new UnsafeBuffer(new byte[64 * 1024]);
            final TransportContext transport = new TransportContext()
                .threadingMode(driverThreading)
                .multicastEndpoint(multicast)
                .multicastInterface("127.0.0.1")
                .multicastTtl(0)
                .endpoint("127.0.0.1:0")
                .streamId(TransportStream.CONTROL, streams)
                .streamId(TransportStream.SUBMIT, streams + 1)
                .streamId(TransportStream.ORDERED, streams + 2)
                .streamId(TransportStream.CATCH_UP, streams + 3);
            if (lowLatency)
            {
                transport.idleStrategy(IdleStrategyKind.SLEEPING);
            }
            final Listener listener = new Listener(member);
            final GroupContext ctx = new GroupContext();
            if (lowLatency)
            {
                ctx.idleStrategy(new BackoffIdleStrategy(10, 5, 1_000, 50_000));
            }
            groups[i] = Group.launch(ctx
                .nodeId(i + 1)
                .dataDir(dir.resolve("node-" + (i + 1)).toFile())
                .clusterSecret("cluster-bench")
                .initialMembers(initial)
                .bootstrapMode(BootstrapMode.ALWAYS)
                .listener(listener)
                .stateTransferHandler(listener)
                .transportContext(transport));
        }
        for (int i = 0; i < members; i++)
        {
            for (int j = 0; j < members; j++)
            {
                if (i != j)
                {
                    groups[i].addPeer(groups[j].localPeer());
                }
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!formed())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no primary view of " + members + ": " +
                    java.util.Arrays.toString(groups));
            }
            Thread.sleep(10);
        }
    }

    private boolean formed()
    {
        for (final Group group : groups)
        {
            final View view = group.view();
            if (group.state() != MembershipState.OPERATIONAL || view == null || view.size() != groups.length)
            {
                return false;
            }
        }
        return true;
    }

    public boolean send(final int member, final int payload)
    {
        final UnsafeBuffer buffer = payloads[member];
        buffer.putLong(0, System.nanoTime(), ByteOrder.LITTLE_ENDIAN);
        final int result = groups[member].submit(level, buffer, 0, payload);
        if (result == Group.ACCEPTED)
        {
            return true;
        }
        if (result == Group.BACK_PRESSURED)
        {
            return false;
        }
        throw new IllegalStateException("submit failed: " + result);
    }

    public long delivered(final int member)
    {
        return delivered.get(member);
    }

    public void resetLatency()
    {
        latency.reset();
    }

    public Histogram latency()
    {
        return latency.interval();
    }

    public String describe()
    {
        return "Omnibus " + level + ": 3 Groups in one JVM, each an embedded media driver (" + driverThreading +
            (lowLatency ? ", sleeping idle 100 us" : ", backoff idle up to 1 ms") + ") and a group agent thread (" +
            (lowLatency ? "backoff idle up to 50 us" : "backoff idle up to 1 ms") + "); multicast " + multicast +
            "|interface=127.0.0.1|ttl=0, mtu 1344, term 4 MiB, fc=min,t:500ms; membership defaults (window 8192, " +
            "batch 60 KiB, heartbeat 100 ms, suspicion 1 s)";
    }

    public long retransmitRequests()
    {
        return sum(GroupCounters.Counter.RETRANSMIT_REQUESTS_SENT);
    }

    public String stats()
    {
        final StringBuilder line = new StringBuilder();
        for (final GroupCounters.Counter counter : new GroupCounters.Counter[]{
            GroupCounters.Counter.RETRANSMIT_REQUESTS_SENT, GroupCounters.Counter.VIEWS_INSTALLED,
            GroupCounters.Counter.EXCLUSIONS, GroupCounters.Counter.SENDS_DEFERRED,
            GroupCounters.Counter.SENDS_DROPPED_PENDING_FULL, GroupCounters.Counter.SUBMIT_BACK_PRESSURED,
            GroupCounters.Counter.DUTY_CYCLE_STALLS })
        {
            line.append(line.length() == 0 ? "" : ", ").append(counter.label()).append('=').append(sum(counter));
        }
        long naks = 0;
        for (final Group group : groups)
        {
            naks += group.systemCounter(SystemCounterDescriptor.NAK_MESSAGES_SENT);
        }
        return line.append(", driver NAKs sent=").append(naks).toString();
    }

    private long sum(final GroupCounters.Counter counter)
    {
        long sum = 0;
        for (final Group group : groups)
        {
            sum += group.counters().get(counter);
        }
        return sum;
    }

    public void close()
    {
        if (groups != null)
        {
            CloseHelper.closeAll(groups);
        }
    }

    /** Counts and times deliveries on the member's agent thread. */
    private final class Listener implements MembershipListener, StateTransferHandler
    {
        private final int member;

        Listener(final int member)
        {
            this.member = member;
        }

        public void onDeliver(
            final long viewId,
            final long globalSeq,
            final int originNode,
            final long originIncarnation,
            final long originSeq,
            final DeliveryLevel level,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            latency.record(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), System.nanoTime());
            delivered.lazySet(member, delivered.get(member) + 1);
        }

        public void onViewChange(final View view)
        {
        }

        public int takeSnapshot(final long asOfSeq, final MutableDirectBuffer buffer, final int offset)
        {
            return 0;
        }

        public void installSnapshot(final long asOfSeq, final DirectBuffer buffer, final int offset, final int length)
        {
        }
    }
}
