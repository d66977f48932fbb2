package org.omnibus.systemtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The buses a system test can run against. The reference ({@link #DBUS_DAEMON}) defines correct behaviour; the
 * same tests then run against Omnibus by choosing {@link #OMNIBUS}, as dbus-broker's suite runs against dbus-daemon.
 */
public enum BusKind
{
    /**
     * A private dbus-daemon with a generated session-like configuration. Its allow rules admit only requested
     * replies, so a reply to a call never made is refused (with an AccessDenied error to its sender), but a second
     * reply to a call already answered passes.
     */
    DBUS_DAEMON("dbus-daemon", false),

    /**
     * A private dbus-daemon whose policy also denies every unrequested reply ({@code send_requested_reply="false"}
     * deny rules, which catch second replies too), as dbus-broker and Omnibus behave: the reference for Omnibus.
     */
    DBUS_DAEMON_STRICT("dbus-daemon-strict", true),

    /** An Omnibus node in the test JVM ({@code org.omnibus.node.Node}) given the same configuration file. */
    OMNIBUS("omnibus", true),

    /**
     * An Omnibus node in a child JVM started with dbus-daemon's command line ({@code OmnibusMain --config-file=...
     * --nofork --print-address=1}) and the same configuration file: the drop-in path.
     */
    OMNIBUS_PROCESS("omnibus-process", true);

    /** System property listing the kinds that bus-parameterised tests run against (comma-separated ids). */
    public static final String BUSES_PROP_NAME = "omnibus.systest.buses";

    /** Default of {@link #BUSES_PROP_NAME}. */
    public static final String BUSES_DEFAULT = "dbus-daemon,omnibus";

    private final String id;
    private final boolean rejectsUnrequestedReplies;

    BusKind(final String id, final boolean rejectsUnrequestedReplies)
    {
        this.id = id;
        this.rejectsUnrequestedReplies = rejectsUnrequestedReplies;
    }

    /**
     * @return the id used in {@link #BUSES_PROP_NAME} and in test names.
     */
    public String id()
    {
        return id;
    }

    /**
     * @return true when the bus drops every reply that answers no pending call, a second reply to one call included.
     */
    public boolean rejectsUnrequestedReplies()
    {
        return rejectsUnrequestedReplies;
    }

    /**
     * @param id a kind's id.
     * @return the kind.
     * @throws IllegalArgumentException for an unknown id.
     */
    public static BusKind fromId(final String id)
    {
        for (final BusKind kind : values())
        {
            if (kind.id.equals(id.trim()))
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown bus kind '" + id + "', expected one of dbus-daemon, " +
            "dbus-daemon-strict, omnibus, omnibus-process");
    }

    /**
     * The kinds named by the system property {@link #BUSES_PROP_NAME}: the switch between the reference and Omnibus.
     *
     * @return the selected kinds, in the order given.
     */
    public static List<BusKind> selected()
    {
        final List<BusKind> kinds = new ArrayList<>();
        for (final String id : System.getProperty(BUSES_PROP_NAME, BUSES_DEFAULT).split(","))
        {
            if (!id.isBlank())
            {
                kinds.add(fromId(id));
            }
        }
        return kinds;
    }

    /**
     * @return {@link #id()}.
     */
    public String toString()
    {
        return id;
    }
}
