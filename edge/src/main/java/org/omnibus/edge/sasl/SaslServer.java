package org.omnibus.edge.sasl;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The server side of the D-Bus authentication protocol (a line-based SASL profile).
 * <p>
 * The first byte a client sends is a NUL (the credentials byte); then lines ending in CR LF:
 * {@code AUTH [mechanism [initial-response]]}, {@code DATA [hex]}, {@code CANCEL}, {@code ERROR [msg]},
 * {@code NEGOTIATE_UNIX_FD} and {@code BEGIN}. After {@code BEGIN} the stream carries D-Bus messages; a
 * client may pipeline everything without waiting for replies, so {@link #onBytes} stops consuming right
 * after the {@code BEGIN} line and leaves what follows to the message framer.
 * <p>
 * Mechanisms: {@code EXTERNAL}, checked against the uid the kernel reports for the socket peer (a claimed
 * identity must be that uid, as dbus-daemon and dbus-broker require), and {@code ANONYMOUS} only when the
 * configuration allows it. The peer is disconnected on a protocol violation, an over-long line, or too
 * many failed attempts. Not on the hot path; allocation here is fine.
 */
public final class SaslServer
{
    /** Longest line accepted, including CR LF, as dbus-daemon's limit on its auth buffer. */
    public static final int MAX_LINE_LENGTH = 16384;
    /**
     * The attempt on which the peer is disconnected: as dbus-daemon, six REJECTED answers, then a hang-up at the
     * seventh failure.
     */
    public static final int MAX_REJECTIONS = 7;

    /** States of the exchange. */
    public enum State
    {
        /** Waiting for the NUL credentials byte. */
        WAITING_FOR_NUL,
        /** Waiting for AUTH. */
        WAITING_FOR_AUTH,
        /** EXTERNAL or ANONYMOUS asked for data with a DATA challenge. */
        WAITING_FOR_DATA,
        /** Authenticated; NEGOTIATE_UNIX_FD or BEGIN may follow. */
        WAITING_FOR_BEGIN,
        /** BEGIN received: the stream now carries D-Bus messages. */
        AUTHENTICATED,
        /** The peer must be disconnected; {@link #failureReason()} says why. */
        FAILED
    }

    /** Mechanism the peer authenticated with. */
    public enum Mechanism
    {
        /** None yet. */
        NONE,
        /** Unix credentials of the socket. */
        EXTERNAL,
        /** No identity; only when allowed by configuration. */
        ANONYMOUS
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private final long peerUid;
    private final boolean allowAnonymous;
    private final boolean unixFdSupported;
    private final byte[] okLine;
    private final byte[] rejectedLine;

    private State state = State.WAITING_FOR_NUL;
    private Mechanism mechanism = Mechanism.NONE;
    private Mechanism pendingMechanism = Mechanism.NONE;
    private boolean unixFdNegotiated;
    private int rejections;
    private String failureReason;

    /**
     * @param peerUid         uid of the socket peer from SO_PEERCRED, or -1 when unknown (EXTERNAL then fails).
     * @param guidHex         the bus GUID as 32 lowercase hex digits, sent in OK.
     * @param allowAnonymous  whether ANONYMOUS is accepted.
     * @param unixFdSupported whether the transport can pass file descriptors (NEGOTIATE_UNIX_FD).
     */
    public SaslServer(final long peerUid, final String guidHex, final boolean allowAnonymous, final boolean unixFdSupported)
    {
        if (guidHex.length() != 32)
        {
            throw new IllegalArgumentException("bus GUID must be 32 hex digits: " + guidHex);
        }
        this.peerUid = peerUid;
        this.allowAnonymous = allowAnonymous;
        this.unixFdSupported = unixFdSupported;
        this.okLine = ("OK " + guidHex).getBytes(StandardCharsets.US_ASCII);
        this.rejectedLine = (allowAnonymous ? "REJECTED EXTERNAL ANONYMOUS" : "REJECTED EXTERNAL")
            .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Consume bytes from the peer. Processes every complete line up to and including {@code BEGIN}; an
     * incomplete line is left unconsumed so the caller can retry with more bytes appended.
     *
     * @param buffer holding what the peer sent.
     * @param offset of the first unconsumed byte.
     * @param length of the unconsumed bytes.
     * @param output where replies are written; must have room for {@link #maxReplyLength()} per line.
     * @return the number of bytes consumed; check {@link #state()} afterwards.
     */
    public int onBytes(final DirectBuffer buffer, final int offset, final int length, final ReplySink output)
    {
        int consumed = 0;
        if (state == State.WAITING_FOR_NUL && length > 0)
        {
            if (buffer.getByte(offset) != 0)
            {
                return fail("first byte is not the NUL credentials byte", 0);
            }
            state = State.WAITING_FOR_AUTH;
            consumed = 1;
        }

        while (state != State.AUTHENTICATED && state != State.FAILED)
        {
            final int lineStart = offset + consumed;
            final int lineEnd = findCrLf(buffer, lineStart, offset + length);
            if (lineEnd < 0)
            {
                if (length - consumed >= MAX_LINE_LENGTH)
                {
                    return fail("authentication line longer than " + MAX_LINE_LENGTH + " bytes", consumed);
                }
                break;
            }
            final String line = buffer.getStringWithoutLengthAscii(lineStart, lineEnd - lineStart);
            consumed += lineEnd - lineStart + 2;
            onLine(line, output);
        }
        return consumed;
    }

    /**
     * @return the longest reply one line can produce, for sizing the output.
     */
    public int maxReplyLength()
    {
        return Math.max(okLine.length, rejectedLine.length) + CRLF.length;
    }

    /**
     * @return the state of the exchange.
     */
    public State state()
    {
        return state;
    }

    /**
     * @return the mechanism the peer authenticated with.
     */
    public Mechanism mechanism()
    {
        return mechanism;
    }

    /**
     * @return whether the peer negotiated passing of unix file descriptors.
     */
    public boolean unixFdNegotiated()
    {
        return unixFdNegotiated;
    }

    /**
     * @return why the exchange failed, or null.
     */
    public String failureReason()
    {
        return failureReason;
    }

    private void onLine(final String line, final ReplySink output)
    {
        final int space = line.indexOf(' ');
        final String command = space < 0 ? line : line.substring(0, space);
        final String argument = space < 0 ? "" : line.substring(space + 1).trim();

        switch (state)
        {
            case WAITING_FOR_AUTH:
                onWaitingForAuth(command, argument, output);
                break;
            case WAITING_FOR_DATA:
                onWaitingForData(command, argument, output);
                break;
            case WAITING_FOR_BEGIN:
                onWaitingForBegin(command, argument, output);
                break;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private void onWaitingForAuth(final String command, final String argument, final ReplySink output)
    {
        switch (command)
        {
            case "AUTH":
                onAuth(argument, output);
                break;
            case "ERROR":
            case "CANCEL":
                reject(output);
                break;
            case "BEGIN":
                fail("BEGIN before authentication", 0);
                break;
            default:
                error("Unknown command", output);
        }
    }

    private void onAuth(final String argument, final ReplySink output)
    {
        final int space = argument.indexOf(' ');
        final String name = space < 0 ? argument : argument.substring(0, space);
        final String initialResponse = space < 0 ? null : argument.substring(space + 1).trim();

        if ("EXTERNAL".equals(name))
        {
            if (initialResponse == null || initialResponse.isEmpty())
            {
                pendingMechanism = Mechanism.EXTERNAL;
                state = State.WAITING_FOR_DATA;
                output.write("DATA");
            }
            else
            {
                onExternalData(initialResponse, output);
            }
        }
        else if ("ANONYMOUS".equals(name) && allowAnonymous)
        {
            // The initial response of ANONYMOUS is an optional trace string; it proves nothing.
            accept(Mechanism.ANONYMOUS, output);
        }
        else
        {
            reject(output);
        }
    }

    private void onWaitingForData(final String command, final String argument, final ReplySink output)
    {
        switch (command)
        {
            case "DATA":
                onExternalData(argument, output);
                break;
            case "ERROR":
            case "CANCEL":
                reject(output);
                break;
            case "BEGIN":
                fail("BEGIN before authentication", 0);
                break;
            default:
                error("Unknown command", output);
        }
    }

    private void onExternalData(final String hex, final ReplySink output)
    {
        // An empty response means: use the credentials of the socket.
        if (peerUid >= 0 && (hex.isEmpty() || Long.toString(peerUid).equals(decodeHex(hex))))
        {
            accept(Mechanism.EXTERNAL, output);
        }
        else
        {
            reject(output);
        }
    }

    private void onWaitingForBegin(final String command, final String argument, final ReplySink output)
    {
        switch (command)
        {
            case "NEGOTIATE_UNIX_FD":
                if (unixFdSupported)
                {
                    unixFdNegotiated = true;
                    output.write("AGREE_UNIX_FD");
                }
                else
                {
                    output.write("ERROR \"Unix file descriptors are not supported on this transport\"");
                }
                break;
            case "BEGIN":
                state = State.AUTHENTICATED;
                break;
            case "ERROR":
            case "CANCEL":
                unixFdNegotiated = false;
                mechanism = Mechanism.NONE;
                reject(output);
                break;
            default:
                error("Unknown command", output);
        }
    }

    private void accept(final Mechanism mechanism, final ReplySink output)
    {
        this.mechanism = mechanism;
        this.pendingMechanism = Mechanism.NONE;
        state = State.WAITING_FOR_BEGIN;
        output.write(okLine);
    }

    private void reject(final ReplySink output)
    {
        pendingMechanism = Mechanism.NONE;
        if (++rejections >= MAX_REJECTIONS)
        {
            fail("too many failed authentication attempts", 0);
            return;
        }
        state = State.WAITING_FOR_AUTH;
        output.write(rejectedLine);
    }

    private void error(final String message, final ReplySink output)
    {
        output.write("ERROR \"" + message + "\"");
    }

    private int fail(final String reason, final int consumed)
    {
        state = State.FAILED;
        failureReason = reason;
        return consumed;
    }

    private static int findCrLf(final DirectBuffer buffer, final int from, final int limit)
    {
        for (int i = from; i < limit - 1; i++)
        {
            if (buffer.getByte(i) == '\r' && buffer.getByte(i + 1) == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Decode hex digits into an ASCII string.
     *
     * @return the decoded string, or null when the input is not an even number of hex digits.
     */
    static String decodeHex(final String hex)
    {
        if ((hex.length() & 1) != 0)
        {
            return null;
        }
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            final int high = Character.digit(hex.charAt(2 * i), 16);
            final int low = Character.digit(hex.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0)
            {
                return null;
            }
            bytes[i] = (byte)((high << 4) | low);
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /**
     * Where the server writes its reply lines (each without CR LF; the sink appends it).
     */
    public interface ReplySink
    {
        /**
         * @param line reply without the trailing CR LF.
         */
        void write(byte[] line);

        /**
         * @param line reply without the trailing CR LF.
         */
        default void write(final String line)
        {
            write(line.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * A reply sink that appends lines with CR LF into a buffer.
     */
    public static final class BufferReplySink implements ReplySink
    {
        private MutableDirectBuffer buffer;
        private int position;

        /**
         * @param buffer   to append to.
         * @param position first free byte.
         * @return this.
         */
        public BufferReplySink wrap(final MutableDirectBuffer buffer, final int position)
        {
            this.buffer = buffer;
            this.position = position;
            return this;
        }

        /**
         * @return the position after the last appended byte.
         */
        public int position()
        {
            return position;
        }

        @Override
        public void write(final byte[] line)
        {
            buffer.putBytes(position, line);
            position += line.length;
            buffer.putBytes(position, CRLF);
            position += CRLF.length;
        }
    }
}
