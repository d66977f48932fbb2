package org.omnibus.benchmarks.cluster;

import java.nio.file.Path;

import org.HdrHistogram.Histogram;

/**
 * One system under test: a group of members in this JVM that can send 100-byte messages from every member and count
 * (and time) what every member delivers.
 */
interface BenchSystem extends AutoCloseable
{
    /**
     * Start the members and wait until they form one group.
     *
     * @param dir     scratch directory (drivers, data).
     * @param members how many.
     * @throws Exception on failure.
     */
    void start(Path dir, int members) throws Exception;

    /**
     * Try to send one message from a member (called by that member's sender thread only).
     *
     * @param member  0-based.
     * @param payload the message length.
     * @return false when back-pressured (try again).
     * @throws Exception on failure.
     */
    boolean send(int member, int payload) throws Exception;

    /**
     * @param member 0-based.
     * @return messages delivered by the member so far (any thread).
     */
    long delivered(int member);

    /**
     * Start a new latency interval: forget what was recorded so far.
     */
    void resetLatency();

    /**
     * @return the delivery latencies recorded (nanoseconds, send to delivery, every member) since the last reset.
     */
    Histogram latency();

    /**
     * @return how the system is configured, printed beside the figures.
     */
    String describe();

    /**
     * @return retransmission requests sent by all members so far (losses the protocol had to repair).
     */
    long retransmitRequests();

    /**
     * @return further counters worth printing beside the figures (one line).
     */
    String stats();

    /**
     * Stop the members.
     */
    @Override
    void close() throws Exception;
}
