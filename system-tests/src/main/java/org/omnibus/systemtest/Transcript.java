package org.omnibus.systemtest;

import org.omnibus.codec.dbus.DBusObjectPath;
import org.omnibus.codec.dbus.DBusProtocol;
import org.omnibus.codec.dbus.DBusSignature;
import org.omnibus.codec.dbus.DBusStruct;
import org.omnibus.codec.dbus.DBusVariant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What each client of a scenario observed, one line per message in arrival order, normalised so that two buses can
 * be compared: unique names become the label of the client that holds them ({@code :A}) or {@code :?1, :?2...} by
 * first appearance, 32-digit hex ids become {@code <id>}, the test process's pid becomes {@code <pid>}, serials of
 * messages the bus itself makes are left out, and so is the text of errors the bus makes (their name and signature
 * stay).
 * <p>
 * One optional part of the reference is left out: {@code org.freedesktop.DBus.Debug.Stats}, which dbus-daemon has
 * only when built with {@code --enable-stats} (Debian's is) and which neither the specification nor dbus-broker
 * has; it is dropped from string lists (the driver's Interfaces property) and from introspection.
 */
public final class Transcript
{
    private static final Pattern UNIQUE_NAME = Pattern.compile(":[0-9]+\\.[0-9]+");
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{32}");

    /** Interfaces of the reference that are a build option, not D-Bus: left out of the comparison. */
    public static final String OPTIONAL_INTERFACE = "org.freedesktop.DBus.Debug.Stats";

    private final Map<String, List<String>> lines = new LinkedHashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final long selfPid = ProcessHandle.current().pid();
    private int strangers;

    /**
     * Give a client's unique name its stable form.
     *
     * @param uniqueName the name the bus gave.
     * @param label      the client's label, e.g. "A".
     */
    public void nameClient(final String uniqueName, final String label)
    {
        names.put(uniqueName, ":" + label);
    }

    /**
     * Add a line to a client's transcript.
     *
     * @param label the client.
     * @param line  what it observed.
     */
    public void add(final String label, final String line)
    {
        lines.computeIfAbsent(label, k -> new ArrayList<>()).add(line);
    }

    /**
     * Add a received message to a client's transcript.
     *
     * @param label   the client.
     * @param message the message.
     */
    public void add(final String label, final WireMessage message)
    {
        add(label, render(message));
    }

    /**
     * @return the lines per client, clients in the order they first appeared.
     */
    public Map<String, List<String>> lines()
    {
        return lines;
    }

    /**
     * Render a message as a normalised line.
     *
     * @param m the message.
     * @return the line.
     */
    public String render(final WireMessage m)
    {
        if (m.isEndOfStream())
        {
            return "<disconnected by the bus>";
        }
        final boolean fromBus = WireClient.DRIVER.equals(m.sender());
        final StringBuilder sb = new StringBuilder(header(m));
        if (m.isError() && fromBus)
        {
            sb.append(" (bus error text)");
        }
        else if (!m.body().isEmpty())
        {
            sb.append(' ').append(value(m.body()));
        }
        return sb.toString();
    }

    /**
     * Render a message's header as a normalised line: everything but the body.
     *
     * @param m the message.
     * @return the line.
     */
    public String header(final WireMessage m)
    {
        final boolean fromBus = WireClient.DRIVER.equals(m.sender());
        final StringBuilder sb = new StringBuilder();
        sb.append(typeName(m.type()));
        sb.append(" from=").append(m.sender() == null ? "-" : name(m.sender()));
        if (m.destination() != null)
        {
            sb.append(" to=").append(name(m.destination()));
        }
        if (!fromBus && m.sender() != null)
        {
            sb.append(" serial=").append(m.serial());
        }
        if (m.flags() != 0 && !fromBus)
        {
            sb.append(" flags=").append(m.flags());
        }
        if (m.replySerial() != 0)
        {
            sb.append(" reply_to=").append(m.replySerial());
        }
        if (m.path() != null)
        {
            sb.append(" path=").append(m.path());
        }
        if (m.member() != null)
        {
            sb.append(' ').append(m.iface() == null ? "" : m.iface() + ".").append(m.member());
        }
        if (m.errorName() != null)
        {
            sb.append(' ').append(m.errorName());
        }
        sb.append(" sig=").append(m.signature());
        return sb.toString();
    }

    /**
     * Render a value normalised.
     *
     * @param value a value in {@link org.omnibus.codec.dbus.DBusValues}' read-back forms.
     * @return the text.
     */
    public String value(final Object value)
    {
        if (value instanceof String)
        {
            final String text = (String)value;
            if (UNIQUE_NAME.matcher(text).matches())
            {
                return name(text);
            }
            if (HEX_ID.matcher(text).matches())
            {
                return "<id>";
            }
            return '"' + text + '"';
        }
        if (value instanceof Number)
        {
            return ((Number)value).longValue() == selfPid ? "<pid>" : value.toString();
        }
        if (value instanceof DBusObjectPath)
        {
            return "o\"" + ((DBusObjectPath)value).path() + '"';
        }
        if (value instanceof DBusSignature)
        {
            return "g\"" + ((DBusSignature)value).signature() + '"';
        }
        if (value instanceof DBusVariant)
        {
            final DBusVariant variant = (DBusVariant)value;
            return "<" + variant.signature() + " " + value(variant.value()) + ">";
        }
        if (value instanceof DBusStruct)
        {
            return "(" + join(((DBusStruct)value).fields()) + ")";
        }
        if (value instanceof List)
        {
            final List<?> list = (List<?>)value;
            return "[" + join(list.stream().filter(v -> !OPTIONAL_INTERFACE.equals(v)).toList()) + "]";
        }
        if (value instanceof Map)
        {
            final Map<String, String> sorted = new TreeMap<>();
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                sorted.put(value(entry.getKey()), value(entry.getValue()));
            }
            final StringBuilder sb = new StringBuilder("{");
            sorted.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(": ").append(v));
            return sb.append('}').toString();
        }
        return String.valueOf(value);
    }

    private String join(final List<?> values)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Object v : values)
        {
            sb.append(sb.length() > 0 ? ", " : "").append(value(v));
        }
        return sb.toString();
    }

    private String name(final String name)
    {
        if (!UNIQUE_NAME.matcher(name).matches())
        {
            return name;
        }
        return names.computeIfAbsent(name, n -> ":?" + (++strangers));
    }

    private static String typeName(final int type)
    {
        switch (type)
        {
            case DBusProtocol.TYPE_METHOD_CALL: return "call";
            case DBusProtocol.TYPE_METHOD_RETURN: return "return";
            case DBusProtocol.TYPE_ERROR: return "error";
            case DBusProtocol.TYPE_SIGNAL: return "signal";
            default: return "type" + type;
        }
    }

    /**
     * A line diff of two transcripts, client by client.
     *
     * @param expected the reference's transcript.
     * @param actual   the candidate's transcript.
     * @return "" when equal, else the differing clients with their lines marked "-" (only expected), "+" (only
     * actual) and " " (both), a few lines of context around each change.
     */
    public static String diff(final Transcript expected, final Transcript actual)
    {
        final StringBuilder sb = new StringBuilder();
        final List<String> labels = new ArrayList<>(expected.lines.keySet());
        actual.lines.keySet().stream().filter(l -> !labels.contains(l)).forEach(labels::add);
        for (final String label : labels)
        {
            final List<String> a = expected.lines.getOrDefault(label, List.of());
            final List<String> b = actual.lines.getOrDefault(label, List.of());
            if (!a.equals(b))
            {
                sb.append("client ").append(label).append(":\n").append(LineDiff.diff(a, b, 3));
            }
        }
        return sb.toString();
    }

    /**
     * @return every client's lines, for a log.
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        lines.forEach((label, list) ->
        {
            sb.append("client ").append(label).append(":\n");
            list.forEach(line -> sb.append("  ").append(line).append('\n'));
        });
        return sb.toString();
    }
}
