package org.omnibus.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A dbus-daemon configuration file for a private test bus: a session-like bus listening on {@code unix:path=} in a
 * test's directory, EXTERNAL authentication, everything allowed, no service directories (so nothing is
 * activatable), and limits a test can reach. The same file is given to dbus-daemon and to Omnibus.
 */
public final class BusConfig
{
    /** The largest message the test buses accept ({@code max_message_size}), small enough for a test to exceed. */
    public static final int MAX_MESSAGE_SIZE = 1024 * 1024;

    /** How long a connection may take to authenticate ({@code auth_timeout}), in milliseconds. */
    public static final int AUTH_TIMEOUT_MS = 2_000;

    private BusConfig()
    {
    }

    /**
     * The configuration text.
     *
     * @param socketPath                where the bus listens.
     * @param rejectUnrequestedReplies  add deny rules for replies that answer no pending call.
     * @return the XML.
     */
    public static String text(final Path socketPath, final boolean rejectUnrequestedReplies)
    {
        final String strictRules = rejectUnrequestedReplies ?
            "    <deny send_type=\"method_return\" send_requested_reply=\"false\"/>\n" +
            "    <deny send_type=\"error\" send_requested_reply=\"false\"/>\n" : "";

        return "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n" +
            " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n" +
            "<busconfig>\n" +
            "  <type>session</type>\n" +
            "  <listen>unix:path=" + socketPath.toAbsolutePath() + "</listen>\n" +
            "  <auth>EXTERNAL</auth>\n" +
            "  <policy context=\"default\">\n" +
            "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n" +
            "    <allow eavesdrop=\"true\"/>\n" +
            "    <allow own=\"*\"/>\n" +
            strictRules +
            "  </policy>\n" +
            "  <limit name=\"max_message_size\">" + MAX_MESSAGE_SIZE + "</limit>\n" +
            "  <limit name=\"auth_timeout\">" + AUTH_TIMEOUT_MS + "</limit>\n" +
            "  <limit name=\"max_incoming_bytes\">100000000</limit>\n" +
            "  <limit name=\"max_outgoing_bytes\">100000000</limit>\n" +
            "  <limit name=\"max_names_per_connection\">1000</limit>\n" +
            "  <limit name=\"max_match_rules_per_connection\">1000</limit>\n" +
            "  <limit name=\"max_replies_per_connection\">1000</limit>\n" +
            "</busconfig>\n";
    }

    /**
     * Write the configuration file.
     *
     * @param file                     where to write it.
     * @param socketPath               where the bus listens.
     * @param rejectUnrequestedReplies add deny rules for replies that answer no pending call.
     * @return {@code file}.
     * @throws IOException if it cannot be written.
     */
    public static Path write(final Path file, final Path socketPath, final boolean rejectUnrequestedReplies)
        throws IOException
    {
        Files.writeString(file, text(socketPath, rejectUnrequestedReplies), StandardCharsets.UTF_8);
        return file;
    }
}
