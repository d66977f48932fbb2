package org.omnibus.benchmarks.edge;

import org.agrona.MutableDirectBuffer;
import org.omnibus.codec.dbus.DBusHeaderEncoder;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;

import java.io.IOException;

/**
 * Owns {@link BenchNames#ECHO_NAME} and answers every Echo call with a METHOD_RETURN carrying the call's body bytes
 * unchanged (copied, never re-marshalled); a Quit call is answered and ends the service.
 */
public final class EchoService implements AutoCloseable
{
    private final BusConnection connection;
    private final DBusHeaderEncoder encoder = new DBusHeaderEncoder();
    private long echoed;

    /**
     * Connect and own the echo name.
     *
     * @param address   the bus address.
     * @param timeoutMs bound on connecting.
     * @throws IOException if the bus refuses.
     */
    public EchoService(final String address, final long timeoutMs) throws IOException
    {
        connection = BusConnection.open(address, timeoutMs);
        connection.requestName(BenchNames.ECHO_NAME);
    }

    /**
     * Serve on a peer-to-peer connection (no bus): the client floor.
     *
     * @param direct an accepted direct connection.
     */
    public EchoService(final BusConnection direct)
    {
        connection = direct;
    }

    /**
     * Serve until Quit.
     *
     * @return how many Echo calls were answered.
     * @throws IOException on a socket error or if the bus goes away.
     */
    public long run() throws IOException
    {
        while (true)
        {
            final DBusMessageFlyweight call = connection.receive();
            if (call.type() != DBusProtocol.TYPE_METHOD_CALL)
            {
                continue;
            }
            reply(call);
            if (call.fieldEquals(DBusHeaderField.MEMBER, BenchNames.QUIT_MEMBER))
            {
                return echoed;
            }
            echoed++;
        }
    }

    /**
     * Close the connection.
     */
    public void close()
    {
        connection.close();
    }

    private void reply(final DBusMessageFlyweight call) throws IOException
    {
        if (call.noReplyExpected())
        {
            return;
        }
        final MutableDirectBuffer out = connection.writeBuffer();
        encoder.wrap(out, 0, call.endianness())
            .type(DBusProtocol.TYPE_METHOD_RETURN)
            .flags(DBusProtocol.FLAG_NO_REPLY_EXPECTED)
            .serial(connection.nextSerial())
            .bodyLength(call.bodyLength())
            .replySerial(call.serial());
        if (call.hasField(DBusHeaderField.SENDER))
        {
            encoder.stringField(DBusHeaderField.DESTINATION, call.buffer(),
                call.fieldOffset(DBusHeaderField.SENDER), call.fieldLength(DBusHeaderField.SENDER));
        }
        if (call.hasField(DBusHeaderField.SIGNATURE))
        {
            encoder.stringField(DBusHeaderField.SIGNATURE, call.buffer(),
                call.fieldOffset(DBusHeaderField.SIGNATURE), call.fieldLength(DBusHeaderField.SIGNATURE));
        }
        final int headerLength = encoder.finish();
        out.putBytes(headerLength, call.buffer(), call.bodyOffset(), call.bodyLength());
        connection.flush(headerLength + call.bodyLength());
    }
}
