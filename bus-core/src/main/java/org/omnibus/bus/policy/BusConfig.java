package org.omnibus.bus.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A loaded dbus-daemon configuration ({@code <busconfig>}): what the bus needs (policy, limits, bus type) and
 * what the node needs (listen addresses, auth mechanisms, ANONYMOUS, pid file...). Produced by
 * {@link BusConfigParser}; the node reads the parts it supports.
 */
public final class BusConfig
{
    String type;
    String user;
    boolean fork;
    boolean keepUmask;
    boolean syslog;
    boolean allowAnonymous;
    String pidFile;
    String serviceHelper;
    boolean standardSessionServiceDirs;
    boolean standardSystemServiceDirs;
    final List<String> listen = new ArrayList<>();
    final List<String> auth = new ArrayList<>();
    final List<String> serviceDirs = new ArrayList<>();
    final List<String> includedFiles = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    Policy policy = new Policy();
    BusLimits limits = new BusLimits();

    BusConfig()
    {
    }

    /**
     * The configuration a node uses when none is given: session-bus semantics like dbus-daemon's session.conf
     * (everyone may send, receive, eavesdrop and own anything; high limits), listening nowhere (the node decides).
     *
     * @return a new configuration.
     */
    public static BusConfig embeddedSession()
    {
        try (InputStream in = BusConfig.class.getResourceAsStream("embedded-session.conf"))
        {
            if (null == in)
            {
                throw new IllegalStateException("embedded-session.conf missing from the class path");
            }
            return new BusConfigParser(UserDatabase.of(java.util.Map.of(), java.util.Map.of()))
                .parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), Path.of("."));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return {@code <type>}, e.g. "session" or "system"; null if absent.
     */
    public String type()
    {
        return type;
    }

    /**
     * @return {@code <user>} or null.
     */
    public String user()
    {
        return user;
    }

    /**
     * @return true when {@code <fork/>} is present.
     */
    public boolean fork()
    {
        return fork;
    }

    /**
     * @return true when {@code <keep_umask/>} is present.
     */
    public boolean keepUmask()
    {
        return keepUmask;
    }

    /**
     * @return true when {@code <syslog/>} is present.
     */
    public boolean syslog()
    {
        return syslog;
    }

    /**
     * @return true when {@code <allow_anonymous/>} is present.
     */
    public boolean allowAnonymous()
    {
        return allowAnonymous;
    }

    /**
     * @return {@code <pidfile>} or null.
     */
    public String pidFile()
    {
        return pidFile;
    }

    /**
     * @return {@code <servicehelper>} or null; dbus-daemon treats a bus with a service helper as a system bus.
     */
    public String serviceHelper()
    {
        return serviceHelper;
    }

    /**
     * @return true when {@code <standard_session_servicedirs/>} is present.
     */
    public boolean standardSessionServiceDirs()
    {
        return standardSessionServiceDirs;
    }

    /**
     * @return true when {@code <standard_system_servicedirs/>} is present.
     */
    public boolean standardSystemServiceDirs()
    {
        return standardSystemServiceDirs;
    }

    /**
     * @return {@code <listen>} addresses in order.
     */
    public List<String> listen()
    {
        return Collections.unmodifiableList(listen);
    }

    /**
     * @return {@code <auth>} mechanisms in order; empty means all.
     */
    public List<String> auth()
    {
        return Collections.unmodifiableList(auth);
    }

    /**
     * @return {@code <servicedir>} directories.
     */
    public List<String> serviceDirs()
    {
        return Collections.unmodifiableList(serviceDirs);
    }

    /**
     * @return files read, the main file first.
     */
    public List<String> includedFiles()
    {
        return Collections.unmodifiableList(includedFiles);
    }

    /**
     * @return what was ignored with a warning (unknown users and groups, at_console policies, broken files in an
     * includedir...).
     */
    public List<String> warnings()
    {
        return Collections.unmodifiableList(warnings);
    }

    /**
     * @return the policy.
     */
    public Policy policy()
    {
        return policy;
    }

    /**
     * @return the limits.
     */
    public BusLimits limits()
    {
        return limits;
    }
}
