package org.omnibus.bus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.omnibus.bus.name.NameCommandSink;
import org.omnibus.bus.policy.BusConfig;

/**
 * Configuration of a {@link Bus}, Aeron style: fluent setters, {@link #conclude()} validates and fills defaults
 * once; the bus copies what it needs. The node maps its configuration file onto this context.
 */
public final class BusContext
{
    /** Default node id: unique names are :1.N like dbus-daemon's. */
    public static final long NODE_ID_DEFAULT = 1;
    /** Default first connection id (dbus-daemon's first client is :1.0). */
    public static final long FIRST_CONNECTION_ID_DEFAULT = 0;

    private static final Path[] MACHINE_ID_FILES = {Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id")};

    /**
     * Reloads the configuration for ReloadConfig.
     */
    @FunctionalInterface
    public interface ConfigReloader
    {
        /**
         * @return the new configuration.
         * @throws Exception with a message for the caller when it cannot be loaded.
         */
        BusConfig reload() throws Exception;
    }

    private boolean concluded;
    private long nodeId = NODE_ID_DEFAULT;
    private long firstConnectionId = FIRST_CONNECTION_ID_DEFAULT;
    private String busId;
    private String machineId;
    private long busUid = Long.MIN_VALUE;
    private long busPid = Long.MIN_VALUE;
    private BusConfig config;
    private NameCommandSink nameCommandSink;
    private ConfigReloader configReloader;
    private boolean clustered;
    private int maxSnapshotLength = org.omnibus.bus.wire.NameRegistrySnapshotCodec.MAX_SNAPSHOT_LENGTH_DEFAULT;

    /**
     * Validate and fill defaults. Idempotent.
     *
     * @return this.
     */
    public BusContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (nodeId < 0 || nodeId > 0xFFFF_FFFFL)
        {
            throw new IllegalStateException("nodeId out of range: " + nodeId);
        }
        if (maxSnapshotLength < 1)
        {
            throw new IllegalStateException("maxSnapshotLength must be >= 1: " + maxSnapshotLength);
        }
        if (null == busId)
        {
            busId = randomHex();
        }
        if (!isHex32(busId))
        {
            throw new IllegalStateException("busId must be 32 hex digits: " + busId);
        }
        if (null == machineId)
        {
            machineId = readMachineId();
        }
        if (busUid == Long.MIN_VALUE)
        {
            busUid = currentUid();
        }
        if (busPid == Long.MIN_VALUE)
        {
            busPid = ProcessHandle.current().pid();
        }
        if (null == config)
        {
            config = BusConfig.embeddedSession();
        }
        concluded = true;
        return this;
    }

    /**
     * @return this node's id (the NODE of unique names :NODE.CONN).
     */
    public long nodeId()
    {
        return nodeId;
    }

    /**
     * @param nodeId this node's id.
     * @return this.
     */
    public BusContext nodeId(final long nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * @return first connection id.
     */
    public long firstConnectionId()
    {
        return firstConnectionId;
    }

    /**
     * @param firstConnectionId first connection id handed out.
     * @return this.
     */
    public BusContext firstConnectionId(final long firstConnectionId)
    {
        this.firstConnectionId = firstConnectionId;
        return this;
    }

    /**
     * @return the bus GUID (32 hex digits; GetId and the SASL OK line).
     */
    public String busId()
    {
        return busId;
    }

    /**
     * @param busId the bus GUID, 32 hex digits.
     * @return this.
     */
    public BusContext busId(final String busId)
    {
        this.busId = busId;
        return this;
    }

    /**
     * @return the machine id (Peer.GetMachineId).
     */
    public String machineId()
    {
        return machineId;
    }

    /**
     * @param machineId the machine id.
     * @return this.
     */
    public BusContext machineId(final String machineId)
    {
        this.machineId = machineId;
        return this;
    }

    /**
     * @return uid the bus runs as (privileged callers, connection policy), -1 when unknown.
     */
    public long busUid()
    {
        return busUid;
    }

    /**
     * @param busUid uid the bus runs as.
     * @return this.
     */
    public BusContext busUid(final long busUid)
    {
        this.busUid = busUid;
        return this;
    }

    /**
     * @return pid of the bus process.
     */
    public long busPid()
    {
        return busPid;
    }

    /**
     * @param busPid pid of the bus process.
     * @return this.
     */
    public BusContext busPid(final long busPid)
    {
        this.busPid = busPid;
        return this;
    }

    /**
     * @return the loaded configuration (policy, limits, bus type).
     */
    public BusConfig config()
    {
        return config;
    }

    /**
     * @param config the configuration.
     * @return this.
     */
    public BusContext config(final BusConfig config)
    {
        this.config = config;
        return this;
    }

    /**
     * @return where name commands go; null means "apply at once" (single node).
     */
    public NameCommandSink nameCommandSink()
    {
        return nameCommandSink;
    }

    /**
     * @param nameCommandSink where name commands go (a cluster's total order).
     * @return this.
     */
    public BusContext nameCommandSink(final NameCommandSink nameCommandSink)
    {
        this.nameCommandSink = nameCommandSink;
        return this;
    }

    /**
     * @return how ReloadConfig reloads the configuration; null means ReloadConfig keeps the current one.
     */
    public ConfigReloader configReloader()
    {
        return configReloader;
    }

    /**
     * @param configReloader how ReloadConfig reloads the configuration.
     * @return this.
     */
    public BusContext configReloader(final ConfigReloader configReloader)
    {
        this.configReloader = configReloader;
        return this;
    }

    /**
     * @return true when the bus is part of a cluster (broadcasts are also forwarded to the other nodes).
     */
    public boolean clustered()
    {
        return clustered;
    }

    /**
     * @param clustered whether the bus is part of a cluster.
     * @return this.
     */
    public BusContext clustered(final boolean clustered)
    {
        this.clustered = clustered;
        return this;
    }

    /**
     * @return the largest name-registry snapshot {@link Bus#takeSnapshot} writes: what the cluster carries as one
     * message (state transfer).
     */
    public int maxSnapshotLength()
    {
        return maxSnapshotLength;
    }

    /**
     * The largest snapshot the cluster can carry in one message: Aeron's largest message (term length / 8, at most
     * 16 MiB) less the membership's StateTransfer frame around it (48 bytes plus 20 per origin incarnation).
     * Default {@link org.omnibus.bus.wire.NameRegistrySnapshotCodec#MAX_SNAPSHOT_LENGTH_DEFAULT}, for the
     * transport's default 4 MiB term.
     *
     * @param maxSnapshotLength bytes, at least 1.
     * @return this.
     */
    public BusContext maxSnapshotLength(final int maxSnapshotLength)
    {
        this.maxSnapshotLength = maxSnapshotLength;
        return this;
    }

    private static boolean isHex32(final String s)
    {
        if (s.length() != 32)
        {
            return false;
        }
        for (int i = 0; i < 32; i++)
        {
            if (Character.digit(s.charAt(i), 16) < 0)
            {
                return false;
            }
        }
        return true;
    }

    private static String randomHex()
    {
        final byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String readMachineId()
    {
        for (final Path file : MACHINE_ID_FILES)
        {
            try
            {
                final String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (isHex32(id))
                {
                    return id;
                }
            }
            catch (final IOException | RuntimeException ignore)
            {
                // try the next one
            }
        }
        return randomHex();
    }

    private static long currentUid()
    {
        try
        {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return -1;
        }
    }
}
