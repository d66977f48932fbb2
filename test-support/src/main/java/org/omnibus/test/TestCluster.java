package org.omnibus.test;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.omnibus.membership.DeliveryLevel;
import org.omnibus.membership.MembershipContext;
import org.omnibus.membership.MembershipState;
import org.omnibus.membership.View;
import org.omnibus.membership.aeron.BootstrapMode;
import org.omnibus.membership.aeron.Group;
import org.omnibus.membership.aeron.GroupContext;
import org.omnibus.membership.aeron.GroupThreadingMode;
import org.omnibus.membership.sim.Checker;
import org.omnibus.membership.sim.SimApp;
import org.omnibus.transport.TransportContext;
import org.omnibus.transport.TransportLossGenerator;
import org.omnibus.transport.TransportStream;

/**
 * A cluster of real {@link Group}s in one JVM, each with its own embedded media driver and data directory, on a
 * multicast channel on loopback ({@code interface=127.0.0.1|ttl=0}, a random group, port and stream ids so that
 * concurrent tests do not hear each other), with switches for packet loss (Aeron's loss generator in each driver)
 * and partitions (a frame filter at the membership level), crash and restart of nodes, and the simulator's
 * {@link Checker} over what the nodes delivered.
 * <pre>
 * try (TestCluster cluster = TestCluster.aCluster().withNodes(3).withBaseDir(tempDir).start())
 * {
 *     cluster.awaitPrimaryView(Duration.ofSeconds(20));
 *     cluster.node(1).submit(DeliveryLevel.AGREED, 100);
 *     ...
 *     assertThat(cluster.check()).isEmpty();
 * }
 * </pre>
 * Every node's upper layer is a {@link SimApp} in digest snapshot mode: its replicated state is the history it
 * delivered, and every payload starts with the message's key. Submissions through {@link TestClusterNode#submit}
 * must come from one thread per node (the origin sequence of the n-th accepted submission is n).
 */
public final class TestCluster implements AutoCloseable
{
    /** The cluster secret of test clusters. */
    public static final String SECRET = "omnibus-test-cluster-secret";

    private final Builder builder;
    private final Checker checker = new Checker();
    private final TestClusterNode[] nodes;
    private final AtomicIntegerArray side;
    private final String multicastEndpoint;
    private final int streamBase;
    private volatile double lossRate;
    private boolean closed;

    /**
     * Settings of a test cluster.
     */
    public static final class Builder
    {
        private int nodeCount = 3;
        private Path baseDir;
        private String secret = SECRET;
        private boolean lossSwitch;
        private double lossRate;
        private long lossSeed = 42;
        private GroupThreadingMode threadingMode = GroupThreadingMode.DEDICATED;
        private ThreadingMode driverThreadingMode = ThreadingMode.SHARED;
        private Consumer<MembershipContext> membership = (ctx) -> { };
        private Consumer<GroupContext> group = (ctx) -> { };
        private Consumer<TransportContext> transport = (ctx) -> { };

        private Builder()
        {
        }

        /**
         * @param count nodes 1 .. count, all founding members.
         * @return this.
         */
        public Builder withNodes(final int count)
        {
            this.nodeCount = count;
            return this;
        }

        /**
         * @param dir where the nodes' data directories go (e.g. a JUnit {@code @TempDir}); required.
         * @return this.
         */
        public Builder withBaseDir(final Path dir)
        {
            this.baseDir = dir;
            return this;
        }

        /**
         * @param secret the cluster secret every node uses.
         * @return this.
         */
        public Builder withSecret(final String secret)
        {
            this.secret = secret;
            return this;
        }

        /**
         * Install Aeron's loss generator in every node's driver (the switch {@link #lossRate(double)}).
         *
         * @param rate initial fraction of received data frames each driver drops.
         * @param seed of the first node's generator (the others add their node id).
         * @return this.
         */
        public Builder withLoss(final double rate, final long seed)
        {
            this.lossSwitch = true;
            this.lossRate = rate;
            this.lossSeed = seed;
            return this;
        }

        /**
         * @param mode who runs the groups' duty cycles (default a thread each).
         * @return this.
         */
        public Builder withThreadingMode(final GroupThreadingMode mode)
        {
            this.threadingMode = mode;
            return this;
        }

        /**
         * @param mode of the embedded media drivers (default SHARED; INVOKER runs each driver in its group's duty
         *             cycle).
         * @return this.
         */
        public Builder withDriverThreadingMode(final ThreadingMode mode)
        {
            this.driverThreadingMode = mode;
            return this;
        }

        /**
         * @param customizer of each node's membership context (timers, capacities).
         * @return this.
         */
        public Builder withMembership(final Consumer<MembershipContext> customizer)
        {
            this.membership = customizer;
            return this;
        }

        /**
         * @param customizer of each node's group context.
         * @return this.
         */
        public Builder withGroup(final Consumer<GroupContext> customizer)
        {
            this.group = customizer;
            return this;
        }

        /**
         * @param customizer of each node's transport context (after the cluster's channel settings).
         * @return this.
         */
        public Builder withTransport(final Consumer<TransportContext> customizer)
        {
            this.transport = customizer;
            return this;
        }

        /**
         * Launch every node (each founding member bootstraps) and introduce their unicast endpoints to each other.
         *
         * @return the running cluster.
         */
        public TestCluster start()
        {
            if (baseDir == null)
            {
                throw new IllegalStateException("withBaseDir(...) is required");
            }
            return new TestCluster(this);
        }
    }

    /**
     * A multicast group and port unlikely to be used by a concurrent test: {@code 224.0.1.<odd>:<20000-59999>}
     * (Aeron takes the data address odd and the control address the next, even, one).
     *
     * @return group:port.
     */
    public static String randomMulticastEndpoint()
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        return "224.0.1." + (2 * random.nextInt(1, 125) + 1) + ":" + random.nextInt(20_000, 60_000);
    }

    /**
     * @return a builder (three nodes by default).
     */
    public static Builder aCluster()
    {
        return new Builder();
    }

    private TestCluster(final Builder builder)
    {
        this.builder = builder;
        this.nodes = new TestClusterNode[builder.nodeCount];
        this.side = new AtomicIntegerArray(builder.nodeCount + 1);
        this.lossRate = builder.lossRate;
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        this.multicastEndpoint = randomMulticastEndpoint();
        this.streamBase = random.nextInt(10_000, 1_000_000) * 4;
        try
        {
            for (int i = 0; i < nodes.length; i++)
            {
                nodes[i] = launch(i + 1);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private TestClusterNode launch(final int nodeId)
    {
        final int[] initial = new int[nodes.length];
        for (int i = 0; i < initial.length; i++)
        {
            initial[i] = i + 1;
        }
        final File dataDir = builder.baseDir.resolve("node-" + nodeId).toFile();
        final TransportContext transport = transportContext();
        TransportLossGenerator loss = null;
        if (builder.lossSwitch)
        {
            loss = new TransportLossGenerator(lossRate, builder.lossSeed + nodeId);
            transport.lossGenerator(loss);
        }
        builder.transport.accept(transport);

        final TestClusterNode node = new TestClusterNode(this, nodeId, loss);
        final GroupContext ctx = new GroupContext()
            .nodeId(nodeId)
            .dataDir(dataDir)
            .clusterSecret(builder.secret)
            .initialMembers(initial)
            .bootstrapMode(BootstrapMode.AUTO)
            .threadingMode(builder.threadingMode)
            .listener(node.relay)
            .stateTransferHandler(node.relay)
            .frameFilter((from) -> from >= side.length() || side.get(from) == side.get(nodeId))
            .transportContext(transport);
        builder.membership.accept(ctx.membershipContext());
        builder.group.accept(ctx);
        ctx.conclude();
        final SimApp app = new SimApp(nodeId, ctx.incarnation(), ctx.bootstrap(), checker)
            .snapshotMode(SimApp.DIGEST);
        checker.register(app);
        node.app(app);
        final Group group = Group.launch(ctx);
        app.stateSource(group::state);
        node.group(group);
        for (final TestClusterNode other : nodes)
        {
            if (other != null && other.nodeId() != nodeId && other.isUp())
            {
                other.group().addPeer(group.localPeer());
                group.addPeer(other.group().localPeer());
            }
        }
        return node;
    }

    /**
     * A transport context on this cluster's channel (multicast group, port, stream ids, loopback), with an
     * ephemeral unicast endpoint; for nodes or raw transports a test adds beside the cluster's own.
     *
     * @return a new context (node id and data directory still to set).
     */
    public TransportContext transportContext()
    {
        return new TransportContext()
            .threadingMode(builder.driverThreadingMode)
            .multicastEndpoint(multicastEndpoint)
            .multicastInterface("127.0.0.1")
            .multicastTtl(0)
            .endpoint("127.0.0.1:0")
            .streamId(TransportStream.CONTROL, streamBase)
            .streamId(TransportStream.SUBMIT, streamBase + 1)
            .streamId(TransportStream.ORDERED, streamBase + 2)
            .streamId(TransportStream.CATCH_UP, streamBase + 3);
    }

    /**
     * @param nodeId 1 .. size.
     * @return the node.
     */
    public TestClusterNode node(final int nodeId)
    {
        return nodes[nodeId - 1];
    }

    /** @return every node, up or not. */
    public List<TestClusterNode> nodes()
    {
        return List.of(nodes);
    }

    /** @return the nodes that are up. */
    public List<TestClusterNode> liveNodes()
    {
        final List<TestClusterNode> live = new ArrayList<>();
        for (final TestClusterNode node : nodes)
        {
            if (node.isUp())
            {
                live.add(node);
            }
        }
        return live;
    }

    /** @return the checker that judges the run. */
    public Checker checker()
    {
        return checker;
    }

    /** @return the multicast endpoint of the cluster's channel. */
    public String multicastEndpoint()
    {
        return multicastEndpoint;
    }

    /**
     * Loss switch: change the fraction of received data frames every node's driver drops (needs
     * {@link Builder#withLoss}).
     *
     * @param rate 0 to 1.
     */
    public void lossRate(final double rate)
    {
        if (!builder.lossSwitch)
        {
            throw new IllegalStateException("the cluster was built without withLoss(...)");
        }
        lossRate = rate;
        for (final TestClusterNode node : nodes)
        {
            if (node.lossGenerator() != null)
            {
                node.lossGenerator().rate(rate);
            }
        }
    }

    /**
     * @return frames dropped by every driver's loss generator so far.
     */
    public long droppedFrames()
    {
        long dropped = 0;
        for (final TestClusterNode node : nodes)
        {
            dropped += node.droppedFrames();
        }
        return dropped;
    }

    /**
     * Partition switch: each node hears only the nodes of its own side (membership frames from the others are
     * dropped on receipt; Aeron below keeps its connections).
     *
     * @param sides the node ids of each side; nodes not listed form one more side.
     */
    public void partition(final int[]... sides)
    {
        for (int id = 1; id < side.length(); id++)
        {
            side.set(id, sides.length);
        }
        for (int s = 0; s < sides.length; s++)
        {
            for (final int id : sides[s])
            {
                side.set(id, s);
            }
        }
    }

    /**
     * Cut one node off from the others.
     *
     * @param nodeId the node.
     */
    public void isolate(final int nodeId)
    {
        partition(new int[]{ nodeId });
    }

    /** Undo {@link #partition} and {@link #isolate}. */
    public void heal()
    {
        for (int id = 1; id < side.length(); id++)
        {
            side.set(id, 0);
        }
    }

    /**
     * Crash a node: close its group without leaving (the others suspect it). Its last incarnation is no longer
     * alive for the checker.
     *
     * @param nodeId the node.
     */
    public void crash(final int nodeId)
    {
        nodes[nodeId - 1].crash();
    }

    /**
     * Start a crashed node again from its data directory: a higher incarnation, not a founder any more.
     *
     * @param nodeId the node.
     * @return the new node.
     */
    public TestClusterNode restart(final int nodeId)
    {
        if (nodes[nodeId - 1].isUp())
        {
            throw new IllegalStateException("node " + nodeId + " is up");
        }
        nodes[nodeId - 1] = launch(nodeId);
        return nodes[nodeId - 1];
    }

    /**
     * In {@link GroupThreadingMode#INVOKER}, run one duty cycle of every live node.
     *
     * @return work done.
     */
    public int doWork()
    {
        int work = 0;
        for (final TestClusterNode node : nodes)
        {
            if (node.isUp() && node.group().context().threadingMode() == GroupThreadingMode.INVOKER)
            {
                work += node.group().doWork();
            }
        }
        return work;
    }

    /**
     * Wait until the given nodes (default: every live node) are OPERATIONAL in one primary view whose members are
     * exactly them.
     *
     * @param timeout how long at most.
     * @param nodeIds the nodes, or none for every live node.
     */
    public void awaitPrimaryView(final Duration timeout, final int... nodeIds)
    {
        final int[] ids = nodeIds.length > 0 ? nodeIds : liveNodes().stream().mapToInt(TestClusterNode::nodeId)
            .toArray();
        Tests.await(this::doWork, () -> inOnePrimaryView(ids), timeout,
            () -> "nodes " + Arrays.toString(ids) + " in one primary view: " + describe());
    }

    /**
     * @param ids node ids.
     * @return whether these nodes are OPERATIONAL in one primary view of exactly them.
     */
    public boolean inOnePrimaryView(final int... ids)
    {
        View first = null;
        for (final int id : ids)
        {
            final Group group = nodes[id - 1].group();
            final View view = group.view();
            if (!nodes[id - 1].isUp() || group.state() != MembershipState.OPERATIONAL || view == null ||
                !view.isPrimary() || view.size() != ids.length)
            {
                return false;
            }
            if (first == null)
            {
                first = view;
            }
            else if (first.viewId() != view.viewId())
            {
                return false;
            }
        }
        for (final int id : ids)
        {
            if (first != null && first.indexOf(id) < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Wait until every live node has delivered (or installed) every global sequence up to {@code seq}.
     *
     * @param seq     the sequence.
     * @param timeout how long at most.
     */
    public void awaitDelivered(final long seq, final Duration timeout)
    {
        Tests.await(this::doWork, () -> liveNodes().stream().allMatch((n) -> n.app().lastSeq() >= seq), timeout,
            () -> "every live node at sequence " + seq + ": " + describe());
    }

    /**
     * Wait until every live node has delivered everything every live node submitted (and nothing is left in
     * flight): the run has converged.
     *
     * @param timeout how long at most.
     */
    public void awaitQuiescent(final Duration timeout)
    {
        Tests.await(this::doWork, this::isQuiescent, timeout, () -> "a quiescent cluster: " + describe());
    }

    private boolean isQuiescent()
    {
        final List<TestClusterNode> live = liveNodes();
        long lastSeq = -1;
        for (final TestClusterNode node : live)
        {
            if (node.group().state() != MembershipState.OPERATIONAL || !node.allOwnDelivered())
            {
                return false;
            }
            final long seq = node.app().lastSeq();
            if (lastSeq >= 0 && seq != lastSeq)
            {
                return false;
            }
            lastSeq = seq;
        }
        return true;
    }

    /**
     * Run the checker's final check over the live nodes (call when the cluster is quiescent).
     *
     * @return the violations, empty if the run is correct.
     */
    public List<String> check()
    {
        final List<SimApp> live = new ArrayList<>();
        for (final TestClusterNode node : nodes)
        {
            if (node.isUp())
            {
                live.add(node.app());
            }
        }
        checker.finalCheck(live);
        return checker.violations();
    }

    /** @return one line per node: state, view, delivered, submitted, counters. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder();
        for (final TestClusterNode node : nodes)
        {
            sb.append("\n  ").append(node);
        }
        return sb.toString();
    }

    /** Close every node (without leaving). Idempotent. */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final TestClusterNode node : nodes)
        {
            if (node != null)
            {
                CloseHelper.quietClose(node::crash);
            }
        }
    }

    /**
     * Fill a payload: the message key (8 bytes little-endian) then filler.
     *
     * @param buffer to fill.
     * @param key    the key.
     * @param length total length, >= 8.
     */
    static void fillPayload(final UnsafeBuffer buffer, final long key, final int length)
    {
        buffer.putLong(0, key, ByteOrder.LITTLE_ENDIAN);
        for (int i = 8; i < length; i++)
        {
            buffer.putByte(i, (byte)i);
        }
    }

    static DeliveryLevel level(final boolean safe)
    {
        return safe ? DeliveryLevel.SAFE : DeliveryLevel.AGREED;
    }
}
