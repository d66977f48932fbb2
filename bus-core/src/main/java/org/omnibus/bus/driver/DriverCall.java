package org.omnibus.bus.driver;

import org.omnibus.bus.MessageView;
import org.omnibus.bus.peer.Peer;

/**
 * One call to the bus driver being handled: the caller, the message, its decoded arguments and the way to
 * answer. Control path: allocation is fine here.
 */
public final class DriverCall
{
    private final Driver driver;
    private final Peer caller;
    private final MessageView message;
    private final long nowNs;
    private Object[] args;
    private boolean answered;

    DriverCall(final Driver driver, final Peer caller, final MessageView message, final long nowNs)
    {
        this.driver = driver;
        this.caller = caller;
        this.message = message;
        this.nowNs = nowNs;
    }

    /**
     * @return the calling peer.
     */
    public Peer caller()
    {
        return caller;
    }

    /**
     * @return the call.
     */
    public MessageView message()
    {
        return message;
    }

    /**
     * @return the time the call is handled at.
     */
    public long nowNs()
    {
        return nowNs;
    }

    /**
     * @param index argument index.
     * @return the decoded argument.
     */
    public Object arg(final int index)
    {
        if (null == args)
        {
            args = message.decodeBody();
        }
        return args[index];
    }

    /**
     * @param index argument index.
     * @return a string argument.
     */
    public String stringArg(final int index)
    {
        return (String)arg(index);
    }

    /**
     * @param index argument index.
     * @return a uint32 argument.
     */
    public long uint32Arg(final int index)
    {
        return ((Number)arg(index)).longValue();
    }

    /**
     * Answer with a method return.
     *
     * @param signature reply signature.
     * @param values    reply values.
     */
    public void reply(final String signature, final Object... values)
    {
        answered = true;
        driver.sendReply(caller, message, signature, values);
    }

    /**
     * Answer with an empty method return unless the caller asked for no reply (dbus-daemon's ack).
     */
    public void ack()
    {
        answered = true;
        if (!message.noReplyExpected())
        {
            driver.sendReply(caller, message, "");
        }
    }

    /**
     * Answer with an error.
     *
     * @param errorName error name.
     * @param text      error message.
     */
    public void error(final String errorName, final String text)
    {
        answered = true;
        driver.sendError(caller, message, errorName, text);
    }

    /**
     * Mark the call as answered later (name commands answer when applied).
     */
    public void deferred()
    {
        answered = true;
    }

    /**
     * @return true once the call was answered or deferred.
     */
    public boolean answered()
    {
        return answered;
    }
}
