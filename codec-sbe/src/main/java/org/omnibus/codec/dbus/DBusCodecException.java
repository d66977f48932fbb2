package org.omnibus.codec.dbus;

/**
 * A D-Bus message, signature or name breaks a rule of the D-Bus specification. It names the {@link DBusRule}
 * and the byte offset (from the start of the message, or of the string checked on its own) where the reader
 * found the fault.
 * <p>
 * Malformed input is an expected, per-peer condition (the edge disconnects the peer), not a bug, so the
 * exception carries no stack trace: throwing it costs little.
 */
public final class DBusCodecException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final DBusRule rule;
    private final int offset;

    /**
     * A rule broken at an offset.
     *
     * @param rule   the rule broken.
     * @param offset where, in bytes from the start of the message (or string).
     */
    public DBusCodecException(final DBusRule rule, final int offset)
    {
        super(rule.name() + " at offset " + offset + ": " + rule.description(), null, false, false);
        this.rule = rule;
        this.offset = offset;
    }

    /**
     * The rule broken.
     *
     * @return the rule.
     */
    public DBusRule rule()
    {
        return rule;
    }

    /**
     * Where the fault was found.
     *
     * @return offset in bytes from the start of the message, or of the string checked on its own.
     */
    public int offset()
    {
        return offset;
    }
}
