package org.omnibus.edge;

import org.agrona.DirectBuffer;
import org.omnibus.codec.dbus.DBusFraming;

/**
 * Frames D-Bus messages with the codec's {@link DBusFraming}.
 */
public final class DBusMessageFramer implements MessageFramer
{
    @Override
    public int frameLength(final DirectBuffer buffer, final int offset, final int available)
    {
        final int length = DBusFraming.messageLength(buffer, offset, available);
        return length == DBusFraming.NEED_MORE_BYTES ? NEED_MORE : length;
    }

    @Override
    public String describe(final int code)
    {
        return "invalid message framing: " + DBusFraming.rule(code).description();
    }
}
