package org.omnibus.bus.match;

import org.omnibus.bus.DBusErrors;

/**
 * A match rule was refused; carries the D-Bus error name and dbus-daemon's message.
 */
public final class MatchRuleException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String errorName;

    /**
     * @param errorName D-Bus error name (MatchRuleInvalid or LimitsExceeded).
     * @param message   the error message.
     */
    public MatchRuleException(final String errorName, final String message)
    {
        super(message, null, false, false);
        this.errorName = errorName;
    }

    /**
     * @param message the reason, reported as MatchRuleInvalid.
     * @return the exception.
     */
    static MatchRuleException invalid(final String message)
    {
        return new MatchRuleException(DBusErrors.MATCH_RULE_INVALID, message);
    }

    /**
     * @return the D-Bus error name.
     */
    public String errorName()
    {
        return errorName;
    }
}
