package org.omnibus.node;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Options that start a node, shared by {@code omnibus start} and the dbus-daemon compatible top-level form
 * ({@code omnibus --session --nofork --print-address=3}).
 */
public final class NodeOptions
{
    /** Marker value of an option given without {@code =FD}: print to standard output. */
    static final String STDOUT = "stdout";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (journal, media driver, default socket). Default: ./data")
    Path dataDir = Path.of("data");

    @Option(names = "--node-id", paramLabel = "ID", description = "Cluster-unique node id (1..65535). Default: 1")
    int nodeId = 1;

    @Option(names = "--address", paramLabel = "ADDRESS",
        description = "Listen address(es), dbus-daemon syntax, ';'-separated (unix:path=, unix:abstract=, unix:tmpdir=, unix:dir=, unix:runtime=yes). Overrides <listen> of the config file. Default: unix:path=DATA_DIR/bus")
    String address;

    @Option(names = "--config-file", paramLabel = "FILE", description = "dbus-daemon configuration file (listen, auth, policy, limits)")
    Path configFile;

    @Option(names = "--session", description = "Use the standard session bus configuration")
    boolean session;

    @Option(names = "--system", description = "Use the standard system bus configuration")
    boolean system;

    @Option(names = "--print-address", arity = "0..1", fallbackValue = STDOUT, paramLabel = "FD",
        description = "Print the bus address to standard output, or to file descriptor FD")
    String printAddress;

    @Option(names = "--print-pid", arity = "0..1", fallbackValue = STDOUT, paramLabel = "FD",
        description = "Print the process id to standard output, or to file descriptor FD")
    String printPid;

    @Option(names = "--nofork", description = "Stay in the foreground (the default)")
    boolean noFork;

    @Option(names = "--fork", description = "Detach from the terminal (handled by the omnibus launcher script)")
    boolean fork;

    @Option(names = "--nopidfile", description = "Do not write a pid file (accepted for dbus-daemon compatibility)")
    boolean noPidFile;

    @Option(names = {"--syslog", "--nosyslog", "--syslog-only"},
        description = "Accepted for dbus-daemon compatibility; logging goes through Logback")
    boolean syslog;

    @Option(names = "--systemd-activation", description = "Accepted for dbus-daemon compatibility; activation is not supported")
    boolean systemdActivation;

    @Option(names = "--allow-anonymous", description = "Accept the ANONYMOUS authentication mechanism")
    boolean allowAnonymous;

    @Option(names = "--local",
        description = "A plain local bus: no cluster, no journal (the default of the dbus-daemon form; `start` runs a one-node cluster with a journal unless given this)")
    boolean local;

    @Option(names = "--cluster-members", split = ",", paramLabel = "IDS",
        description = "Node ids of the cluster's initial members, e.g. 1,2,3 (the same list on every node)")
    int[] clusterMembers;

    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
        description = "File holding the cluster secret (at least 16 bytes); nodes without it cannot join")
    Path clusterSecretFile;

    @Option(names = "--cluster-channel", paramLabel = "MODE",
        description = "multicast (default), unicast, mdc (multi-destination-cast with manual destinations)")
    String clusterChannel = "multicast";

    @Option(names = "--cluster-multicast", paramLabel = "ADDR:PORT",
        description = "Multicast group of the cluster. Default: " + ClusterSettings.MULTICAST_ENDPOINT_DEFAULT)
    String clusterMulticast = ClusterSettings.MULTICAST_ENDPOINT_DEFAULT;

    @Option(names = "--cluster-interface", paramLabel = "IP",
        description = "Interface for multicast (required with multicast; 127.0.0.1 keeps traffic on this machine)")
    String clusterInterface;

    @Option(names = "--cluster-endpoint", paramLabel = "HOST:PORT",
        description = "This node's endpoint for unicast and mdc")
    String clusterEndpoint;

    @Option(names = "--cluster-peer", paramLabel = "ID@HOST:PORT",
        description = "Another member's endpoint for unicast and mdc; repeat for each")
    java.util.List<String> clusterPeers = new java.util.ArrayList<>();

    @Option(names = "--no-journal", description = "Do not journal the ordered stream")
    boolean noJournal;

    @Option(names = "--journal-dir", paramLabel = "DIR",
        description = "Journal directory (Chronicle Queue files). Default: DATA_DIR/journal")
    Path journalDir;

    @Option(names = "--journal-retention-age", paramLabel = "AGE",
        description = "Delete journal cycle files (one per hour) whose hour ended longer ago than AGE, e.g. 7d, 12h, " +
            "1h30m; checked every minute and at each new cycle. Default: 7d")
    String journalRetentionAge;

    @Option(names = "--journal-retention-size", paramLabel = "SIZE",
        description = "Delete the oldest journal cycle files while all together use more than SIZE, e.g. 10GiB, " +
            "512MiB, 8g (binary units). The current cycle file is never deleted. Default: 8GiB")
    String journalRetentionSize;

    @Option(names = "--journal-durability", paramLabel = "MODE",
        description = "page-cache (default): an ordered message is journaled in the page cache; it survives a " +
            "crash of the node (kill -9), not of the machine, and costs nothing extra. fsync-batch: msync once per " +
            "batch of ordered messages (each duty cycle) before the next batch; survives a machine crash; costs a " +
            "synchronous device write per batch (tens of us on NVMe, ms on rotating or network disks), " +
            "on a shared 2-core VM with a virtio disk 64%% fewer ordered messages per second end to end " +
            "(docs/BENCHMARKS.md). Default: page-cache")
    String journalDurability;

    @Option(names = NodeJournal.TRUNCATE_OPTION,
        description = "Start on a damaged journal (a corrupt entry, a file cut short or missing) by truncating it " +
            "at the last whole entry before the damage and logging what was dropped. Without it the node refuses " +
            "to start and names the file and position")
    boolean journalTruncateOnCorruption;

    @Option(names = "--ready-fd", hidden = true, paramLabel = "FD",
        description = "Write a line to FD once the node is up (used by the launcher for --fork)")
    String readyFd;

    @Option(names = "--introspect", description = "Print the introspection XML of the bus driver and exit")
    boolean introspect;

    /**
     * Check combinations picocli cannot.
     *
     * @return an error message, or null when the options are consistent.
     */
    String validate()
    {
        if (session && system)
        {
            return "--session and --system cannot both be given";
        }
        if ((session || system) && configFile != null)
        {
            return "--config-file cannot be combined with --session or --system";
        }
        if (fork && noFork)
        {
            return "--fork and --nofork cannot both be given";
        }
        if (nodeId < 1 || nodeId > 65535)
        {
            return "--node-id must be between 1 and 65535: " + nodeId;
        }
        if (printAddress != null && !isFdOrStdout(printAddress))
        {
            return "--print-address takes a file descriptor number: " + printAddress;
        }
        if (printPid != null && !isFdOrStdout(printPid))
        {
            return "--print-pid takes a file descriptor number: " + printPid;
        }
        if (local && clusterMembers != null)
        {
            return "--local and --cluster-members cannot both be given";
        }
        if (clusterMembers != null && clusterSecretFile == null)
        {
            return "a cluster needs --cluster-secret-file";
        }
        if (!java.util.Set.of("multicast", "unicast", "mdc").contains(clusterChannel))
        {
            return "--cluster-channel must be multicast, unicast or mdc: " + clusterChannel;
        }
        for (final String peer : clusterPeers)
        {
            if (!peer.matches("[0-9]+@[^@]+:[0-9]+"))
            {
                return "--cluster-peer takes ID@HOST:PORT: " + peer;
            }
        }
        return null;
    }

    private static boolean isFdOrStdout(final String value)
    {
        return STDOUT.equals(value) || value.matches("[0-9]{1,6}");
    }
}
