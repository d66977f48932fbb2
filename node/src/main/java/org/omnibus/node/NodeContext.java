package org.omnibus.node;

import org.omnibus.bus.policy.BusConfig;
import org.omnibus.edge.BusAddress;
import org.omnibus.persistence.JournalConfiguration;
import org.omnibus.persistence.JournalContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of a node: what differs from the defaults is set, then {@link #conclude()} fills the rest.
 * The command line and the config file map onto this; nothing else reads system properties.
 */
public final class NodeContext
{
    /** Default time the edge keeps polling after work before it blocks (see SelectorIdleStrategy). */
    public static final long EDGE_SPIN_NS_DEFAULT = TimeUnit.MICROSECONDS.toNanos(50);

    private Path dataDir = Path.of("data");
    private int nodeId = 1;
    private final List<BusAddress> listenAddresses = new ArrayList<>();
    private BusConfig busConfig;
    private boolean allowAnonymous;
    private String guidHex;
    private long edgeSpinNs = EDGE_SPIN_NS_DEFAULT;
    private ClusterSettings cluster;
    private JournalContext journalContext;
    private boolean concluded;

    /**
     * Validate and fill defaults: the bus configuration defaults to the embedded session configuration; the
     * listen address to the config file's {@code <listen>}, else {@code unix:path=DATA_DIR/bus}.
     *
     * @return this.
     */
    public NodeContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (nodeId < 1 || nodeId > 65535)
        {
            throw new IllegalStateException("node id must be between 1 and 65535: " + nodeId);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        if (busConfig == null)
        {
            busConfig = BusConfig.embeddedSession();
        }
        if (listenAddresses.isEmpty())
        {
            for (final String listen : busConfig.listen())
            {
                listenAddresses.addAll(BusAddress.parseList(listen));
            }
        }
        if (listenAddresses.isEmpty())
        {
            listenAddresses.add(BusAddress.ofPath(dataDir.resolve("bus")));
        }
        if (busConfig.allowAnonymous() || busConfig.auth().contains("ANONYMOUS"))
        {
            allowAnonymous = true;
        }
        if (journalContext == null)
        {
            journalContext = new JournalContext();
        }
        if (journalContext.directory() == null)
        {
            final String dir = JournalConfiguration.directory();
            journalContext.directory(dir != null ? Path.of(dir) : JournalConfiguration.journalDirectory(dataDir));
        }
        if (cluster != null)
        {
            final String problem = cluster.validate(nodeId);
            if (problem != null)
            {
                throw new IllegalStateException(problem);
            }
        }
        concluded = true;
        return this;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    public NodeContext dataDir(final Path dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public NodeContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    public List<BusAddress> listenAddresses()
    {
        return listenAddresses;
    }

    public NodeContext addListenAddress(final BusAddress address)
    {
        listenAddresses.add(address);
        return this;
    }

    public BusConfig busConfig()
    {
        return busConfig;
    }

    public NodeContext busConfig(final BusConfig busConfig)
    {
        this.busConfig = busConfig;
        return this;
    }

    public boolean allowAnonymous()
    {
        return allowAnonymous;
    }

    public NodeContext allowAnonymous(final boolean allowAnonymous)
    {
        this.allowAnonymous = allowAnonymous;
        return this;
    }

    public String guidHex()
    {
        return guidHex;
    }

    public NodeContext guidHex(final String guidHex)
    {
        this.guidHex = guidHex;
        return this;
    }

    /**
     * @return how the node takes part in a cluster, or null for a plain local bus (no order, no journal).
     */
    public ClusterSettings cluster()
    {
        return cluster;
    }

    /**
     * @param cluster how the node takes part in a cluster ({@link ClusterSettings#single} for a cluster of its
     *                own); null for a plain local bus.
     * @return this.
     */
    public NodeContext cluster(final ClusterSettings cluster)
    {
        this.cluster = cluster;
        return this;
    }

    public long edgeSpinNs()
    {
        return edgeSpinNs;
    }

    /**
     * @param edgeSpinNs how long the edge keeps polling after work before blocking; 0 blocks at once.
     * @return this.
     */
    public NodeContext edgeSpinNs(final long edgeSpinNs)
    {
        this.edgeSpinNs = edgeSpinNs;
        return this;
    }

    /**
     * @return the journal's settings (after {@link #conclude()}: never null, its directory set); used when the
     *         node is clustered with its journal on.
     */
    public JournalContext journalContext()
    {
        return journalContext;
    }

    /**
     * @param journalContext the journal's settings; defaults from {@link JournalConfiguration} (system
     *                       properties {@code omnibus.journal.*}), directory {@code DATA_DIR/journal} unless set
     *                       here or by {@value JournalConfiguration#DIRECTORY_PROP_NAME}.
     * @return this.
     */
    public NodeContext journalContext(final JournalContext journalContext)
    {
        this.journalContext = journalContext;
        return this;
    }
}
