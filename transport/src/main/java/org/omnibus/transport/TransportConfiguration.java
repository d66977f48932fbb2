package org.omnibus.transport;

import io.aeron.driver.ThreadingMode;

import java.util.concurrent.TimeUnit;

/**
 * Properties of the transport and their defaults, in one place. Only this class reads system properties; a
 * {@link TransportContext} takes its defaults from here and the node's configuration file maps onto the context.
 */
public final class TransportConfiguration
{
    /**
     * Name of the directory, under a node's data directory, that holds its embedded media driver's files.
     */
    public static final String DRIVER_DIR_NAME = "aeron";

    /**
     * Aeron directory of an external media driver. Unset (the default) means an embedded driver per node.
     */
    public static final String AERON_DIR_PROP_NAME = "omnibus.transport.aeron.dir";

    /**
     * Threading mode of the embedded media driver.
     */
    public static final String THREADING_MODE_PROP_NAME = "omnibus.transport.threading.mode";

    /**
     * Default threading mode: one thread for the conductor, sender and receiver together.
     */
    public static final ThreadingMode THREADING_MODE_DEFAULT = ThreadingMode.SHARED;

    /**
     * Idle strategy of the embedded media driver's agents: backoff, sleeping, yielding or busy-spin.
     */
    public static final String IDLE_STRATEGY_PROP_NAME = "omnibus.transport.idle.strategy";

    /**
     * Default idle strategy of the embedded driver's agents.
     */
    public static final IdleStrategyKind IDLE_STRATEGY_DEFAULT = IdleStrategyKind.BACKOFF;

    /**
     * Whether an embedded driver deletes its directory when it starts. When false (the default) Aeron still removes
     * the directory of a driver that is no longer running, and refuses to start over a live one.
     */
    public static final String DIR_DELETE_ON_START_PROP_NAME = "omnibus.transport.dir.delete.on.start";

    /**
     * Default for {@link #DIR_DELETE_ON_START_PROP_NAME}.
     */
    public static final boolean DIR_DELETE_ON_START_DEFAULT = false;

    /**
     * Whether an embedded driver deletes its directory when it is closed.
     */
    public static final String DIR_DELETE_ON_SHUTDOWN_PROP_NAME = "omnibus.transport.dir.delete.on.shutdown";

    /**
     * Default for {@link #DIR_DELETE_ON_SHUTDOWN_PROP_NAME}.
     */
    public static final boolean DIR_DELETE_ON_SHUTDOWN_DEFAULT = true;

    /**
     * How the group is reached: multicast, mdc-manual, mdc-dynamic or unicast.
     */
    public static final String CHANNEL_MODE_PROP_NAME = "omnibus.transport.channel.mode";

    /**
     * Default channel mode.
     */
    public static final ChannelMode CHANNEL_MODE_DEFAULT = ChannelMode.MULTICAST;

    /**
     * Multicast group and port, {@code address:port}. Aeron uses the port for data and the next address for control.
     */
    public static final String MULTICAST_ENDPOINT_PROP_NAME = "omnibus.transport.multicast.endpoint";

    /**
     * Default multicast group and port.
     */
    public static final String MULTICAST_ENDPOINT_DEFAULT = "224.0.1.1:40456";

    /**
     * Interface multicast is sent and received on (an address such as 127.0.0.1, or a subnet such as 10.0.0.0/24).
     * There is no default: a multicast channel without a named interface is refused.
     */
    public static final String MULTICAST_INTERFACE_PROP_NAME = "omnibus.transport.multicast.interface";

    /**
     * Multicast TTL. Use 0 on loopback so nothing leaves the host.
     */
    public static final String MULTICAST_TTL_PROP_NAME = "omnibus.transport.multicast.ttl";

    /**
     * Default multicast TTL: the local subnet only.
     */
    public static final int MULTICAST_TTL_DEFAULT = 1;

    /**
     * This node's unicast endpoint, {@code host:port} (port 0 picks a free one): where it receives MDC, unicast and
     * direct (catch-up, reply) traffic.
     */
    public static final String ENDPOINT_PROP_NAME = "omnibus.transport.endpoint";

    /**
     * This node's MDC control endpoint, {@code host:port} (port 0 picks a free one), for
     * {@link ChannelMode#MDC_DYNAMIC}.
     */
    public static final String CONTROL_ENDPOINT_PROP_NAME = "omnibus.transport.control.endpoint";

    /**
     * Flow control of multicast and MDC publications, Aeron's {@code fc} parameter.
     */
    public static final String FLOW_CONTROL_PROP_NAME = "omnibus.transport.flow.control";

    /**
     * Default flow control: the slowest live receiver sets the pace so no receiver loses data; a receiver silent for
     * 2 s stops holding the group back.
     */
    public static final String FLOW_CONTROL_DEFAULT = "min,t:2s";

    /**
     * MTU of publications in bytes (a multiple of 32).
     */
    public static final String MTU_LENGTH_PROP_NAME = "omnibus.transport.mtu.length";

    /**
     * Default MTU: 1344 bytes plus IP and UDP headers fits interfaces with a 1400-byte MTU (Aeron's own default of
     * 1408 does not).
     */
    public static final int MTU_LENGTH_DEFAULT = 1344;

    /**
     * Term buffer length of publications (a power of two from 64 KiB to 1 GiB).
     */
    public static final String TERM_BUFFER_LENGTH_PROP_NAME = "omnibus.transport.term.buffer.length";

    /**
     * Default term buffer length.
     */
    public static final int TERM_BUFFER_LENGTH_DEFAULT = 4 * 1024 * 1024;

    /**
     * Time without data or heartbeat after which the embedded driver declares an image gone.
     */
    public static final String IMAGE_LIVENESS_TIMEOUT_PROP_NAME = "omnibus.transport.image.liveness.timeout";

    /**
     * Default image liveness timeout.
     */
    public static final long IMAGE_LIVENESS_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(3);

    /**
     * Aeron stream id of {@link TransportStream#CONTROL}.
     */
    public static final String CONTROL_STREAM_ID_PROP_NAME = "omnibus.transport.control.stream.id";

    /**
     * Default Aeron stream id of {@link TransportStream#CONTROL}.
     */
    public static final int CONTROL_STREAM_ID_DEFAULT = 1001;

    /**
     * Aeron stream id of {@link TransportStream#SUBMIT}.
     */
    public static final String SUBMIT_STREAM_ID_PROP_NAME = "omnibus.transport.submit.stream.id";

    /**
     * Default Aeron stream id of {@link TransportStream#SUBMIT}.
     */
    public static final int SUBMIT_STREAM_ID_DEFAULT = 1002;

    /**
     * Aeron stream id of {@link TransportStream#ORDERED}.
     */
    public static final String ORDERED_STREAM_ID_PROP_NAME = "omnibus.transport.ordered.stream.id";

    /**
     * Default Aeron stream id of {@link TransportStream#ORDERED}.
     */
    public static final int ORDERED_STREAM_ID_DEFAULT = 1003;

    /**
     * Aeron stream id of {@link TransportStream#CATCH_UP}.
     */
    public static final String CATCH_UP_STREAM_ID_PROP_NAME = "omnibus.transport.catch.up.stream.id";

    /**
     * Default Aeron stream id of {@link TransportStream#CATCH_UP}.
     */
    public static final int CATCH_UP_STREAM_ID_DEFAULT = 1004;

    /**
     * How many times one send tries a back-pressured or admin-action publication before giving up with a return code.
     */
    public static final String OFFER_MAX_ATTEMPTS_PROP_NAME = "omnibus.transport.offer.max.attempts";

    /**
     * Default offer attempts. Kept small: the caller is usually the agent that must also poll its own subscriptions
     * for the back-pressure to clear.
     */
    public static final int OFFER_MAX_ATTEMPTS_DEFAULT = 8;

    /**
     * Fraction (0 to 1) of received data frames the embedded driver drops, for tests. 0 disables loss injection.
     */
    public static final String LOSS_RATE_PROP_NAME = "omnibus.transport.loss.rate";

    /**
     * Default loss rate: none.
     */
    public static final double LOSS_RATE_DEFAULT = 0.0;

    /**
     * Seed of the loss generator's random sequence.
     */
    public static final String LOSS_SEED_PROP_NAME = "omnibus.transport.loss.seed";

    /**
     * Default loss seed.
     */
    public static final long LOSS_SEED_DEFAULT = 42L;

    private TransportConfiguration()
    {
    }

    /**
     * @return value of {@link #AERON_DIR_PROP_NAME}, or null for an embedded driver.
     */
    public static String aeronDirectoryName()
    {
        return System.getProperty(AERON_DIR_PROP_NAME);
    }

    /**
     * @return value of {@link #THREADING_MODE_PROP_NAME} or its default.
     */
    public static ThreadingMode threadingMode()
    {
        final String value = System.getProperty(THREADING_MODE_PROP_NAME);
        return null == value ? THREADING_MODE_DEFAULT : ThreadingMode.valueOf(value.trim().toUpperCase());
    }

    /**
     * @return value of {@link #IDLE_STRATEGY_PROP_NAME} or its default.
     */
    public static IdleStrategyKind idleStrategy()
    {
        final String value = System.getProperty(IDLE_STRATEGY_PROP_NAME);
        return null == value ? IDLE_STRATEGY_DEFAULT : IdleStrategyKind.fromConfigName(value);
    }

    /**
     * @return value of {@link #DIR_DELETE_ON_START_PROP_NAME} or its default.
     */
    public static boolean dirDeleteOnStart()
    {
        final String value = System.getProperty(DIR_DELETE_ON_START_PROP_NAME);
        return null == value ? DIR_DELETE_ON_START_DEFAULT : Boolean.parseBoolean(value);
    }

    /**
     * @return value of {@link #DIR_DELETE_ON_SHUTDOWN_PROP_NAME} or its default.
     */
    public static boolean dirDeleteOnShutdown()
    {
        final String value = System.getProperty(DIR_DELETE_ON_SHUTDOWN_PROP_NAME);
        return null == value ? DIR_DELETE_ON_SHUTDOWN_DEFAULT : Boolean.parseBoolean(value);
    }

    /**
     * @return value of {@link #CHANNEL_MODE_PROP_NAME} or its default.
     */
    public static ChannelMode channelMode()
    {
        final String value = System.getProperty(CHANNEL_MODE_PROP_NAME);
        return null == value ?
            CHANNEL_MODE_DEFAULT : ChannelMode.valueOf(value.trim().toUpperCase().replace('-', '_'));
    }

    /**
     * @return value of {@link #MULTICAST_ENDPOINT_PROP_NAME} or its default.
     */
    public static String multicastEndpoint()
    {
        return System.getProperty(MULTICAST_ENDPOINT_PROP_NAME, MULTICAST_ENDPOINT_DEFAULT);
    }

    /**
     * @return value of {@link #MULTICAST_INTERFACE_PROP_NAME}, or null when unset.
     */
    public static String multicastInterface()
    {
        return System.getProperty(MULTICAST_INTERFACE_PROP_NAME);
    }

    /**
     * @return value of {@link #MULTICAST_TTL_PROP_NAME} or its default.
     */
    public static int multicastTtl()
    {
        return Integer.getInteger(MULTICAST_TTL_PROP_NAME, MULTICAST_TTL_DEFAULT);
    }

    /**
     * @return value of {@link #ENDPOINT_PROP_NAME}, or null when unset.
     */
    public static String endpoint()
    {
        return System.getProperty(ENDPOINT_PROP_NAME);
    }

    /**
     * @return value of {@link #CONTROL_ENDPOINT_PROP_NAME}, or null when unset.
     */
    public static String controlEndpoint()
    {
        return System.getProperty(CONTROL_ENDPOINT_PROP_NAME);
    }

    /**
     * @return value of {@link #FLOW_CONTROL_PROP_NAME} or its default.
     */
    public static String flowControl()
    {
        return System.getProperty(FLOW_CONTROL_PROP_NAME, FLOW_CONTROL_DEFAULT);
    }

    /**
     * @return value of {@link #MTU_LENGTH_PROP_NAME} or its default.
     */
    public static int mtuLength()
    {
        return Integer.getInteger(MTU_LENGTH_PROP_NAME, MTU_LENGTH_DEFAULT);
    }

    /**
     * @return value of {@link #TERM_BUFFER_LENGTH_PROP_NAME} or its default.
     */
    public static int termBufferLength()
    {
        return Integer.getInteger(TERM_BUFFER_LENGTH_PROP_NAME, TERM_BUFFER_LENGTH_DEFAULT);
    }

    /**
     * @return value of {@link #IMAGE_LIVENESS_TIMEOUT_PROP_NAME} in nanoseconds, or its default.
     */
    public static long imageLivenessTimeoutNs()
    {
        return Long.getLong(IMAGE_LIVENESS_TIMEOUT_PROP_NAME, IMAGE_LIVENESS_TIMEOUT_DEFAULT_NS);
    }

    /**
     * @param stream whose id is wanted.
     * @return the configured Aeron stream id of the stream, or its default.
     */
    public static int streamId(final TransportStream stream)
    {
        switch (stream)
        {
            case CONTROL:
                return Integer.getInteger(CONTROL_STREAM_ID_PROP_NAME, CONTROL_STREAM_ID_DEFAULT);
            case SUBMIT:
                return Integer.getInteger(SUBMIT_STREAM_ID_PROP_NAME, SUBMIT_STREAM_ID_DEFAULT);
            case ORDERED:
                return Integer.getInteger(ORDERED_STREAM_ID_PROP_NAME, ORDERED_STREAM_ID_DEFAULT);
            case CATCH_UP:
            default:
                return Integer.getInteger(CATCH_UP_STREAM_ID_PROP_NAME, CATCH_UP_STREAM_ID_DEFAULT);
        }
    }

    /**
     * @return value of {@link #OFFER_MAX_ATTEMPTS_PROP_NAME} or its default.
     */
    public static int offerMaxAttempts()
    {
        return Integer.getInteger(OFFER_MAX_ATTEMPTS_PROP_NAME, OFFER_MAX_ATTEMPTS_DEFAULT);
    }

    /**
     * @return value of {@link #LOSS_RATE_PROP_NAME} or its default.
     */
    public static double lossRate()
    {
        final String value = System.getProperty(LOSS_RATE_PROP_NAME);
        return null == value ? LOSS_RATE_DEFAULT : Double.parseDouble(value);
    }

    /**
     * @return value of {@link #LOSS_SEED_PROP_NAME} or its default.
     */
    public static long lossSeed()
    {
        return Long.getLong(LOSS_SEED_PROP_NAME, LOSS_SEED_DEFAULT);
    }
}
