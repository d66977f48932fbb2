package org.omnibus.benchmarks.edge;

/**
 * Names, paths and members the benchmark's clients use on every bus.
 */
public final class BenchNames
{
    /** Well-known name of the echo service. */
    public static final String ECHO_NAME = "org.omnibus.bench.Echo";
    /** Object path of the echo service. */
    public static final String ECHO_PATH = "/org/omnibus/bench/Echo";
    /** Interface of the echo service. */
    public static final String ECHO_INTERFACE = "org.omnibus.bench.Echo";
    /** Echo method: replies with the call's body. */
    public static final String ECHO_MEMBER = "Echo";
    /** Quit method: the echo service replies and exits. */
    public static final String QUIT_MEMBER = "Quit";

    /** Well-known name of the signal emitter (it receives acknowledgements there). */
    public static final String EMITTER_NAME = "org.omnibus.bench.Emitter";
    /** Object path the emitter sends from. */
    public static final String EMITTER_PATH = "/org/omnibus/bench/Emitter";
    /** Interface of the emitter's acknowledgement methods. */
    public static final String EMITTER_INTERFACE = "org.omnibus.bench.Emitter";
    /** Acknowledgement method, body {@code ut}: subscriber index, signals received so far. */
    public static final String ACK_MEMBER = "Ack";
    /** Final acknowledgement method after Stop, body {@code ut}: subscriber index, signals received in all. */
    public static final String DONE_MEMBER = "Done";

    /** Interface of the benchmark's signals. */
    public static final String SIGNAL_INTERFACE = "org.omnibus.bench.Signals";
    /** The measured signal, body {@code ay}. */
    public static final String TICK_MEMBER = "Tick";
    /** Sent once after the last Tick, body {@code t}: Ticks sent in all. */
    public static final String STOP_MEMBER = "Stop";
    /** The match rule each subscriber adds. */
    public static final String SUBSCRIBER_MATCH_RULE =
        "type='signal',sender='" + EMITTER_NAME + "',interface='" + SIGNAL_INTERFACE + "'";

    private BenchNames()
    {
    }
}
