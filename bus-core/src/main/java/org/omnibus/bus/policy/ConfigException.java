package org.omnibus.bus.policy;

/**
 * A configuration file could not be loaded; the message is dbus-daemon's where it has one.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong.
     */
    public ConfigException(final String message)
    {
        super(message);
    }

    /**
     * @param message what is wrong.
     * @param cause   the cause.
     */
    public ConfigException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
