package org.omnibus.node;

import org.agrona.DirectBuffer;
import org.omnibus.codec.dbus.DBusBodyCursor;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Writes D-Bus messages as {@code dbus-monitor} (dbus 1.14, tools/dbus-print-message.c) prints them: a header
 * line ({@code signal time=… sender=… -> destination=… serial=… path=…; interface=…; member=…}) and one line per
 * argument, indented three spaces per level, containers opened and closed on their own lines, byte arrays as
 * text when printable and as hex rows otherwise, doubles as C's {@code %g}. Unix fds print as
 * {@code file descriptor} (the journal carries no descriptors).
 */
final class DBusMonitorFormat
{
    private static final int INDENT = 3;
    private static final MathContext SIX_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    private final DBusBodyCursor cursor = new DBusBodyCursor();

    /**
     * Append a message.
     *
     * @param sb          to append to.
     * @param message     a wrapped message (its body may be unvalidated: printing stops where it breaks).
     * @param timestampNs printed as {@code time=SECONDS.MICROS}.
     */
    void appendMessage(final StringBuilder sb, final DBusMessageFlyweight message, final long timestampNs)
    {
        appendHeader(sb, message, timestampNs);
        appendBody(sb, message);
    }

    /**
     * Append the header line.
     *
     * @param sb          to append to.
     * @param message     a wrapped message.
     * @param timestampNs printed as {@code time=SECONDS.MICROS}.
     */
    static void appendHeader(final StringBuilder sb, final DBusMessageFlyweight message, final long timestampNs)
    {
        final String sender = message.sender();
        final String destination = message.destination();
        sb.append(typeName(message.type()));
        appendTime(sb, timestampNs);
        sb.append(" sender=").append(null == sender ? "(null sender)" : sender)
            .append(" -> destination=").append(null == destination ? "(null destination)" : destination);
        switch (message.type())
        {
            case DBusProtocol.TYPE_METHOD_CALL:
            case DBusProtocol.TYPE_SIGNAL:
                sb.append(" serial=").append(message.serial())
                    .append(" path=").append(orNull(message.path()))
                    .append("; interface=").append(orNull(message.interfaceName()))
                    .append("; member=").append(orNull(message.member())).append('\n');
                break;
            case DBusProtocol.TYPE_METHOD_RETURN:
                sb.append(" serial=").append(message.serial())
                    .append(" reply_serial=").append(message.replySerial()).append('\n');
                break;
            case DBusProtocol.TYPE_ERROR:
                sb.append(" error_name=").append(orNull(message.errorName()))
                    .append(" reply_serial=").append(message.replySerial()).append('\n');
                break;
            default:
                sb.append('\n');
                break;
        }
    }

    /**
     * Append the arguments, one level of indentation in. A body that breaks its signature is printed up to the
     * break, then a line saying what is wrong.
     *
     * @param sb      to append to.
     * @param message a wrapped message.
     */
    void appendBody(final StringBuilder sb, final DBusMessageFlyweight message)
    {
        try
        {
            cursor.wrap(message);
            appendValues(sb, message.buffer(), 1);
        }
        catch (final RuntimeException ex)
        {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n')
            {
                sb.append('\n');
            }
            indent(sb, 1);
            sb.append("(the rest of the body cannot be decoded: ").append(ex.getMessage()).append(")\n");
        }
    }

    /**
     * Append a double as C's {@code printf("%g")}: six significant digits, trailing zeros dropped, exponent form
     * below 1e-4 and from 1e6.
     *
     * @param sb    to append to.
     * @param value the double.
     */
    static void appendDouble(final StringBuilder sb, final double value)
    {
        final boolean negative = (Double.doubleToRawLongBits(value) & Long.MIN_VALUE) != 0;
        if (Double.isNaN(value))
        {
            sb.append(negative ? "-nan" : "nan");
            return;
        }
        if (Double.isInfinite(value))
        {
            sb.append(negative ? "-inf" : "inf");
            return;
        }
        if (value == 0)
        {
            sb.append(negative ? "-0" : "0");
            return;
        }
        final BigDecimal rounded = new BigDecimal(value).round(SIX_DIGITS);
        final int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 6)
        {
            sb.append(rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString())
                .append(exponent < 0 ? "e-" : "e+");
            final int magnitude = Math.abs(exponent);
            if (magnitude < 10)
            {
                sb.append('0');
            }
            sb.append(magnitude);
        }
        else
        {
            sb.append(rounded.stripTrailingZeros().toPlainString());
        }
    }

    /**
     * @param sb          to append to.
     * @param timestampNs ns since the epoch, appended as {@code " time=SECONDS.MICROS"}.
     */
    static void appendTime(final StringBuilder sb, final long timestampNs)
    {
        final long seconds = Math.floorDiv(timestampNs, 1_000_000_000L);
        final long micros = Math.floorMod(timestampNs, 1_000_000_000L) / 1000;
        sb.append(" time=").append(seconds).append('.');
        for (long scale = 100_000; scale > 1 && micros < scale; scale /= 10)
        {
            sb.append('0');
        }
        sb.append(micros);
    }

    private void appendValues(final StringBuilder sb, final DirectBuffer buffer, final int depth)
    {
        while (cursor.hasNext())
        {
            appendValue(sb, buffer, depth);
        }
    }

    private void appendValue(final StringBuilder sb, final DirectBuffer buffer, final int depth)
    {
        final int type = cursor.peekType();
        indent(sb, depth);
        switch (type)
        {
            case 's' -> sb.append("string \"").append(cursor.readStringAsString()).append("\"\n");
            case 'o' -> sb.append("object path \"").append(cursor.readStringAsString()).append("\"\n");
            case 'g' -> sb.append("signature \"").append(cursor.readStringAsString()).append("\"\n");
            case 'n' -> sb.append("int16 ").append(cursor.readInt16()).append('\n');
            case 'q' -> sb.append("uint16 ").append(cursor.readUint16()).append('\n');
            case 'i' -> sb.append("int32 ").append(cursor.readInt32()).append('\n');
            case 'u' -> sb.append("uint32 ").append(cursor.readUint32()).append('\n');
            case 'x' -> sb.append("int64 ").append(cursor.readInt64()).append('\n');
            case 't' -> sb.append("uint64 ").append(Long.toUnsignedString(cursor.readUint64())).append('\n');
            case 'y' -> sb.append("byte ").append(cursor.readByte() & 0xFF).append('\n');
            case 'b' -> sb.append("boolean ").append(cursor.readBoolean()).append('\n');
            case 'h' ->
            {
                cursor.readUnixFd();
                sb.append("file descriptor\n");
            }
            case 'd' ->
            {
                sb.append("double ");
                appendDouble(sb, cursor.readDouble());
                sb.append('\n');
            }
            case 'v' ->
            {
                sb.append("variant ");
                cursor.enterVariant();
                appendValues(sb, buffer, depth + 1);
                cursor.exit();
            }
            case 'a' -> appendArray(sb, buffer, depth);
            case '(' ->
            {
                sb.append("struct {\n");
                cursor.enterStruct();
                appendValues(sb, buffer, depth + 1);
                cursor.exit();
                indent(sb, depth);
                sb.append("}\n");
            }
            default ->
            {
                sb.append(" (dbus-monitor too dumb to decipher arg type '").append((char)type).append("')\n");
                cursor.skip();
            }
        }
    }

    private void appendArray(final StringBuilder sb, final DirectBuffer buffer, final int depth)
    {
        final int length = cursor.enterArray();
        final int elementType = cursor.elementType();
        if (elementType == 'y' && length > 0)
        {
            appendBytes(sb, buffer, cursor.position(), length, depth);
            cursor.exit();
            return;
        }
        sb.append("array [\n");
        if (elementType == '{')
        {
            while (cursor.hasNext())
            {
                indent(sb, depth + 1);
                sb.append("dict entry(\n");
                cursor.enterDictEntry();
                appendValues(sb, buffer, depth + 2);
                cursor.exit();
                indent(sb, depth + 1);
                sb.append(")\n");
            }
        }
        else
        {
            appendValues(sb, buffer, depth + 1);
        }
        cursor.exit();
        indent(sb, depth);
        sb.append("]\n");
    }

    private static void appendBytes(
        final StringBuilder sb, final DirectBuffer buffer, final int offset, final int length, final int depth)
    {
        boolean printable = true;
        for (int i = 0; i < length; i++)
        {
            final int b = buffer.getByte(offset + i) & 0xFF;
            if ((b < 32 || b > 126) && (i < length - 1 || b != 0))
            {
                printable = false;
                break;
            }
        }
        if (printable)
        {
            final boolean nulTerminated = buffer.getByte(offset + length - 1) == 0;
            final byte[] text = new byte[nulTerminated ? length - 1 : length];
            buffer.getBytes(offset, text);
            sb.append("array of bytes \"").append(new String(text, StandardCharsets.US_ASCII)).append('"')
                .append(nulTerminated ? " + \\0\n" : "\n");
            return;
        }
        sb.append("array of bytes [\n");
        indent(sb, depth + 1);
        final int columns = Math.max(8, (80 - (depth + 1) * INDENT) / 3);
        for (int i = 0; i < length; )
        {
            final int b = buffer.getByte(offset + i) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            i++;
            if (i != length)
            {
                if (i % columns == 0)
                {
                    sb.append('\n');
                    indent(sb, depth + 1);
                }
                else
                {
                    sb.append(' ');
                }
            }
        }
        sb.append('\n');
        indent(sb, depth);
        sb.append("]\n");
    }

    private static void indent(final StringBuilder sb, final int depth)
    {
        for (int i = 0; i < depth * INDENT; i++)
        {
            sb.append(' ');
        }
    }

    private static String typeName(final int type)
    {
        return switch (type)
        {
            case DBusProtocol.TYPE_SIGNAL -> "signal";
            case DBusProtocol.TYPE_METHOD_CALL -> "method call";
            case DBusProtocol.TYPE_METHOD_RETURN -> "method return";
            case DBusProtocol.TYPE_ERROR -> "error";
            default -> "(unknown message type)";
        };
    }

    private static String orNull(final String value)
    {
        return null == value ? "(null)" : value;
    }
}
