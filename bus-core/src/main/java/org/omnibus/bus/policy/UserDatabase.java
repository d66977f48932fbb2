package org.omnibus.bus.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves user and group names of policy files to ids. A name that is a decimal number is taken as the id, as
 * dbus-daemon does.
 */
public interface UserDatabase
{
    /** Returned for an unknown name. */
    long UNKNOWN = -1L;

    /**
     * @param name a user name or a decimal uid.
     * @return the uid or {@link #UNKNOWN}.
     */
    long uid(String name);

    /**
     * @param name a group name or a decimal gid.
     * @return the gid or {@link #UNKNOWN}.
     */
    long gid(String name);

    /**
     * @param name a name.
     * @return its value when it is a plain decimal number, else {@link #UNKNOWN}.
     */
    static long parseNumber(final String name)
    {
        if (name.isEmpty() || name.length() > 10)
        {
            return UNKNOWN;
        }
        long value = 0;
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return UNKNOWN;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 0xFFFF_FFFFL ? value : UNKNOWN;
    }

    /**
     * A database from explicit maps (tests and embedded configurations).
     *
     * @param users  user name to uid.
     * @param groups group name to gid.
     * @return the database.
     */
    static UserDatabase of(final Map<String, Long> users, final Map<String, Long> groups)
    {
        final Map<String, Long> u = Map.copyOf(users);
        final Map<String, Long> g = Map.copyOf(groups);
        return new UserDatabase()
        {
            public long uid(final String name)
            {
                final long n = parseNumber(name);
                return n != UNKNOWN ? n : u.getOrDefault(name, UNKNOWN);
            }

            public long gid(final String name)
            {
                final long n = parseNumber(name);
                return n != UNKNOWN ? n : g.getOrDefault(name, UNKNOWN);
            }
        };
    }

    /**
     * The files /etc/passwd and /etc/group of this host (read once; missing files give an empty database).
     *
     * @return the database.
     */
    static UserDatabase system()
    {
        return of(readIds(Path.of("/etc/passwd")), readIds(Path.of("/etc/group")));
    }

    /**
     * Parse a passwd or group file: name in field 1, id in field 3.
     *
     * @param file the file.
     * @return name to id; empty when the file cannot be read.
     */
    static Map<String, Long> readIds(final Path file)
    {
        final Map<String, Long> ids = new HashMap<>();
        try
        {
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                final String[] fields = line.split(":", -1);
                if (fields.length >= 3 && !fields[0].isEmpty() && !line.startsWith("#"))
                {
                    final long id = parseNumber(fields[2]);
                    if (id != UNKNOWN)
                    {
                        ids.putIfAbsent(fields[0], id);
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // no such database on this host: every name is unknown
        }
        return ids;
    }
}
