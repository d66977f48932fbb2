package org.omnibus.systemtest;

import org.omnibus.bus.policy.BusConfigParser;
import org.omnibus.bus.policy.UserDatabase;
import org.omnibus.node.Node;
import org.omnibus.node.NodeContext;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Omnibus node started in the test JVM through the {@link Node} API, reading the same dbus-daemon configuration
 * file as the reference. Its log goes through SLF4J to the test's output.
 */
final class NodeBus implements Bus
{
    private static final Pattern GUID = Pattern.compile("guid=([0-9a-f]{32})");

    private final Node node;
    private final Path socketPath;
    private final Path logFile;
    private final String address;
    private final String guid;
    private boolean closed;

    NodeBus(final Path config, final Path socketPath, final Path dataDir, final Path logFile)
    {
        this.socketPath = socketPath;
        this.logFile = logFile;
        final NodeContext ctx = new NodeContext()
            .dataDir(dataDir)
            .busConfig(new BusConfigParser(UserDatabase.system()).parse(config));
        node = Node.launch(ctx);
        address = node.clientAddress();
        final Matcher matcher = GUID.matcher(address);
        guid = matcher.find() ? matcher.group(1) : "";
    }

    public BusKind kind()
    {
        return BusKind.OMNIBUS;
    }

    public String address()
    {
        return address;
    }

    public Path socketPath()
    {
        return socketPath;
    }

    public String guid()
    {
        return guid;
    }

    public long pid()
    {
        return ProcessHandle.current().pid();
    }

    public boolean isRunning()
    {
        return !closed;
    }

    public Path logFile()
    {
        return logFile;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            node.close();
        }
    }

    public String toString()
    {
        return "omnibus[in-process, " + address + "]";
    }
}
