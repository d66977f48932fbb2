package org.omnibus.api;

import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.ByteArrayOutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * D-Bus server addresses ({@code unix:path=…}, {@code unix:abstract=…}, several separated by {@code ;}, values
 * percent-escaped) as socket addresses to try in order. Other transports are skipped.
 */
final class BusAddresses
{
    private BusAddresses()
    {
    }

    /**
     * @param address a D-Bus address string, e.g. the value of DBUS_SESSION_BUS_ADDRESS.
     * @return the Unix socket addresses it names, in order.
     * @throws IllegalArgumentException when it names none.
     */
    static List<AFUNIXSocketAddress> parse(final String address)
    {
        final List<AFUNIXSocketAddress> result = new ArrayList<>();
        for (final String entry : address.split(";"))
        {
            final int colon = entry.indexOf(':');
            if (colon < 0 || !"unix".equals(entry.substring(0, colon)))
            {
                continue;
            }
            String path = null;
            String abstractName = null;
            for (final String pair : entry.substring(colon + 1).split(","))
            {
                final int eq = pair.indexOf('=');
                if (eq <= 0)
                {
                    continue;
                }
                final String key = pair.substring(0, eq);
                final String value = unescape(pair.substring(eq + 1));
                if ("path".equals(key))
                {
                    path = value;
                }
                else if ("abstract".equals(key))
                {
                    abstractName = value;
                }
            }
            try
            {
                if (path != null)
                {
                    result.add(AFUNIXSocketAddress.of(Path.of(path)));
                }
                else if (abstractName != null)
                {
                    result.add(AFUNIXSocketAddress.inAbstractNamespace(abstractName));
                }
            }
            catch (final SocketException ex)
            {
                throw new IllegalArgumentException("bad unix address '" + entry + "': " + ex.getMessage(), ex);
            }
        }
        if (result.isEmpty())
        {
            throw new IllegalArgumentException("no unix:path= or unix:abstract= address in '" + address + "'");
        }
        return result;
    }

    static String unescape(final String value)
    {
        if (value.indexOf('%') < 0)
        {
            return value;
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length())
            {
                bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            }
            else if (c == '%')
            {
                throw new IllegalArgumentException("truncated escape in '" + value + "'");
            }
            else
            {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
