package org.omnibus.edge;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.omnibus.edge.sasl.SaslServer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of the edge. Set what differs from {@link EdgeConfiguration}'s defaults, then
 * {@link #conclude()} validates it and fills in the rest.
 */
public final class EdgeContext
{
    private final List<BusAddress> listenAddresses = new ArrayList<>();
    private String guidHex;
    private boolean allowAnonymous;
    private int maxConnections = EdgeConfiguration.MAX_CONNECTIONS_DEFAULT;
    private int maxMessageLength = EdgeConfiguration.MAX_MESSAGE_LENGTH_DEFAULT;
    private int maxOutboundBytes = EdgeConfiguration.MAX_OUTBOUND_BYTES_DEFAULT;
    private int initialBufferLength = EdgeConfiguration.INITIAL_BUFFER_LENGTH_DEFAULT;
    private long authTimeoutNs = EdgeConfiguration.AUTH_TIMEOUT_NS_DEFAULT;
    private int listenBacklog = EdgeConfiguration.LISTEN_BACKLOG_DEFAULT;
    private int ancillaryReceiveBufferLength = EdgeConfiguration.ANCILLARY_RECEIVE_BUFFER_LENGTH_DEFAULT;
    private NanoClock nanoClock;
    private boolean concluded;

    private final ExpandableArrayBuffer saslReplyBuffer = new ExpandableArrayBuffer(256);
    private final SaslServer.BufferReplySink saslReplySink = new SaslServer.BufferReplySink();

    /**
     * Validate and fill defaults.
     *
     * @return this.
     * @throws IllegalStateException naming what is wrong.
     */
    public EdgeContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (listenAddresses.isEmpty())
        {
            throw new IllegalStateException("edge needs at least one listen address");
        }
        if (guidHex == null)
        {
            guidHex = newGuid();
        }
        if (!guidHex.matches("[0-9a-f]{32}"))
        {
            throw new IllegalStateException("bus GUID must be 32 lowercase hex digits: " + guidHex);
        }
        if (maxMessageLength < 16 || maxOutboundBytes < maxMessageLength)
        {
            throw new IllegalStateException("max outbound bytes (" + maxOutboundBytes +
                ") must be at least max message length (" + maxMessageLength + ") which must be >= 16");
        }
        if (initialBufferLength < 1024)
        {
            throw new IllegalStateException("initial buffer length must be at least 1024: " + initialBufferLength);
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        concluded = true;
        return this;
    }

    /**
     * @return a new random bus GUID: 32 hex digits, the last 8 a timestamp as dbus-daemon makes them.
     */
    public static String newGuid()
    {
        final byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        final StringBuilder guid = new StringBuilder(32);
        for (final byte b : random)
        {
            guid.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        guid.append(String.format("%08x", System.currentTimeMillis() / 1000));
        return guid.toString();
    }

    /**
     * @param address to listen on; several may be added.
     * @return this.
     */
    public EdgeContext addListenAddress(final BusAddress address)
    {
        listenAddresses.add(address);
        return this;
    }

    /**
     * @return the listen addresses.
     */
    public List<BusAddress> listenAddresses()
    {
        return listenAddresses;
    }

    /**
     * @param guidHex bus GUID (32 lowercase hex digits).
     * @return this.
     */
    public EdgeContext guidHex(final String guidHex)
    {
        this.guidHex = guidHex;
        return this;
    }

    /**
     * @return bus GUID.
     */
    public String guidHex()
    {
        return guidHex;
    }

    /**
     * @param allowAnonymous accept the ANONYMOUS mechanism.
     * @return this.
     */
    public EdgeContext allowAnonymous(final boolean allowAnonymous)
    {
        this.allowAnonymous = allowAnonymous;
        return this;
    }

    /**
     * @return whether ANONYMOUS is accepted.
     */
    public boolean allowAnonymous()
    {
        return allowAnonymous;
    }

    /**
     * @param maxConnections open connections accepted.
     * @return this.
     */
    public EdgeContext maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * @return open connections accepted.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    /**
     * @param maxMessageLength longest message accepted.
     * @return this.
     */
    public EdgeContext maxMessageLength(final int maxMessageLength)
    {
        this.maxMessageLength = maxMessageLength;
        return this;
    }

    /**
     * @return longest message accepted.
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @param maxOutboundBytes bytes queued to one connection before it is disconnected.
     * @return this.
     */
    public EdgeContext maxOutboundBytes(final int maxOutboundBytes)
    {
        this.maxOutboundBytes = maxOutboundBytes;
        return this;
    }

    /**
     * @return bytes queued to one connection before it is disconnected.
     */
    public int maxOutboundBytes()
    {
        return maxOutboundBytes;
    }

    /**
     * @param initialBufferLength initial size of per-connection buffers.
     * @return this.
     */
    public EdgeContext initialBufferLength(final int initialBufferLength)
    {
        this.initialBufferLength = initialBufferLength;
        return this;
    }

    /**
     * @return initial size of per-connection buffers.
     */
    public int initialBufferLength()
    {
        return initialBufferLength;
    }

    /**
     * @param authTimeoutNs time a connection has to authenticate.
     * @return this.
     */
    public EdgeContext authTimeoutNs(final long authTimeoutNs)
    {
        this.authTimeoutNs = authTimeoutNs;
        return this;
    }

    /**
     * @return time a connection has to authenticate.
     */
    public long authTimeoutNs()
    {
        return authTimeoutNs;
    }

    /**
     * @param listenBacklog backlog of listening sockets.
     * @return this.
     */
    public EdgeContext listenBacklog(final int listenBacklog)
    {
        this.listenBacklog = listenBacklog;
        return this;
    }

    /**
     * @return backlog of listening sockets.
     */
    public int listenBacklog()
    {
        return listenBacklog;
    }

    /**
     * @return room for received SCM_RIGHTS control data.
     */
    public int ancillaryReceiveBufferLength()
    {
        return ancillaryReceiveBufferLength;
    }

    /**
     * @param nanoClock clock for timeouts (tests plug in a controllable one).
     * @return this.
     */
    public EdgeContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * @return clock for timeouts.
     */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    MutableDirectBuffer saslReplyBuffer()
    {
        return saslReplyBuffer;
    }

    SaslServer.BufferReplySink saslReplySink()
    {
        return saslReplySink;
    }
}
