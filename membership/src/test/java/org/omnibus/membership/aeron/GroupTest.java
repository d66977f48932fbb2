package org.omnibus.membership.aeron;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.codec.sbe.membership.HeartbeatEncoder;
import org.omnibus.codec.sbe.membership.MessageHeaderEncoder;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.sim.Checker;
import org.omnibus.membership.sim.SimApp;
import org.omnibus.transport.IdleStrategyKind;
import org.omnibus.transport.Transport;
import org.omnibus.transport.TransportContext;
import org.omnibus.transport.TransportStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups over real Aeron (multicast on loopback) with everything on the test thread: INVOKER groups whose transports
 * run the media driver inside the duty cycle, so a test drives three nodes by calling {@link Group#doWork()}.
 */
class GroupTest
{
    private static final String SECRET = "group-test-secret";
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path tempDir;

    private final List<Group> groups = new ArrayList<>();
    // Aeron takes the multicast data address odd (the control address is the next one).
    private final String multicast = "224.0.1." + (2 * ThreadLocalRandom.current().nextInt(1, 125) + 1) + ":" +
        ThreadLocalRandom.current().nextInt(20_000, 60_000);
    private final int streamBase = ThreadLocalRandom.current().nextInt(10_000, 1_000_000) * 4;
    private final Checker checker = new Checker();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(groups);
    }

    private Group launch(final int nodeId, final String secret, final SimApp app, final int... initial)
    {
        final TransportContext transport = transportContext();
        final GroupContext ctx = new GroupContext()
            .nodeId(nodeId)
            .dataDir(tempDir.resolve("node-" + nodeId).toFile())
            .clusterSecret(secret)
            .initialMembers(initial)
            .threadingMode(GroupThreadingMode.INVOKER)
            .listener(app)
            .stateTransferHandler(app)
            .transportContext(transport);
        ctx.membershipContext().heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .suspicionTimeoutNs(TimeUnit.SECONDS.toNanos(3));
        final Group group = Group.launch(ctx);
        app.stateSource(group::state);
        for (final Group other : groups)
        {
            other.addPeer(group.localPeer());
            group.addPeer(other.localPeer());
        }
        groups.add(group);
        return group;
    }

    private TransportContext transportContext()
    {
        return new TransportContext()
            .threadingMode(ThreadingMode.INVOKER)
            .idleStrategy(IdleStrategyKind.BACKOFF)
            .multicastEndpoint(multicast)
            .multicastInterface("127.0.0.1")
            .multicastTtl(0)
            .endpoint("127.0.0.1:0")
            .streamId(TransportStream.CONTROL, streamBase)
            .streamId(TransportStream.SUBMIT, streamBase + 1)
            .streamId(TransportStream.ORDERED, streamBase + 2)
            .streamId(TransportStream.CATCH_UP, streamBase + 3);
    }

    private SimApp app(final int nodeId, final long incarnation, final boolean founder)
    {
        final SimApp app = new SimApp(nodeId, incarnation, founder, checker).snapshotMode(SimApp.DIGEST);
        checker.register(app);
        return app;
    }

    private void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            int work = 0;
            for (final Group group : groups)
            {
                if (!group.isClosed())
                {
                    work += group.doWork();
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what + ": " + groups);
            }
            if (work == 0)
            {
                Thread.yield();
            }
        }
    }

    private boolean allPrimary(final int size)
    {
        return allPrimary(size, groups.toArray(new Group[0]));
    }

    private static boolean allPrimary(final int size, final Group... members)
    {
        for (final Group group : members)
        {
            if (group.isClosed())
            {
                continue;
            }
            if (group.state() != MembershipState.OPERATIONAL || group.view() == null || group.view().size() != size)
            {
                return false;
            }
        }
        return true;
    }

    private int submit(final Group group, final SimApp app, final long originSeq, final DeliveryLevel level)
    {
        final long key = Checker.key(group.nodeId(), group.incarnation(), originSeq);
        payload.putLong(0, key, ByteOrder.LITTLE_ENDIAN);
        final int result = group.submit(level, payload, 0, payload.capacity());
        if (result == Group.ACCEPTED)
        {
            checker.onSubmitted(app, key, level == DeliveryLevel.SAFE);
        }
        return result;
    }

    @Test
    @Timeout(60)
    void threeNodesOrderEverythingTheSameWay()
    {
        final SimApp[] apps = new SimApp[3];
        final Group[] nodes = new Group[3];
        for (int i = 0; i < 3; i++)
        {
            apps[i] = app(i + 1, 1, true);
            nodes[i] = launch(i + 1, SECRET, apps[i], 1, 2, 3);
        }
        await(() -> allPrimary(3), "a primary view of three");

        final int perNode = 3_000;
        final long[] next = { 1, 1, 1 };
        await(() ->
        {
            for (int i = 0; i < 3; i++)
            {
                while (next[i] <= perNode && submit(nodes[i], apps[i], next[i],
                    next[i] % 10 == 0 ? DeliveryLevel.SAFE : DeliveryLevel.AGREED) == Group.ACCEPTED)
                {
                    next[i]++;
                }
            }
            for (final SimApp app : apps)
            {
                if (app.lastSeq() < 3L * perNode)
                {
                    return false;
                }
            }
            return true;
        }, "every message delivered everywhere");

        checker.finalCheck(List.of(apps));
        assertThat(checker.violations()).isEmpty();
        assertThat(nodes[0].deliveredSeq()).isEqualTo(3L * perNode);
    }

    @Test
    @Timeout(60)
    void incarnationGrowsAtEveryStartAndBootstrapIsForTheFirstStartOnly()
    {
        final File dir = tempDir.resolve("inc").toFile();
        for (int start = 1; start <= 3; start++)
        {
            final GroupContext ctx = new GroupContext().nodeId(1).dataDir(dir).clusterSecret(SECRET)
                .initialMembers(1, 2, 3).listener(app(1, start, true)).stateTransferHandler(app(1, start, true));
            ctx.conclude();
            assertThat(ctx.incarnation()).isEqualTo(start);
            assertThat(ctx.bootstrap()).isEqualTo(start == 1);
        }
        assertThat(IncarnationFile.last(dir)).isEqualTo(3);
    }

    @Test
    @Timeout(60)
    void aNodeWithoutTheSecretIsRefusedAndAForeignVersionIsDropped()
    {
        final SimApp a = app(1, 1, true);
        final SimApp b = app(2, 1, true);
        final Group one = launch(1, SECRET, a, 1, 2);
        final Group two = launch(2, SECRET, b, 1, 2);
        await(() -> allPrimary(2), "a primary view of two");

        final SimApp intruderApp = new SimApp(3, 1, false, new Checker());
        final Group intruder = launch(3, "not-the-secret", intruderApp, 1, 2);
        await(() -> one.counters().get(GroupCounters.Counter.JOIN_REFUSED_BAD_AUTHENTICATION) > 0 &&
            two.counters().get(GroupCounters.Counter.JOIN_REFUSED_BAD_AUTHENTICATION) > 0, "refusals");
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        await(() -> System.nanoTime() - deadline > 0, "a while");
        assertThat(intruder.state()).isNotEqualTo(MembershipState.OPERATIONAL);
        assertThat(intruder.isPrimary()).isFalse();
        await(() -> allPrimary(2, one, two), "the two members in one primary view");
        assertThat(one.view().indexOf(3)).isNegative();

        // A heartbeat frame of a newer schema version, sent by the intruder's transport on the control stream.
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
        heartbeat.wrapAndApplyHeader(frame, 0, header).nodeId(3).incarnation(1);
        header.version(HeartbeatEncoder.SCHEMA_VERSION + 1);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
        final long before = one.counters().get(GroupCounters.Counter.FRAMES_FOREIGN);
        try (Transport raw = Transport.launch(transportContext().nodeId(9).dataDir(tempDir.resolve("raw").toFile())))
        {
            await(() ->
            {
                raw.poll(10);
                raw.offer(TransportStream.CONTROL, frame, 0, length);
                return one.counters().get(GroupCounters.Counter.FRAMES_FOREIGN) > before &&
                    two.counters().get(GroupCounters.Counter.FRAMES_FOREIGN) > before;
            }, "a foreign frame counted");
        }
        await(() -> allPrimary(2, one, two), "the two members in one primary view");
    }
}
