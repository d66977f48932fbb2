package org.omnibus.node;

import org.agrona.DirectBuffer;
import org.omnibus.persistence.Journal;
import org.omnibus.persistence.JournalHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Prints journal messages: as {@code dbus-monitor} text prefixed with the global sequence ({@code seq=42 signal
 * time=…}), or raw (each D-Bus message's wire bytes, concatenated, as {@code dbus-monitor --binary} writes them).
 * Frames that are not D-Bus messages print as one line naming their SBE schema, template and length (raw output
 * skips them and counts them). Messages outside [{@code fromSeq}, {@code toSeq}] are not printed.
 */
final class JournalPrinter implements JournalHandler
{
    private final JournalFrameDecoder decoder = new JournalFrameDecoder();
    private final DBusMonitorFormat format = new DBusMonitorFormat();
    private final StringBuilder sb = new StringBuilder(1024);
    private final Writer text;
    private final OutputStream raw;
    private long fromSeq = Long.MIN_VALUE;
    private long toSeq = Long.MAX_VALUE;
    private long printed;
    private long skipped;
    private long lastSeq = Journal.NULL_SEQUENCE;

    private JournalPrinter(final Writer text, final OutputStream raw)
    {
        this.text = text;
        this.raw = raw;
    }

    /**
     * @param out where the text goes.
     * @return a printer in the dbus-monitor format.
     */
    static JournalPrinter monitor(final Writer out)
    {
        return new JournalPrinter(out, null);
    }

    /**
     * @param out where the bytes go.
     * @return a printer of raw D-Bus messages.
     */
    static JournalPrinter raw(final OutputStream out)
    {
        return new JournalPrinter(null, out);
    }

    /**
     * @param fromSeq first sequence printed.
     * @param toSeq   last sequence printed.
     * @return this.
     */
    JournalPrinter range(final long fromSeq, final long toSeq)
    {
        this.fromSeq = fromSeq;
        this.toSeq = toSeq;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(
        final long globalSeq,
        final long viewId,
        final int originNode,
        final long originSeq,
        final long timestampNs,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        lastSeq = globalSeq;
        if (globalSeq < fromSeq || globalSeq > toSeq)
        {
            return;
        }
        final int kind = decoder.decode(buffer, offset, length);
        try
        {
            if (null != raw)
            {
                if (JournalFrameDecoder.BUS_MESSAGE == kind)
                {
                    raw.write(decoder.wire().byteArray(), 0, decoder.wireLength());
                    printed++;
                }
                else
                {
                    skipped++;
                }
                return;
            }
            sb.setLength(0);
            sb.append("seq=").append(globalSeq).append(' ');
            appendEntry(kind, timestampNs, length);
            text.append(sb);
            printed++;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write: " + ex.getMessage(), ex);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onTruncation(final long nextSeq)
    {
        if (null != text)
        {
            try
            {
                text.append("--- the journal was truncated: messages from seq=").append(Long.toString(nextSeq))
                    .append(" on printed above are superseded ---\n");
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * @return messages printed (or written raw).
     */
    long printed()
    {
        return printed;
    }

    /**
     * @return entries raw output skipped because they are not D-Bus messages.
     */
    long skipped()
    {
        return skipped;
    }

    /**
     * @return the sequence of the last message handed to this printer, printed or not.
     */
    long lastSeq()
    {
        return lastSeq;
    }

    /**
     * Flush the output.
     */
    void flush()
    {
        try
        {
            if (null != raw)
            {
                raw.flush();
            }
            else
            {
                text.flush();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write: " + ex.getMessage(), ex);
        }
    }

    private void appendEntry(final int kind, final long timestampNs, final int length)
    {
        switch (kind)
        {
            case JournalFrameDecoder.BUS_MESSAGE ->
            {
                format.appendMessage(sb, decoder.message(), timestampNs);
                if (null != decoder.bodyProblem())
                {
                    sb.append("   (the body is damaged: ").append(decoder.bodyProblem()).append(")\n");
                }
            }
            case JournalFrameDecoder.OTHER_FRAME ->
            {
                sb.append("frame");
                DBusMonitorFormat.appendTime(sb, timestampNs);
                sb.append(" schema=").append(decoder.schemaId())
                    .append(" template=").append(decoder.templateId())
                    .append(" version=").append(decoder.version())
                    .append(" length=").append(length).append('\n');
            }
            case JournalFrameDecoder.NOT_SBE ->
            {
                sb.append("frame");
                DBusMonitorFormat.appendTime(sb, timestampNs);
                sb.append(" length=").append(length).append(" (shorter than an SBE message header)\n");
            }
            default ->
            {
                sb.append("frame");
                DBusMonitorFormat.appendTime(sb, timestampNs);
                sb.append(" schema=").append(decoder.schemaId())
                    .append(" template=").append(decoder.templateId())
                    .append(" version=").append(decoder.version())
                    .append(" length=").append(length)
                    .append(" (a BusMessage that is not a D-Bus message: ").append(decoder.problem()).append(")\n");
            }
        }
    }
}
