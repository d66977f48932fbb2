package org.omnibus.api;

import java.io.IOException;

/**
 * A D-Bus error reply to a call, e.g. {@code org.freedesktop.DBus.Error.NotSupported}.
 */
public final class DBusException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final String errorName;

    /**
     * @param errorName the D-Bus error name.
     * @param message   the error's text.
     */
    public DBusException(final String errorName, final String message)
    {
        super(errorName + ": " + message);
        this.errorName = errorName;
    }

    /**
     * @return the D-Bus error name.
     */
    public String errorName()
    {
        return errorName;
    }
}
