package org.omnibus.node;

import org.omnibus.bus.policy.BusConfig;
import org.omnibus.bus.policy.BusConfigParser;
import org.omnibus.bus.policy.ConfigException;
import org.omnibus.bus.policy.UserDatabase;
import org.omnibus.edge.BusAddress;
import org.omnibus.persistence.JournalContext;
import org.omnibus.persistence.JournalCorruptionException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code omnibus} command. {@code omnibus start} runs a node; the top-level command also takes
 * dbus-daemon's command line, so that harnesses which spawn dbus-daemon can spawn Omnibus instead.
 */
@Command(
    name = "omnibus",
    mixinStandardHelpOptions = true,
    versionProvider = OmnibusMain.Version.class,
    description = {
        "Omnibus: a D-Bus compatible message bus across many hosts.",
        "Without a subcommand, takes dbus-daemon's options (--session, --system, --config-file, --address,",
        "--print-address, --print-pid, --nofork, --fork, --nopidfile) and runs a node."},
    subcommands = {OmnibusMain.StartCommand.class, JournalCommand.class, CommandLine.HelpCommand.class})
public final class OmnibusMain implements Callable<Integer>
{
    /** Standard system bus configuration of the Debian dbus package. */
    static final Path SYSTEM_CONF = Path.of("/usr/share/dbus-1/system.conf");
    /** Standard session bus configuration of the Debian dbus package. */
    static final Path SESSION_CONF = Path.of("/usr/share/dbus-1/session.conf");

    @Mixin
    NodeOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine()
    {
        return new CommandLine(new OmnibusMain())
            .setExecutionExceptionHandler((ex, cmd, parsed) ->
            {
                cmd.getErr().println("omnibus: " + ex.getMessage());
                return 1;
            });
    }

    @Override
    public Integer call()
    {
        return run(options, spec.commandLine(), false);
    }

    /**
     * Run a node until SIGTERM or SIGINT.
     *
     * @param startForm {@code omnibus start} (a one-node cluster with a journal by default) rather than the
     *                  dbus-daemon form (a local bus by default).
     */
    static int run(final NodeOptions options, final CommandLine commandLine, final boolean startForm)
    {
        final String problem = options.validate();
        if (problem != null)
        {
            commandLine.getErr().println("omnibus: " + problem);
            return 2;
        }
        final NodeContext ctx;
        try
        {
            ctx = context(options, startForm);
        }
        catch (final ConfigException | IllegalArgumentException | IllegalStateException ex)
        {
            commandLine.getErr().println("omnibus: " + ex.getMessage().strip());
            return 2;
        }
        if (options.introspect)
        {
            commandLine.getErr().println("omnibus: --introspect is not supported; call " +
                "org.freedesktop.DBus.Introspectable.Introspect on a running bus");
            return 2;
        }

        final Node node;
        try
        {
            node = Node.launch(ctx);
        }
        catch (final UncheckedIOException ex)
        {
            commandLine.getErr().println("omnibus: " + ex.getMessage());
            return 1;
        }
        catch (final JournalCorruptionException ex)
        {
            // logged where the journal was opened; the operator's terminal gets it too
            commandLine.getErr().println("omnibus: " + ex.getMessage());
            return 1;
        }
        catch (final IllegalStateException ex)
        {
            LoggerFactory.getLogger(OmnibusMain.class).error("cannot start the node: {}", ex.getMessage());
            commandLine.getErr().println("omnibus: " + ex.getMessage());
            return 1;
        }

        // SIGTERM and SIGINT stop the node and exit 0, as dbus-daemon does; the hook covers any other exit
        final CountDownLatch stopped = new CountDownLatch(1);
        onSignal("TERM", stopped);
        onSignal("INT", stopped);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "omnibus-shutdown"));

        try
        {
            announce(options, node, commandLine);
        }
        catch (final IOException ex)
        {
            commandLine.getErr().println("omnibus: " + ex.getMessage());
            node.close();
            return 1;
        }
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        node.close();
        return 0;
    }

    private static void onSignal(final String name, final CountDownLatch stopped)
    {
        try
        {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stopped.countDown());
        }
        catch (final IllegalArgumentException ex)
        {
            // the JVM reserves this signal (e.g. with -Xrs): the shutdown hook still stops the node
        }
    }

    static NodeContext context(final NodeOptions options)
    {
        return context(options, false);
    }

    static NodeContext context(final NodeOptions options, final boolean startForm)
    {
        final NodeContext ctx = new NodeContext()
            .dataDir(options.dataDir)
            .nodeId(options.nodeId)
            .allowAnonymous(options.allowAnonymous);
        final Path configFile = options.configFile != null ? options.configFile :
            options.system ? SYSTEM_CONF :
            options.session ? SESSION_CONF : null;
        if (configFile != null)
        {
            if (!Files.isReadable(configFile))
            {
                throw new IllegalArgumentException("cannot read configuration file " + configFile);
            }
            final BusConfig config = new BusConfigParser(UserDatabase.system()).parse(configFile);
            ctx.busConfig(config);
        }
        if (options.address != null)
        {
            for (final BusAddress address : BusAddress.parseList(options.address))
            {
                ctx.addListenAddress(address);
            }
        }
        ctx.journalContext(journalContext(options));
        if (options.clusterMembers != null)
        {
            ctx.cluster(clusterSettings(options));
        }
        else if (startForm && !options.local)
        {
            ctx.cluster(ClusterSettings.single(options.nodeId).journal(!options.noJournal));
        }
        return ctx;
    }

    /**
     * The journal's settings: the {@code --journal-*} options over the defaults of {@link JournalContext} (the
     * {@code omnibus.journal.*} system properties, else the built-in defaults).
     */
    static JournalContext journalContext(final NodeOptions options)
    {
        final JournalContext journal = new JournalContext();
        if (options.journalDir != null)
        {
            journal.directory(options.journalDir.toAbsolutePath().normalize());
        }
        if (options.journalRetentionAge != null)
        {
            journal.retentionMaxAgeMs(NodeJournal.parseAgeMs("--journal-retention-age", options.journalRetentionAge));
        }
        if (options.journalRetentionSize != null)
        {
            journal.retentionMaxBytes(
                NodeJournal.parseSizeBytes("--journal-retention-size", options.journalRetentionSize));
        }
        if (options.journalDurability != null)
        {
            journal.durability(NodeJournal.parseDurability("--journal-durability", options.journalDurability));
        }
        if (options.journalTruncateOnCorruption)
        {
            journal.truncateOnCorruption(true);
        }
        return journal;
    }

    private static ClusterSettings clusterSettings(final NodeOptions options)
    {
        final byte[] secret;
        try
        {
            secret = Files.readAllBytes(options.clusterSecretFile);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read the cluster secret file " + options.clusterSecretFile +
                ": " + ex.getMessage());
        }
        final ClusterSettings settings = new ClusterSettings()
            .initialMembers(options.clusterMembers)
            .secret(new String(secret, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8))
            .channelMode(switch (options.clusterChannel)
            {
                case "unicast" -> org.omnibus.transport.ChannelMode.UNICAST;
                case "mdc" -> org.omnibus.transport.ChannelMode.MDC_MANUAL;
                default -> org.omnibus.transport.ChannelMode.MULTICAST;
            })
            .multicastEndpoint(options.clusterMulticast)
            .multicastInterface(options.clusterInterface)
            .endpoint(options.clusterEndpoint)
            .journal(!options.noJournal);
        for (final String peer : options.clusterPeers)
        {
            final int at = peer.indexOf('@');
            settings.addPeer(new org.omnibus.transport.TransportPeer(
                Integer.parseInt(peer.substring(0, at)), peer.substring(at + 1), null));
        }
        return settings;
    }

    private static void announce(final NodeOptions options, final Node node, final CommandLine commandLine)
        throws IOException
    {
        final String address = String.join(";", node.clientAddresses());
        if (options.printAddress != null)
        {
            write(options.printAddress, address + "\n", commandLine);
        }
        if (options.printPid != null)
        {
            write(options.printPid, ProcessHandle.current().pid() + "\n", commandLine);
        }
        if (options.printAddress == null && options.printPid == null)
        {
            final PrintStream out = new PrintStream(new FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
            out.println("DBUS_SESSION_BUS_ADDRESS=" + address);
            out.flush();
        }
        if (options.readyFd != null)
        {
            write(options.readyFd, "ready\n", commandLine);
        }
    }

    private static void write(final String target, final String text, final CommandLine commandLine)
        throws IOException
    {
        if (NodeOptions.STDOUT.equals(target))
        {
            System.out.print(text);
            System.out.flush();
            return;
        }
        final Path fdPath = Path.of("/proc/self/fd", target);
        if (!Files.exists(fdPath))
        {
            throw new IOException("file descriptor " + target + " is not open");
        }
        // Write to the inherited descriptor itself and close it, as dbus-daemon does: a reader such as
        // dbus-run-session reads the address until end of file.
        try (OutputStream out = new FileOutputStream(inheritedDescriptor(Integer.parseInt(target))))
        {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static java.io.FileDescriptor inheritedDescriptor(final int fd) throws IOException
    {
        try
        {
            final java.io.FileDescriptor descriptor = new java.io.FileDescriptor();
            final java.lang.reflect.Field field = java.io.FileDescriptor.class.getDeclaredField("fd");
            field.setAccessible(true);
            field.setInt(descriptor, fd);
            return descriptor;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IOException("cannot use file descriptor " + fd + " (the launcher's JVM flags open java.io): " +
                ex.getMessage(), ex);
        }
    }

    /**
     * {@code omnibus start}: run a node on embedded defaults.
     */
    @Command(name = "start", mixinStandardHelpOptions = true,
        description = "Run a node: embedded defaults, socket and data under ./data, until SIGTERM or Ctrl-C.")
    static final class StartCommand implements Callable<Integer>
    {
        @Mixin
        NodeOptions options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            return run(options, spec.commandLine(), true);
        }
    }

    /**
     * Version from the jar manifest, or "development".
     */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = OmnibusMain.class.getPackage().getImplementationVersion();
            return new String[] {"omnibus " + (version == null ? "development" : version),
                "D-Bus specification 0.43 compatible, dbus-daemon command line"};
        }
    }
}
