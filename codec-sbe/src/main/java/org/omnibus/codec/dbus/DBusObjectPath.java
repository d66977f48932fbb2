package org.omnibus.codec.dbus;

import java.util.Objects;

/**
 * An OBJECT_PATH value, distinct from a string when a type is inferred or read back.
 *
 * @param path the object path.
 */
public record DBusObjectPath(String path)
{
    /**
     * An object path.
     *
     * @param path the object path.
     */
    public DBusObjectPath
    {
        Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString()
    {
        return path;
    }
}
