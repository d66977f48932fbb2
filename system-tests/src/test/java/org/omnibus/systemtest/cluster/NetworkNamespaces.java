package org.omnibus.systemtest.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts made of Linux network namespaces, created and removed by the test itself: one namespace holds a bridge
 * ({@code br0}, multicast snooping off), each host namespace has an {@code eth0} (a veth pair whose other end
 * {@code vN} is a port of the bridge) with address {@code 10.77.0.N/24}. Nothing is added to the machine's own
 * network namespace. Cutting a host sets its bridge port down.
 * <p>
 * Names are {@code obt<pid>-br} and {@code obt<pid>-h<N>}; namespaces left by a test JVM that died (its pid no longer
 * runs) are removed before new ones are made.
 */
final class NetworkNamespaces implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespaces.class);
    private static final String PREFIX = "obt";
    private static final Pattern OURS = Pattern.compile("^(" + PREFIX + "(\\d+)-(br|h\\d+))\\b.*");
    private static final String SUBNET = "10.77.0.";

    private final String bridge;
    private final List<String> hosts = new ArrayList<>();
    private boolean closed;

    private NetworkNamespaces(final int hostCount) throws IOException
    {
        final String base = PREFIX + ProcessHandle.current().pid() + "-";
        bridge = base + "br";
        try
        {
            ip("netns", "add", bridge);
            ip("-n", bridge, "link", "set", "lo", "up");
            ip("-n", bridge, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
            ip("-n", bridge, "link", "set", "br0", "up");
            for (int i = 1; i <= hostCount; i++)
            {
                final String host = base + "h" + i;
                ip("netns", "add", host);
                hosts.add(host);
                ip("-n", bridge, "link", "add", "v" + i, "type", "veth", "peer", "name", "eth0", "netns", host);
                ip("-n", bridge, "link", "set", "v" + i, "master", "br0");
                ip("-n", bridge, "link", "set", "v" + i, "up");
                ip("-n", host, "addr", "add", address(i) + "/24", "dev", "eth0");
                ip("-n", host, "link", "set", "eth0", "up");
                ip("-n", host, "link", "set", "lo", "up");
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * @return null when namespaces can be made here, else why not (for an assumption message).
     */
    static String unavailableReason()
    {
        try
        {
            final String uid = run(List.of("id", "-u")).trim();
            if (!"0".equals(uid))
            {
                return "network namespaces need root (uid is " + uid + ")";
            }
            run(List.of("ip", "-V"));
            run(List.of("ip", "netns", "list"));
            return null;
        }
        catch (final IOException ex)
        {
            return "no usable ip command: " + ex.getMessage();
        }
    }

    /**
     * Remove namespaces left by test JVMs that no longer run, then make the bridge and the hosts.
     *
     * @param hostCount hosts 1 .. count.
     * @return the namespaces.
     * @throws IOException if a command fails.
     */
    static NetworkNamespaces create(final int hostCount) throws IOException
    {
        removeStale();
        return new NetworkNamespaces(hostCount);
    }

    private static void removeStale() throws IOException
    {
        for (final String line : run(List.of("ip", "netns", "list")).split("\n"))
        {
            final Matcher m = OURS.matcher(line.trim());
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty())
            {
                LOG.info("removing namespace {} left by a test JVM that is gone", m.group(1));
                run(List.of("ip", "netns", "del", m.group(1)));
            }
        }
    }

    /**
     * @param host 1 .. count.
     * @return the host's address.
     */
    static String address(final int host)
    {
        return SUBNET + host;
    }

    /**
     * @param host 1 .. count.
     * @return the command words that run a program on that host.
     */
    List<String> exec(final int host)
    {
        return List.of("ip", "netns", "exec", hosts.get(host - 1));
    }

    /**
     * Cut a host off: its bridge port goes down.
     *
     * @param host 1 .. count.
     * @throws IOException if the command fails.
     */
    void cut(final int host) throws IOException
    {
        ip("-n", bridge, "link", "set", "v" + host, "down");
    }

    /**
     * Connect a cut host again.
     *
     * @param host 1 .. count.
     * @throws IOException if the command fails.
     */
    void heal(final int host) throws IOException
    {
        ip("-n", bridge, "link", "set", "v" + host, "up");
    }

    /** Remove every namespace made here (the veth pairs and the bridge go with them). Idempotent. */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final List<String> all = new ArrayList<>(hosts);
        all.add(bridge);
        for (final String ns : all)
        {
            try
            {
                run(List.of("ip", "netns", "del", ns));
            }
            catch (final IOException ex)
            {
                LOG.warn("could not remove namespace {}: {}", ns, ex.getMessage());
            }
        }
    }

    /**
     * @return the names of this JVM's namespaces that still exist.
     * @throws IOException if ip fails.
     */
    List<String> remaining() throws IOException
    {
        final List<String> left = new ArrayList<>();
        final String base = PREFIX + ProcessHandle.current().pid() + "-";
        for (final String line : run(List.of("ip", "netns", "list")).split("\n"))
        {
            if (line.trim().startsWith(base))
            {
                left.add(line.trim().split("\\s+")[0]);
            }
        }
        return left;
    }

    private static void ip(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        run(command);
    }

    private static String run(final List<String> command) throws IOException
    {
        final Path output = Files.createTempFile("omnibus-ip", ".out");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
            final String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0)
            {
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + text);
            }
            return text;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
        finally
        {
            Files.deleteIfExists(output);
        }
    }
}
