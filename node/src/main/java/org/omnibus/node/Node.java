package org.omnibus.node;

import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.omnibus.bus.Bus;
import org.omnibus.bus.BusContext;
import org.omnibus.bus.policy.BusLimits;
import org.omnibus.edge.BusAddress;
import org.omnibus.edge.BusEdgeHandler;
import org.omnibus.edge.DBusMessageFramer;
import org.omnibus.edge.EdgeAgent;
import org.omnibus.edge.EdgeContext;
import org.omnibus.edge.SelectorIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running node: the edge and its bus on one agent thread.
 */
public final class Node implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final int SPEC_MAX_MESSAGE_LENGTH = 128 * 1024 * 1024;

    private final NodeContext ctx;
    private final Bus bus;
    private final EdgeAgent edge;
    private final AgentRunner edgeRunner;
    private final List<String> clientAddresses = new ArrayList<>();
    private boolean closed;

    private Node(final NodeContext ctx) throws IOException
    {
        this.ctx = ctx;
        Files.createDirectories(ctx.dataDir());
        final BusContext busContext = new BusContext()
            .nodeId(ctx.nodeId())
            .config(ctx.busConfig())
            .busUid(new com.sun.security.auth.module.UnixSystem().getUid())
            .busPid(ProcessHandle.current().pid());
        if (ctx.guidHex() != null)
        {
            busContext.busId(ctx.guidHex());
        }
        bus = new Bus(busContext);

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
        edgeContext.conclude();

        final BusEdgeHandler handler = new BusEdgeHandler(bus);
        edge = new EdgeAgent(edgeContext, handler, new DBusMessageFramer());
        handler.agent(edge);
        for (final BusAddress address : ctx.listenAddresses())
        {
            clientAddresses.add(address.clientAddress(edgeContext.guidHex()));
        }
        edgeRunner = new AgentRunner(
            new SelectorIdleStrategy(edge.selector(), ctx.edgeSpinNs(), 100),
            this::onAgentError,
            null,
            edge);
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
            AgentRunner.startOnThread(node.edgeRunner);
            LOG.info("node {} up, bus id {}, listening on {}", ctx.nodeId(), node.bus.context().busId(),
                node.clientAddresses);
            return node;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex.getMessage(), ex);
        }
    }

    private void onAgentError(final Throwable error)
    {
        LOG.error("edge agent error", error);
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

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(edgeRunner);
        LOG.info("node {} stopped", ctx.nodeId());
    }
}
