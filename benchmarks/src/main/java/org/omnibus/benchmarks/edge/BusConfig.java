package org.omnibus.benchmarks.edge;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one dbus-daemon configuration file every bus of a run reads (dbus-daemon, dbus-broker-launch and Omnibus all
 * take dbus-daemon's format): a session bus listening on a private socket, EXTERNAL authentication, the session
 * bus's allow-all policy (as in session.conf; dbus-broker ignores its eavesdrop attributes), and explicit limits
 * that are the same for all three buses.
 * <p>
 * The limits are high enough that no flow-controlled workload of this harness reaches them, on any bus: the signal
 * emitter keeps at most {@code window} signals per subscriber queued, about 1.1 MiB per subscriber at the default
 * window of 1024 and 1 KiB bodies. dbus-broker-launch turns the per-connection byte, fd and match limits into
 * per-user quotas by multiplying them with {@code max_connections_per_user}; every client of a benchmark run is the
 * same user, so that product is what they share (here 32 x 100 MB = 3.2 GB).
 * <p>
 * Trap (measured with dbus-broker 33): the broker keeps per-user maxima as 32-bit {@code unsigned int}, so the
 * launcher's 64-bit product is truncated modulo 2^32. 64 x 128 MiB = 2^33 becomes a quota of 0 and the broker dies
 * on its first charge; the stock session.conf (100000 x 10^9) ends up as about 276 MB. Keep the product below 2^32.
 */
public final class BusConfig
{
    /** The limits written into every configuration, in the order written. */
    public static final Map<String, Long> LIMITS = limits();

    private BusConfig()
    {
    }

    /**
     * @param socket the Unix socket path to listen on (dbus-broker-launch ignores it: its socket comes by activation).
     * @return the configuration file's text.
     */
    public static String sessionConfig(final Path socket)
    {
        final StringBuilder xml = new StringBuilder()
            .append("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n")
            .append(" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n")
            .append("<busconfig>\n")
            .append("  <type>session</type>\n")
            .append("  <keep_umask/>\n")
            .append("  <listen>").append(BusAddress.of(socket)).append("</listen>\n")
            .append("  <auth>EXTERNAL</auth>\n")
            .append("  <policy context=\"default\">\n")
            .append("    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n")
            .append("    <allow eavesdrop=\"true\"/>\n")
            .append("    <allow own=\"*\"/>\n")
            .append("  </policy>\n");
        for (final Map.Entry<String, Long> limit : LIMITS.entrySet())
        {
            xml.append("  <limit name=\"").append(limit.getKey()).append("\">")
                .append(limit.getValue()).append("</limit>\n");
        }
        return xml.append("</busconfig>\n").toString();
    }

    private static Map<String, Long> limits()
    {
        final Map<String, Long> limits = new LinkedHashMap<>();
        limits.put("max_incoming_bytes", 100_000_000L);
        limits.put("max_outgoing_bytes", 100_000_000L);
        limits.put("max_message_size", 32L * 1024 * 1024);
        limits.put("max_incoming_unix_fds", 1024L);
        limits.put("max_outgoing_unix_fds", 1024L);
        limits.put("max_connections_per_user", 32L);
        limits.put("max_completed_connections", 256L);
        limits.put("max_incomplete_connections", 64L);
        limits.put("max_names_per_connection", 512L);
        limits.put("max_match_rules_per_connection", 512L);
        limits.put("max_replies_per_connection", 1024L);
        limits.put("auth_timeout", 30_000L);
        return limits;
    }
}
