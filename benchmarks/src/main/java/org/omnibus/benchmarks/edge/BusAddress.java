package org.omnibus.benchmarks.edge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The socket path of a {@code unix:path=...} D-Bus address (the only transport the harness uses). Other keys
 * ({@code guid=}) are ignored; of a list of addresses separated by {@code ;} the first {@code unix:path} is taken.
 */
public final class BusAddress
{
    /** Prefix of the harness's own peer-to-peer address (client floor without a bus): {@code direct:path=...}. */
    public static final String DIRECT_PREFIX = "direct:";

    private BusAddress()
    {
    }

    /**
     * @param address a D-Bus server address such as {@code unix:path=/tmp/x/bus,guid=0123...}.
     * @return the socket path it names.
     * @throws IllegalArgumentException if no {@code unix:path=} entry is present.
     */
    public static Path socketPath(final String address)
    {
        for (final String entry : address.trim().split(";"))
        {
            final String prefix = entry.startsWith(DIRECT_PREFIX) ? DIRECT_PREFIX : "unix:";
            if (!entry.startsWith(prefix))
            {
                continue;
            }
            for (final String pair : entry.substring(prefix.length()).split(","))
            {
                if (pair.startsWith("path="))
                {
                    return Path.of(unescape(pair.substring("path=".length())));
                }
            }
        }
        throw new IllegalArgumentException("not a unix:path= address: " + address);
    }

    /**
     * @param socketPath a socket path.
     * @return the D-Bus address for it, escaped as the specification asks.
     */
    public static String of(final Path socketPath)
    {
        final StringBuilder builder = new StringBuilder("unix:path=");
        for (final byte b : socketPath.toString().getBytes(StandardCharsets.UTF_8))
        {
            final char c = (char)(b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_/.\\".indexOf(c) >= 0)
            {
                builder.append(c);
            }
            else
            {
                builder.append('%').append(String.format("%02x", (int)c));
            }
        }
        return builder.toString();
    }

    private static String unescape(final String value)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length())
            {
                out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            }
            else
            {
                out.write((byte)c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
