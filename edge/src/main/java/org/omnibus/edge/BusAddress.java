package org.omnibus.edge;

import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.ByteArrayOutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A D-Bus server address of the {@code unix} transport, as dbus-daemon's {@code <listen>} and
 * {@code --address} take it: {@code unix:path=FILE}, {@code unix:abstract=NAME}, {@code unix:tmpdir=DIR},
 * {@code unix:dir=DIR} or {@code unix:runtime=yes}. Values use the D-Bus escaping ({@code %xx}).
 */
public final class BusAddress
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String path;
    private final String abstractName;

    private BusAddress(final String path, final String abstractName)
    {
        this.path = path;
        this.abstractName = abstractName;
    }

    /**
     * A filesystem socket.
     *
     * @param path of the socket file.
     * @return the address.
     */
    public static BusAddress ofPath(final Path path)
    {
        return new BusAddress(path.toString(), null);
    }

    /**
     * Parse a list of server addresses separated by {@code ;}.
     *
     * @param addresses as dbus-daemon takes them.
     * @return the addresses, in order.
     * @throws IllegalArgumentException naming the problem for a malformed or unsupported address.
     */
    public static List<BusAddress> parseList(final String addresses)
    {
        final List<BusAddress> result = new ArrayList<>();
        for (final String one : addresses.split(";"))
        {
            if (!one.isEmpty())
            {
                result.add(parse(one));
            }
        }
        if (result.isEmpty())
        {
            throw new IllegalArgumentException("no address in '" + addresses + "'");
        }
        return result;
    }

    /**
     * Parse one server address.
     *
     * @param address such as {@code unix:path=/run/user/1000/bus}.
     * @return the address, with {@code tmpdir}, {@code dir} and {@code runtime} resolved to a concrete socket.
     * @throws IllegalArgumentException naming the problem for a malformed or unsupported address.
     */
    public static BusAddress parse(final String address)
    {
        final int colon = address.indexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException("address has no transport: '" + address + "'");
        }
        final String transport = address.substring(0, colon);
        if (!"unix".equals(transport))
        {
            throw new IllegalArgumentException("unsupported transport '" + transport + "' in '" + address
                + "': only unix is supported");
        }
        final Map<String, String> keys = new LinkedHashMap<>();
        final String rest = address.substring(colon + 1);
        if (!rest.isEmpty())
        {
            for (final String pair : rest.split(","))
            {
                final int eq = pair.indexOf('=');
                if (eq <= 0)
                {
                    throw new IllegalArgumentException("malformed key=value '" + pair + "' in '" + address + "'");
                }
                final String key = pair.substring(0, eq);
                if (keys.put(key, unescape(pair.substring(eq + 1), address)) != null)
                {
                    throw new IllegalArgumentException("key '" + key + "' repeated in '" + address + "'");
                }
            }
        }
        keys.remove("guid");

        final String path = keys.remove("path");
        final String abstractName = keys.remove("abstract");
        final String tmpdir = keys.remove("tmpdir");
        final String dir = keys.remove("dir");
        final String runtime = keys.remove("runtime");
        if (!keys.isEmpty())
        {
            throw new IllegalArgumentException("unsupported keys " + keys.keySet() + " in '" + address + "'");
        }
        final int given = count(path) + count(abstractName) + count(tmpdir) + count(dir) + count(runtime);
        if (given != 1)
        {
            throw new IllegalArgumentException(
                "exactly one of path, abstract, tmpdir, dir or runtime must be given in '" + address + "'");
        }
        if (path != null)
        {
            return new BusAddress(path, null);
        }
        if (abstractName != null)
        {
            return new BusAddress(null, abstractName);
        }
        if (runtime != null)
        {
            if (!"yes".equals(runtime))
            {
                throw new IllegalArgumentException("runtime must be 'yes' in '" + address + "'");
            }
            final String xdg = System.getenv("XDG_RUNTIME_DIR");
            if (xdg == null || xdg.isEmpty())
            {
                throw new IllegalArgumentException("unix:runtime=yes needs XDG_RUNTIME_DIR to be set");
            }
            return new BusAddress(Path.of(xdg, "bus").toString(), null);
        }
        final String directory = tmpdir != null ? tmpdir : dir;
        return new BusAddress(Path.of(directory, "dbus-" + randomName()).toString(), null);
    }

    /**
     * @return the socket file, or null for an abstract socket.
     */
    public String path()
    {
        return path;
    }

    /**
     * @return the abstract socket name, or null for a filesystem socket.
     */
    public String abstractName()
    {
        return abstractName;
    }

    /**
     * @return the junixsocket address to bind.
     * @throws SocketException if junixsocket refuses it.
     */
    public AFUNIXSocketAddress socketAddress() throws SocketException
    {
        return path != null ?
            AFUNIXSocketAddress.of(Path.of(path)) :
            AFUNIXSocketAddress.inAbstractNamespace(abstractName);
    }

    /**
     * The address clients connect to, as dbus-daemon prints it.
     *
     * @param guidHex the bus GUID.
     * @return for example {@code unix:path=/tmp/bus,guid=...}.
     */
    public String clientAddress(final String guidHex)
    {
        return (path != null ? "unix:path=" + escape(path) : "unix:abstract=" + escape(abstractName)) +
            ",guid=" + guidHex;
    }

    @Override
    public String toString()
    {
        return path != null ? "unix:path=" + escape(path) : "unix:abstract=" + escape(abstractName);
    }

    private static int count(final String value)
    {
        return value == null ? 0 : 1;
    }

    private static String randomName()
    {
        final StringBuilder name = new StringBuilder(10);
        final String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < 10; i++)
        {
            name.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return name.toString();
    }

    /**
     * Escape a value as the D-Bus address syntax requires: every byte outside {@code [-0-9A-Za-z_/.\*]}
     * becomes {@code %xx}.
     *
     * @param value to escape.
     * @return the escaped value.
     */
    public static String escape(final String value)
    {
        final StringBuilder out = new StringBuilder(value.length());
        for (final byte b : value.getBytes(StandardCharsets.UTF_8))
        {
            final char c = (char)(b & 0xFF);
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                c == '-' || c == '_' || c == '/' || c == '.' || c == '\\' || c == '*')
            {
                out.append(c);
            }
            else
            {
                out.append('%').append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
        }
        return out.toString();
    }

    private static String unescape(final String value, final String address)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '%')
            {
                if (i + 2 >= value.length())
                {
                    throw new IllegalArgumentException("truncated %-escape in '" + address + "'");
                }
                final int high = Character.digit(value.charAt(i + 1), 16);
                final int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0)
                {
                    throw new IllegalArgumentException("bad %-escape in '" + address + "'");
                }
                out.write((high << 4) | low);
                i += 2;
            }
            else
            {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
