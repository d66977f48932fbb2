package org.omnibus.benchmarks.edge;

/**
 * One measured workload.
 *
 * @param type        call round trips or signal throughput.
 * @param bodyLength  body length in bytes.
 * @param subscribers subscribers of a signal workload (0 for calls).
 */
public record Workload(Type type, int bodyLength, int subscribers)
{
    /** The two kinds of workload. */
    public enum Type
    {
        /** Method-call round trips to the echo service. */
        CALL,
        /** Signals from one emitter to subscribers. */
        SIGNAL
    }

    /**
     * @return a label for tables, e.g. {@code call 64 B} or {@code signal 1024 B -> 4}.
     */
    public String label()
    {
        return type == Type.CALL ? "call " + bodyLength + " B" : "signal " + bodyLength + " B -> " + subscribers;
    }

    /**
     * @return a label for file names, e.g. {@code call-64B} or {@code signal-1024B-4sub}.
     */
    public String fileLabel()
    {
        return type == Type.CALL ? "call-" + bodyLength + "B" : "signal-" + bodyLength + "B-" + subscribers + "sub";
    }
}
