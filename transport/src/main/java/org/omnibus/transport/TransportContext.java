package org.omnibus.transport;

import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Configuration of a {@link Transport}: fluent setters, defaults from {@link TransportConfiguration}, and
 * {@link #conclude()} which validates and fills in what is derived. A context is concluded once, by
 * {@link Transport#launch(TransportContext)}.
 * <p>
 * Driver: with no {@link #aeronDirectoryName(String)} the transport launches an embedded media driver whose
 * directory is {@code dataDir/aeron}; with one, it connects to the external driver running there (and the driver
 * settings here are ignored).
 */
public final class TransportContext
{
    private static final Logger LOG = LoggerFactory.getLogger(TransportContext.class);
    private static final int MIN_TERM_LENGTH = 64 * 1024;
    private static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;
    private static final int MIN_MTU = 128;
    private static final int MAX_MTU = 65504;

    private boolean concluded;
    private int nodeId = -1;
    private File dataDir;
    private String aeronDirectoryName = TransportConfiguration.aeronDirectoryName();
    private ThreadingMode threadingMode = TransportConfiguration.threadingMode();
    private IdleStrategyKind idleStrategy = TransportConfiguration.idleStrategy();
    private boolean dirDeleteOnStart = TransportConfiguration.dirDeleteOnStart();
    private boolean dirDeleteOnShutdown = TransportConfiguration.dirDeleteOnShutdown();
    private ChannelMode channelMode = TransportConfiguration.channelMode();
    private String multicastEndpoint = TransportConfiguration.multicastEndpoint();
    private String multicastInterface = TransportConfiguration.multicastInterface();
    private int multicastTtl = TransportConfiguration.multicastTtl();
    private String endpoint = TransportConfiguration.endpoint();
    private String controlEndpoint = TransportConfiguration.controlEndpoint();
    private String flowControl = TransportConfiguration.flowControl();
    private int mtuLength = TransportConfiguration.mtuLength();
    private int termBufferLength = TransportConfiguration.termBufferLength();
    private long imageLivenessTimeoutNs = TransportConfiguration.imageLivenessTimeoutNs();
    private final int[] streamIds = new int[TransportStream.COUNT];
    private int offerMaxAttempts = TransportConfiguration.offerMaxAttempts();
    private IdleStrategy offerIdleStrategy;
    private double lossRate = TransportConfiguration.lossRate();
    private long lossSeed = TransportConfiguration.lossSeed();
    private TransportLossGenerator lossGenerator;
    private final FragmentHandler[] handlers = new FragmentHandler[TransportStream.COUNT];
    private ImageListener imageListener;
    private final List<TransportPeer> peers = new ArrayList<>();
    private ErrorHandler errorHandler;

    /**
     * A context with defaults from {@link TransportConfiguration}.
     */
    public TransportContext()
    {
        for (final TransportStream stream : TransportStream.values())
        {
            streamIds[stream.ordinal()] = TransportConfiguration.streamId(stream);
        }
    }

    /**
     * Validate the settings and fill in defaults. Called once by {@link Transport#launch(TransportContext)}.
     *
     * @return this for a fluent API.
     * @throws IllegalStateException    if already concluded or a required setting is missing.
     * @throws IllegalArgumentException if a setting is invalid (e.g. a multicast channel without an interface).
     */
    public TransportContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("TransportContext already concluded");
        }

        if (nodeId < 0)
        {
            throw new IllegalStateException("nodeId must be set (>= 0)");
        }

        if (null == aeronDirectoryName)
        {
            if (null == dataDir)
            {
                throw new IllegalStateException("dataDir must be set for an embedded media driver");
            }
        }
        else if (isLossEnabled())
        {
            throw new IllegalStateException("loss injection needs an embedded media driver");
        }

        validateChannels();
        validateStreamIds();

        if (!BitUtil.isPowerOfTwo(termBufferLength) ||
            termBufferLength < MIN_TERM_LENGTH || termBufferLength > MAX_TERM_LENGTH)
        {
            throw new IllegalArgumentException("termBufferLength must be a power of two in [64 KiB, 1 GiB]: " +
                termBufferLength);
        }
        if (mtuLength < MIN_MTU || mtuLength > MAX_MTU || 0 != (mtuLength & 31))
        {
            throw new IllegalArgumentException("mtuLength must be a multiple of 32 in [128, 65504]: " + mtuLength);
        }
        if (offerMaxAttempts < 1)
        {
            throw new IllegalArgumentException("offerMaxAttempts must be >= 1: " + offerMaxAttempts);
        }
        if (imageLivenessTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("imageLivenessTimeoutNs must be > 0: " + imageLivenessTimeoutNs);
        }

        if (null == lossGenerator && lossRate > 0.0)
        {
            lossGenerator = new TransportLossGenerator(lossRate, lossSeed);
        }
        if (null == offerIdleStrategy)
        {
            offerIdleStrategy = new BackoffIdleStrategy(1, 4, 1_000L, 100_000L);
        }
        if (null == imageListener)
        {
            imageListener = ImageListener.NO_OP;
        }
        for (int i = 0; i < handlers.length; i++)
        {
            if (null == handlers[i])
            {
                handlers[i] = (buffer, offset, length, header) -> {};
            }
        }
        if (null == errorHandler)
        {
            errorHandler = (throwable) -> LOG.error("transport error on node {}", nodeId, throwable);
        }

        concluded = true;
        return this;
    }

    private void validateChannels()
    {
        switch (channelMode)
        {
            case MULTICAST:
                Channels.multicast(multicastEndpoint, multicastInterface, multicastTtl);
                break;

            case MDC_MANUAL:
            case UNICAST:
                requireEndpoint(endpoint, "endpoint");
                break;

            case MDC_DYNAMIC:
                requireEndpoint(endpoint, "endpoint");
                requireEndpoint(controlEndpoint, "controlEndpoint");
                break;

            default:
                throw new IllegalStateException("unknown channel mode " + channelMode);
        }

        if (null != endpoint)
        {
            Channels.unicast(endpoint);
        }

        for (final TransportPeer peer : peers)
        {
            if (peer.nodeId() == nodeId)
            {
                throw new IllegalArgumentException("peers must not list this node (" + nodeId + ")");
            }
            validatePeer(channelMode, peer);
        }
    }

    static void validatePeer(final ChannelMode channelMode, final TransportPeer peer)
    {
        if (peer.nodeId() < 0)
        {
            throw new IllegalArgumentException("peer nodeId must be >= 0: " + peer);
        }
        if (ChannelMode.MULTICAST != channelMode && null == peer.endpoint())
        {
            throw new IllegalArgumentException("peer needs an endpoint in " + channelMode + " mode: " + peer);
        }
        if (ChannelMode.MDC_DYNAMIC == channelMode && null == peer.controlEndpoint())
        {
            throw new IllegalArgumentException("peer needs a control endpoint in MDC_DYNAMIC mode: " + peer);
        }
        if (null != peer.endpoint())
        {
            Channels.unicast(peer.endpoint());
        }
    }

    private void validateStreamIds()
    {
        final int[] sorted = streamIds.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                throw new IllegalArgumentException("stream ids must be distinct: " + Arrays.toString(streamIds));
            }
        }
    }

    private void requireEndpoint(final String value, final String name)
    {
        if (null == value)
        {
            throw new IllegalStateException(name + " (host:port) must be set in " + channelMode + " mode");
        }
    }

    /**
     * @return true once concluded.
     */
    public boolean isConcluded()
    {
        return concluded;
    }

    /**
     * @return true if an embedded driver is launched (no external Aeron directory given).
     */
    public boolean isEmbeddedDriver()
    {
        return null == aeronDirectoryName;
    }

    /**
     * @return true if loss injection is configured (only possible with an embedded driver).
     */
    public boolean isLossEnabled()
    {
        return null != lossGenerator || lossRate > 0.0;
    }

    /**
     * @return the directory of the embedded driver ({@code dataDir/aeron}) or of the external one.
     */
    public String driverDirectoryName()
    {
        return null != aeronDirectoryName ?
            aeronDirectoryName :
            new File(dataDir, TransportConfiguration.DRIVER_DIR_NAME).getAbsolutePath();
    }

    /**
     * @param nodeId this node's id in the cluster (>= 0). Required.
     * @return this for a fluent API.
     */
    public TransportContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * @return this node's id.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param dataDir the node's data directory; the embedded driver lives in {@code dataDir/aeron}.
     * @return this for a fluent API.
     */
    public TransportContext dataDir(final File dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    /**
     * @return the node's data directory.
     */
    public File dataDir()
    {
        return dataDir;
    }

    /**
     * @param aeronDirectoryName directory of an external media driver to connect to, or null for an embedded one.
     * @return this for a fluent API.
     */
    public TransportContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    /**
     * @return directory of the external media driver, or null for an embedded one.
     */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * @param threadingMode of the embedded driver: SHARED (default), SHARED_NETWORK, DEDICATED (opt-in, three
     *                      threads) or INVOKER (no driver thread: {@link Transport#poll(int)} runs the driver).
     * @return this for a fluent API.
     */
    public TransportContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    /**
     * @return threading mode of the embedded driver.
     */
    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * @param idleStrategy of the embedded driver's agents; BACKOFF (default) or SLEEPING on shared machines.
     * @return this for a fluent API.
     */
    public TransportContext idleStrategy(final IdleStrategyKind idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * @return idle strategy of the embedded driver's agents.
     */
    public IdleStrategyKind idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @param dirDeleteOnStart whether the embedded driver deletes its directory on start.
     * @return this for a fluent API.
     */
    public TransportContext dirDeleteOnStart(final boolean dirDeleteOnStart)
    {
        this.dirDeleteOnStart = dirDeleteOnStart;
        return this;
    }

    /**
     * @return whether the embedded driver deletes its directory on start.
     */
    public boolean dirDeleteOnStart()
    {
        return dirDeleteOnStart;
    }

    /**
     * @param dirDeleteOnShutdown whether the embedded driver deletes its directory when closed.
     * @return this for a fluent API.
     */
    public TransportContext dirDeleteOnShutdown(final boolean dirDeleteOnShutdown)
    {
        this.dirDeleteOnShutdown = dirDeleteOnShutdown;
        return this;
    }

    /**
     * @return whether the embedded driver deletes its directory when closed.
     */
    public boolean dirDeleteOnShutdown()
    {
        return dirDeleteOnShutdown;
    }

    /**
     * @param channelMode how the group is reached.
     * @return this for a fluent API.
     */
    public TransportContext channelMode(final ChannelMode channelMode)
    {
        this.channelMode = channelMode;
        return this;
    }

    /**
     * @return how the group is reached.
     */
    public ChannelMode channelMode()
    {
        return channelMode;
    }

    /**
     * @param multicastEndpoint multicast group and port, {@code address:port}.
     * @return this for a fluent API.
     */
    public TransportContext multicastEndpoint(final String multicastEndpoint)
    {
        this.multicastEndpoint = multicastEndpoint;
        return this;
    }

    /**
     * @return multicast group and port.
     */
    public String multicastEndpoint()
    {
        return multicastEndpoint;
    }

    /**
     * @param multicastInterface interface for multicast, e.g. {@code 127.0.0.1}. Required in multicast mode.
     * @return this for a fluent API.
     */
    public TransportContext multicastInterface(final String multicastInterface)
    {
        this.multicastInterface = multicastInterface;
        return this;
    }

    /**
     * @return interface for multicast.
     */
    public String multicastInterface()
    {
        return multicastInterface;
    }

    /**
     * @param multicastTtl multicast TTL; 0 on loopback.
     * @return this for a fluent API.
     */
    public TransportContext multicastTtl(final int multicastTtl)
    {
        this.multicastTtl = multicastTtl;
        return this;
    }

    /**
     * @return multicast TTL.
     */
    public int multicastTtl()
    {
        return multicastTtl;
    }

    /**
     * @param endpoint this node's unicast endpoint {@code host:port}; port 0 picks a free port (see
     *                 {@link Transport#localEndpoint()}). Required except in multicast mode, where without it the node
     *                 cannot be sent to alone.
     * @return this for a fluent API.
     */
    public TransportContext endpoint(final String endpoint)
    {
        this.endpoint = endpoint;
        return this;
    }

    /**
     * @return this node's unicast endpoint.
     */
    public String endpoint()
    {
        return endpoint;
    }

    /**
     * @param controlEndpoint this node's MDC control endpoint {@code host:port} (port 0 picks a free one); required
     *                        in {@link ChannelMode#MDC_DYNAMIC}.
     * @return this for a fluent API.
     */
    public TransportContext controlEndpoint(final String controlEndpoint)
    {
        this.controlEndpoint = controlEndpoint;
        return this;
    }

    /**
     * @return this node's MDC control endpoint.
     */
    public String controlEndpoint()
    {
        return controlEndpoint;
    }

    /**
     * @param flowControl Aeron {@code fc} value for multicast and MDC publications, e.g. {@code min,t:2s} or
     *                    {@code max}.
     * @return this for a fluent API.
     */
    public TransportContext flowControl(final String flowControl)
    {
        this.flowControl = flowControl;
        return this;
    }

    /**
     * @return flow control of multicast and MDC publications.
     */
    public String flowControl()
    {
        return flowControl;
    }

    /**
     * @param mtuLength MTU of publications, a multiple of 32.
     * @return this for a fluent API.
     */
    public TransportContext mtuLength(final int mtuLength)
    {
        this.mtuLength = mtuLength;
        return this;
    }

    /**
     * @return MTU of publications.
     */
    public int mtuLength()
    {
        return mtuLength;
    }

    /**
     * @param termBufferLength term length of publications, a power of two in [64 KiB, 1 GiB].
     * @return this for a fluent API.
     */
    public TransportContext termBufferLength(final int termBufferLength)
    {
        this.termBufferLength = termBufferLength;
        return this;
    }

    /**
     * @return term length of publications.
     */
    public int termBufferLength()
    {
        return termBufferLength;
    }

    /**
     * @param imageLivenessTimeoutNs silence after which the embedded driver declares an image unavailable.
     * @return this for a fluent API.
     */
    public TransportContext imageLivenessTimeoutNs(final long imageLivenessTimeoutNs)
    {
        this.imageLivenessTimeoutNs = imageLivenessTimeoutNs;
        return this;
    }

    /**
     * @return image liveness timeout of the embedded driver.
     */
    public long imageLivenessTimeoutNs()
    {
        return imageLivenessTimeoutNs;
    }

    /**
     * @param stream   logical stream.
     * @param streamId Aeron stream id to use for it; all four must differ.
     * @return this for a fluent API.
     */
    public TransportContext streamId(final TransportStream stream, final int streamId)
    {
        streamIds[stream.ordinal()] = streamId;
        return this;
    }

    /**
     * @param stream logical stream.
     * @return its Aeron stream id.
     */
    public int streamId(final TransportStream stream)
    {
        return streamIds[stream.ordinal()];
    }

    /**
     * @param offerMaxAttempts attempts of one send against back-pressure or admin action before returning.
     * @return this for a fluent API.
     */
    public TransportContext offerMaxAttempts(final int offerMaxAttempts)
    {
        this.offerMaxAttempts = offerMaxAttempts;
        return this;
    }

    /**
     * @return attempts of one send before returning a negative code.
     */
    public int offerMaxAttempts()
    {
        return offerMaxAttempts;
    }

    /**
     * @param offerIdleStrategy idles between send attempts; reset at the start of every send. Default: a short
     *                          back-off (spin, yield, then park 1..100 µs).
     * @return this for a fluent API.
     */
    public TransportContext offerIdleStrategy(final IdleStrategy offerIdleStrategy)
    {
        this.offerIdleStrategy = offerIdleStrategy;
        return this;
    }

    /**
     * @return idle strategy between send attempts.
     */
    public IdleStrategy offerIdleStrategy()
    {
        return offerIdleStrategy;
    }

    /**
     * @param lossRate fraction of received data frames the embedded driver drops (tests only); 0 disables.
     * @return this for a fluent API.
     */
    public TransportContext lossRate(final double lossRate)
    {
        this.lossRate = lossRate;
        return this;
    }

    /**
     * @return fraction of received data frames dropped.
     */
    public double lossRate()
    {
        return lossRate;
    }

    /**
     * @param lossSeed seed of the loss generator made from {@link #lossRate(double)}.
     * @return this for a fluent API.
     */
    public TransportContext lossSeed(final long lossSeed)
    {
        this.lossSeed = lossSeed;
        return this;
    }

    /**
     * @return seed of the loss generator.
     */
    public long lossSeed()
    {
        return lossSeed;
    }

    /**
     * @param lossGenerator a loss generator to install in the embedded driver's receive endpoints (its rate can be
     *                      changed while running); overrides {@link #lossRate(double)}.
     * @return this for a fluent API.
     */
    public TransportContext lossGenerator(final TransportLossGenerator lossGenerator)
    {
        this.lossGenerator = lossGenerator;
        return this;
    }

    /**
     * @return the loss generator, or null if loss injection is off.
     */
    public TransportLossGenerator lossGenerator()
    {
        return lossGenerator;
    }

    /**
     * @param stream  logical stream.
     * @param handler receives whole (reassembled) messages of that stream on the polling thread. The header is the
     *                last fragment's: {@code header.sessionId()} identifies the sender's publication and
     *                {@code header.reservedValue()} is the sender's node id.
     * @return this for a fluent API.
     */
    public TransportContext handler(final TransportStream stream, final FragmentHandler handler)
    {
        handlers[stream.ordinal()] = handler;
        return this;
    }

    /**
     * @param stream logical stream.
     * @return its handler.
     */
    public FragmentHandler handler(final TransportStream stream)
    {
        return handlers[stream.ordinal()];
    }

    /**
     * @param imageListener told of images appearing and going away, on the polling thread.
     * @return this for a fluent API.
     */
    public TransportContext imageListener(final ImageListener imageListener)
    {
        this.imageListener = imageListener;
        return this;
    }

    /**
     * @return the image listener.
     */
    public ImageListener imageListener()
    {
        return imageListener;
    }

    /**
     * Add a peer known at start; more can be added with {@link Transport#addPeer(TransportPeer)}.
     *
     * @param peer another node (not this one).
     * @return this for a fluent API.
     */
    public TransportContext peer(final TransportPeer peer)
    {
        peers.add(peer);
        return this;
    }

    /**
     * @return peers known at start.
     */
    public List<TransportPeer> peers()
    {
        return peers;
    }

    /**
     * @param errorHandler for errors of the Aeron client and the embedded driver. Default: log via SLF4J.
     * @return this for a fluent API.
     */
    public TransportContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * @return the error handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "TransportContext{" +
            "nodeId=" + nodeId +
            ", driver=" + (isEmbeddedDriver() ? "embedded " + threadingMode + "/" + idleStrategy.configName() :
            "external " + aeronDirectoryName) +
            ", channelMode=" + channelMode +
            (ChannelMode.MULTICAST == channelMode ?
            ", multicast=" + multicastEndpoint + " interface=" + multicastInterface + " ttl=" + multicastTtl : "") +
            ", endpoint=" + endpoint +
            (ChannelMode.MDC_DYNAMIC == channelMode ? ", controlEndpoint=" + controlEndpoint : "") +
            ", fc=" + flowControl +
            ", mtu=" + mtuLength +
            ", termLength=" + termBufferLength +
            ", streamIds=" + Arrays.toString(streamIds) +
            ", offerMaxAttempts=" + offerMaxAttempts +
            ", lossRate=" + (null != lossGenerator ? lossGenerator.rate() : lossRate) +
            '}';
    }
}
