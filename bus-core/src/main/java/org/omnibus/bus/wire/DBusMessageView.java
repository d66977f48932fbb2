package org.omnibus.bus.wire;

import org.agrona.DirectBuffer;
import org.agrona.AsciiSequenceView;
import org.omnibus.bus.MessageView;
import org.omnibus.codec.dbus.DBusBodyCursor;
import org.omnibus.codec.dbus.DBusCodecException;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusValues;

/**
 * The codec's {@link DBusMessageFlyweight} seen as the bus' {@link MessageView}: header fields as reusable
 * {@link AsciiSequenceView}s over the wire bytes, top-level arguments read lazily (and once) with a
 * {@link DBusBodyCursor}. Reusable: {@link #wrap(DBusMessageFlyweight)} per message; allocates nothing but in
 * {@link #decodeBody()}.
 */
public final class DBusMessageView implements MessageView
{
    private static final int MAX_ARGS = 64;

    private final AsciiSequenceView path = new AsciiSequenceView();
    private final AsciiSequenceView interfaceName = new AsciiSequenceView();
    private final AsciiSequenceView member = new AsciiSequenceView();
    private final AsciiSequenceView errorName = new AsciiSequenceView();
    private final AsciiSequenceView destination = new AsciiSequenceView();
    private final AsciiSequenceView signature = new AsciiSequenceView();
    private final DBusBodyCursor cursor = new DBusBodyCursor();
    private final int[] argTypes = new int[MAX_ARGS];
    private final int[] argOffsets = new int[MAX_ARGS];
    private final int[] argLengths = new int[MAX_ARGS];
    private DBusMessageFlyweight message;
    private DirectBuffer buffer;
    private int fields;
    private int argsScanned;
    private boolean argsExhausted;

    /**
     * @param message a wrapped (validated) message.
     * @return this.
     */
    public DBusMessageView wrap(final DBusMessageFlyweight message)
    {
        this.message = message;
        this.buffer = message.buffer();
        this.fields = message.fieldsPresent();
        message.fieldView(DBusHeaderField.PATH, path);
        message.fieldView(DBusHeaderField.INTERFACE, interfaceName);
        message.fieldView(DBusHeaderField.MEMBER, member);
        message.fieldView(DBusHeaderField.ERROR_NAME, errorName);
        message.fieldView(DBusHeaderField.DESTINATION, destination);
        message.fieldView(DBusHeaderField.SIGNATURE, signature);
        argsScanned = 0;
        argsExhausted = false;
        return this;
    }

    /**
     * @return the wrapped message.
     */
    public DBusMessageFlyweight message()
    {
        return message;
    }

    private AsciiSequenceView field(final int code, final AsciiSequenceView view)
    {
        return (fields & (1 << code)) != 0 ? view : null;
    }

    /** {@inheritDoc} */
    public int type()
    {
        return message.type();
    }

    /** {@inheritDoc} */
    public int flags()
    {
        return message.flags();
    }

    /** {@inheritDoc} */
    public int serial()
    {
        return (int)message.serial();
    }

    /** {@inheritDoc} */
    public int replySerial()
    {
        return (int)message.replySerial();
    }

    /** {@inheritDoc} */
    public CharSequence path()
    {
        return field(DBusHeaderField.PATH, path);
    }

    /** {@inheritDoc} */
    public CharSequence interfaceName()
    {
        return field(DBusHeaderField.INTERFACE, interfaceName);
    }

    /** {@inheritDoc} */
    public CharSequence member()
    {
        return field(DBusHeaderField.MEMBER, member);
    }

    /** {@inheritDoc} */
    public CharSequence errorName()
    {
        return field(DBusHeaderField.ERROR_NAME, errorName);
    }

    /** {@inheritDoc} */
    public CharSequence destination()
    {
        return field(DBusHeaderField.DESTINATION, destination);
    }

    /** {@inheritDoc} */
    public CharSequence signature()
    {
        return field(DBusHeaderField.SIGNATURE, signature);
    }

    /** {@inheritDoc} */
    public int unixFds()
    {
        return (int)Math.min(Integer.MAX_VALUE, message.unixFds());
    }

    /** {@inheritDoc} */
    public int argType(final int index)
    {
        return scanTo(index) ? argTypes[index] : 0;
    }

    /** {@inheritDoc} */
    public int argLength(final int index)
    {
        return scanTo(index) ? argLengths[index] : -1;
    }

    /** {@inheritDoc} */
    public byte argByte(final int index, final int position)
    {
        return buffer.getByte(argOffsets[index] + position);
    }

    /** {@inheritDoc} */
    public Object[] decodeBody()
    {
        return DBusValues.readBody(message).toArray();
    }

    private boolean scanTo(final int index)
    {
        if (index < argsScanned)
        {
            return true;
        }
        if (argsExhausted || index >= MAX_ARGS)
        {
            return false;
        }
        try
        {
            if (argsScanned == 0)
            {
                cursor.wrap(message);
            }
            while (argsScanned <= index)
            {
                final int type = cursor.peekType();
                if (type == DBusBodyCursor.END)
                {
                    argsExhausted = true;
                    return false;
                }
                argTypes[argsScanned] = type;
                if (type == 's' || type == 'o' || type == 'g')
                {
                    argLengths[argsScanned] = cursor.readString();
                    argOffsets[argsScanned] = cursor.stringOffset();
                }
                else
                {
                    argLengths[argsScanned] = -1;
                    cursor.skip();
                }
                argsScanned++;
            }
            return true;
        }
        catch (final DBusCodecException ex)
        {
            // a body only validated at its origin that turns out malformed: no more arguments to match
            argsExhausted = true;
            return index < argsScanned;
        }
    }
}
