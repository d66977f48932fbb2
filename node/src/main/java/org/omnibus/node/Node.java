package org.omnibus.node;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.omnibus.bus.Bus;
import org.omnibus.bus.BusContext;
import org.omnibus.bus.policy.BusLimits;
import org.omnibus.edge.BusAddress;
import org.omnibus.edge.BusEdgeHandler;
import org.omnibus.edge.DBusMessageFramer;
import org.omnibus.edge.EdgeAgent;
import org.omnibus.edge.EdgeContext;
import org.omnibus.edge.SelectorIdleStrategy;
import org.omnibus.membership.aeron.BootstrapMode;
import org.omnibus.membership.aeron.Group;
import org.omnibus.membership.aeron.GroupContext;
import org.omnibus.membership.aeron.GroupThreadingMode;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalRecoveryReport;
import org.omnibus.transport.ChannelMode;
import org.omnibus.transport.TransportContext;
import org.omnibus.transport.TransportPeer;
import org.omnibus.transport.TransportStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running node: the edge and its bus, and in a cluster the membership group and the journal, all driven by one
 * agent thread (the embedded Aeron media driver has its own, SHARED).
 */
public final class Node implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final int SPEC_MAX_MESSAGE_LENGTH = 128 * 1024 * 1024;
    private static final long CLUSTER_MAX_BLOCK_MS = 1;
    private static final long LOCAL_MAX_BLOCK_MS = 100;

    private final NodeContext ctx;
    private final Bus bus;
    private final EdgeAgent edge;
    private final BusEdgeHandler handler;
    private final Journal journal;
    private final Group group;
    private final ClusterBridge bridge;
    private final DurableSubscriptions durable;
    private final JournalCatchUp catchUp;
    private final AgentRunner runner;
    private final List<String> clientAddresses = new ArrayList<>();
    private boolean closed;

    private Node(final NodeContext ctx) throws IOException
    {
        this.ctx = ctx;
        Files.createDirectories(ctx.dataDir());
        final ClusterSettings cluster = ctx.cluster();
        final BusContext busContext = new BusContext()
            .nodeId(ctx.nodeId())
            .config(ctx.busConfig())
            .busUid(new com.sun.security.auth.module.UnixSystem().getUid())
            .busPid(ProcessHandle.current().pid());
        if (ctx.guidHex() != null)
        {
            busContext.busId(ctx.guidHex());
        }
        final BusEdgeHandler[] handlerRef = new BusEdgeHandler[1];
        if (cluster != null)
        {
            busContext.clustered(true).nameCommandSink(command -> handlerRef[0].submitNameCommand(command));
        }
        bus = new Bus(busContext);

        Journal openedJournal = null;
        JournalCatchUp createdCatchUp = null;
        Group startedGroup = null;
        EdgeAgent startedEdge = null;
        try
        {
            if (cluster != null && cluster.journal())
            {
                openedJournal = NodeJournal.open(ctx.journalContext());
            }
            bridge = cluster == null ? null : new ClusterBridge(ctx.nodeId(), bus, openedJournal);
            handler = new BusEdgeHandler(bus, bridge);
            handlerRef[0] = handler;
            startedEdge = new EdgeAgent(edgeContext(ctx, bus), handler, new DBusMessageFramer());
            handler.agent(startedEdge);
            if (cluster != null)
            {
                final GroupContext groupContext = groupContext(ctx, cluster, bridge);
                if (openedJournal != null)
                {
                    final Group[] groupRef = new Group[1];
                    createdCatchUp = new JournalCatchUp(ctx.nodeId(), openedJournal,
                        (node, buffer, offset, length) -> groupRef[0].offerCatchUp(node, buffer, offset, length),
                        groupContext.transportContext().streamId(TransportStream.CATCH_UP));
                    groupContext.catchUpHandler(createdCatchUp);
                    bridge.catchUp(createdCatchUp);
                    startedGroup = Group.launch(groupContext);
                    groupRef[0] = startedGroup;
                }
                else
                {
                    startedGroup = Group.launch(groupContext);
                }
                bridge.connect(startedGroup, handler, startedEdge, groupContext.bootstrap());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietCloseAll(startedGroup, createdCatchUp, openedJournal);
            if (startedEdge != null)
            {
                startedEdge.onClose();
            }
            throw ex;
        }
        journal = openedJournal;
        catchUp = createdCatchUp;
        group = startedGroup;
        edge = startedEdge;
        for (final BusAddress address : ctx.listenAddresses())
        {
            clientAddresses.add(address.clientAddress(bus.context().busId()));
        }

        durable = journal == null ? null : new DurableSubscriptions(bus, journal, handler, edge);
        bus.journalService(durable);
        final Agent agent = group == null ? edge : durable == null ?
            new CompositeAgent(edge, new GroupInvoker(group, journal, catchUp)) :
            new CompositeAgent(edge, new GroupInvoker(group, journal, catchUp), durable,
                new NodeJournal.Retention(journal, NodeJournal.RETENTION_INTERVAL_MS));
        runner = new AgentRunner(
            new SelectorIdleStrategy(edge.selector(), ctx.edgeSpinNs(),
                group == null ? LOCAL_MAX_BLOCK_MS : CLUSTER_MAX_BLOCK_MS),
            this::onAgentError,
            null,
            agent);
    }

    private static EdgeContext edgeContext(final NodeContext ctx, final Bus bus)
    {
        final BusLimits limits = ctx.busConfig().limits();
        final EdgeContext edgeContext = new EdgeContext()
            .guidHex(bus.context().busId())
            .allowAnonymous(ctx.allowAnonymous())
            .maxMessageLength(clampToInt(limits.get(BusLimits.Limit.MAX_MESSAGE_SIZE), SPEC_MAX_MESSAGE_LENGTH))
            .maxOutboundBytes(clampToInt(limits.get(BusLimits.Limit.MAX_OUTGOING_BYTES), Integer.MAX_VALUE - 64))
            .maxConnections(limits.maxCompletedConnections())
            .authTimeoutNs(TimeUnit.MILLISECONDS.toNanos(limits.get(BusLimits.Limit.AUTH_TIMEOUT)));
        for (final BusAddress address : ctx.listenAddresses())
        {
            edgeContext.addListenAddress(address);
        }
        edgeContext.maxOutboundBytes(Math.max(edgeContext.maxOutboundBytes(), edgeContext.maxMessageLength()));
        return edgeContext.conclude();
    }

    private static GroupContext groupContext(
        final NodeContext ctx, final ClusterSettings cluster, final ClusterBridge bridge)
    {
        final TransportContext transport = new TransportContext().channelMode(cluster.channelMode());
        if (cluster.journal() && ctx.journalContext().directory().startsWith(ctx.dataDir()))
        {
            // The journal's exclusive lock, taken before, proves that no other node runs on this data directory: a
            // driver directory left by a killed node goes at once (Aeron would refuse it until its heartbeat aged).
            transport.dirDeleteOnStart(true);
        }
        if (cluster.channelMode() == ChannelMode.MULTICAST)
        {
            transport.multicastEndpoint(cluster.multicastEndpoint()).multicastInterface(cluster.multicastInterface());
            if (cluster.multicastInterface().startsWith("127."))
            {
                transport.multicastTtl(0);
            }
        }
        else
        {
            transport.endpoint(cluster.endpoint());
            if (cluster.controlEndpoint() != null)
            {
                transport.controlEndpoint(cluster.controlEndpoint());
            }
        }
        for (final TransportPeer peer : cluster.peers())
        {
            transport.peer(peer);
        }
        return new GroupContext()
            .bootstrapMode(cluster.bootstrapAlways() ? BootstrapMode.ALWAYS : BootstrapMode.AUTO)
            .nodeId(ctx.nodeId())
            .dataDir(ctx.dataDir().toFile())
            .clusterSecret(cluster.secret())
            .initialMembers(cluster.initialMembers())
            .threadingMode(GroupThreadingMode.INVOKER)
            .listener(bridge)
            .stateTransferHandler(bridge)
            .transportContext(transport);
    }

    private static int clampToInt(final long value, final int max)
    {
        return (int)Math.min(value, max);
    }

    /**
     * Start a node.
     *
     * @param ctx its configuration (concluded here).
     * @return the running node.
     * @throws UncheckedIOException naming the address when a socket cannot be bound.
     */
    public static Node launch(final NodeContext ctx)
    {
        ctx.conclude();
        try
        {
            final Node node = new Node(ctx);
            AgentRunner.startOnThread(node.runner);
            LOG.info("node {} up{}, bus id {}, listening on {}", ctx.nodeId(),
                node.group == null ? " (local bus, no cluster)" :
                " (cluster of " + ctx.cluster().initialMembers().length + " initial members" +
                (node.journal == null ? ", journal off" : ", journal " + node.journal.directory()) + ")",
                node.bus.context().busId(), node.clientAddresses);
            return node;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex.getMessage(), ex);
        }
    }

    private void onAgentError(final Throwable error)
    {
        LOG.error("node agent error", error);
    }

    /**
     * @return the addresses clients connect to, with the bus GUID, as dbus-daemon prints them.
     */
    public List<String> clientAddresses()
    {
        return clientAddresses;
    }

    /**
     * @return the first client address.
     */
    public String clientAddress()
    {
        return clientAddresses.get(0);
    }

    /**
     * @return the node's configuration.
     */
    public NodeContext context()
    {
        return ctx;
    }

    /**
     * @return the membership group, or null for a local bus.
     */
    public Group group()
    {
        return group;
    }

    /** @return the journal's catch-up, or null without a cluster journal (tests). */
    JournalCatchUp catchUp()
    {
        return catchUp;
    }

    /**
     * @return what the journal found and did when it opened, or null without a journal.
     */
    public JournalRecoveryReport journalRecoveryReport()
    {
        return journal == null ? null : journal.recoveryReport();
    }

    /**
     * @return this node's address for the other members (unicast and MDC), or null for a local bus.
     */
    public TransportPeer clusterPeer()
    {
        return group == null ? null : group.localPeer();
    }

    /**
     * @return the durable subscriptions service, or null without a journal (for tests).
     */
    DurableSubscriptions durableSubscriptions()
    {
        return durable;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        edge.wakeup();
        CloseHelper.quietClose(runner);
        CloseHelper.quietCloseAll(group, catchUp, journal);
        LOG.info("node {} stopped", ctx.nodeId());
    }

    /**
     * Runs the group's duty cycle and the journal's catch-up inside the node's agent and ends the journal's batch
     * once per cycle.
     */
    private static final class GroupInvoker implements Agent
    {
        private final Group group;
        private final Journal journal;
        private final JournalCatchUp catchUp;

        GroupInvoker(final Group group, final Journal journal, final JournalCatchUp catchUp)
        {
            this.group = group;
            this.journal = journal;
            this.catchUp = catchUp;
        }

        @Override
        public int doWork()
        {
            int work = group.doWork();
            if (catchUp != null)
            {
                work += catchUp.doWork(System.nanoTime());
            }
            if (work > 0 && journal != null)
            {
                journal.endBatch();
            }
            return work;
        }

        @Override
        public String roleName()
        {
            return "omnibus-group";
        }
    }
}
