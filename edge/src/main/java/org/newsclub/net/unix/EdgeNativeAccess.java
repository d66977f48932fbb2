package org.newsclub.net.unix;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Omnibus' edge reaches two package-private parts of junixsocket (2.11.1) through this class, to keep its duty
 * cycle free of allocation: junixsocket's public selector and channel I/O allocate on every call.
 * <ul>
 * <li>{@code AFSelector} iterates {@code ConcurrentHashMap} views, creating iterators, map entries and boxed
 * {@code Integer}s on every select and on every look at its selected-key set; {@link PollSet} instead calls the
 * same native {@code poll(2)} wrapper ({@code NativeUnixSocket.poll}) over arrays the caller keeps.</li>
 * <li>{@code AFSocketChannel.read/write} create two capturing lambdas per call (the channel's {@code end} and the
 * socket's timeout supplier); {@link #read} and {@link #write} call the same socket core with a constant
 * timeout supplier (the sockets are non-blocking, so it is never asked).</li>
 * </ul>
 * Not Omnibus API: it lives in junixsocket's package because that is the only way to reach these parts, and must
 * be checked whenever junixsocket is upgraded (the edge tests exercise every method here).
 */
public final class EdgeNativeAccess
{
    /** Ready-operation bit junixsocket's native poll sets on POLLERR, POLLHUP or POLLNVAL. */
    public static final int OP_INVALID = 1 << 7;

    private static final AFSupplier<Integer> NO_TIMEOUT = () -> 0;

    private EdgeNativeAccess()
    {
    }

    /**
     * Read from a non-blocking socket channel into a buffer, as {@link AFSocketChannel#read(ByteBuffer)} does
     * (file descriptors passed with the bytes are kept for {@link AFSocketChannel#getReceivedFileDescriptors()}).
     *
     * @param channel non-blocking.
     * @param dst     buffer, best direct.
     * @return bytes read, 0 when none are available, -1 at end of stream.
     * @throws IOException on a socket error.
     */
    public static int read(final AFSocketChannel<?> channel, final ByteBuffer dst) throws IOException
    {
        return channel.getAFCore().read(dst, NO_TIMEOUT, null, 0);
    }

    /**
     * Write to a non-blocking socket channel, as {@link AFSocketChannel#write(ByteBuffer)} does (with the file
     * descriptors set by {@link AFSocketChannel#setOutboundFileDescriptors}).
     *
     * @param channel non-blocking.
     * @param src     buffer, best direct.
     * @return bytes written, 0 when the socket buffer is full.
     * @throws IOException on a socket error.
     */
    public static int write(final AFSocketChannel<?> channel, final ByteBuffer src) throws IOException
    {
        return channel.getAFCore().write(src, NO_TIMEOUT, null, 0);
    }

    /**
     * A set of file descriptors polled together with {@code poll(2)}: the descriptors are fixed when the set is
     * {@link #reset}, their interest can change in place, and polling allocates nothing.
     */
    public static final class PollSet
    {
        private AFSelector.PollFd pollFd = new AFSelector.PollFd(new FileDescriptor[0], new int[0]);

        /**
         * Replace the descriptors polled.
         *
         * @param fds descriptors, owned by the set from now on (its length is the number polled).
         * @param ops interest per descriptor ({@link java.nio.channels.SelectionKey} OP_ bits), owned likewise.
         */
        public void reset(final FileDescriptor[] fds, final int[] ops)
        {
            pollFd = new AFSelector.PollFd(fds, ops);
        }

        /**
         * @return number of descriptors polled.
         */
        public int size()
        {
            return pollFd.fds.length;
        }

        /**
         * @param index of a descriptor.
         * @param ops   its new interest.
         */
        public void interestOps(final int index, final int ops)
        {
            pollFd.ops[index] = ops;
        }

        /**
         * Wait until a descriptor is ready or the timeout passes.
         *
         * @param timeoutMs 0 to return at once, -1 to wait without limit.
         * @return number of descriptors ready.
         * @throws IOException when poll fails.
         */
        public int poll(final int timeoutMs) throws IOException
        {
            return NativeUnixSocket.poll(pollFd, timeoutMs);
        }

        /**
         * @param index of a descriptor.
         * @return what the last poll found ready, within its interest, plus {@link #OP_INVALID} on an error or
         * hang-up.
         */
        public int readyOps(final int index)
        {
            return pollFd.rops[index];
        }
    }
}
