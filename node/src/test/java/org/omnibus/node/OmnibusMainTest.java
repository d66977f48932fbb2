package org.omnibus.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line: both forms parse to the same node context, and bad input gets a message naming the problem.
 */
class OmnibusMainTest
{
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = OmnibusMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void dbusDaemonFormParsesIntoTheSameContextAsStart()
    {
        final CommandLine daemonForm = new CommandLine(new OmnibusMain());
        daemonForm.parseArgs("--nofork", "--print-address=5", "--print-pid", "--nopidfile",
            "--address=unix:path=" + dir.resolve("s"), "--data-dir=" + dir);
        final NodeOptions options = ((OmnibusMain)daemonForm.getCommand()).options;

        assertThat(options.validate()).isNull();
        assertThat(options.printAddress).isEqualTo("5");
        assertThat(options.printPid).isEqualTo(NodeOptions.STDOUT);
        final NodeContext ctx = OmnibusMain.context(options).conclude();
        assertThat(ctx.listenAddresses()).hasSize(1);
        assertThat(ctx.listenAddresses().get(0).path()).isEqualTo(dir.resolve("s").toString());
        assertThat(ctx.dataDir()).isEqualTo(dir);
    }

    @Test
    void startDefaultsToASocketInTheDataDirectory()
    {
        final NodeContext ctx = new NodeContext().dataDir(dir).conclude();
        assertThat(ctx.listenAddresses().get(0).path()).isEqualTo(dir.resolve("bus").toString());
        assertThat(ctx.busConfig().type()).isEqualTo("session");
    }

    @Test
    void sessionUsesTheStandardSessionConfiguration()
    {
        final CommandLine daemonForm = new CommandLine(new OmnibusMain());
        daemonForm.parseArgs("--session");
        final NodeContext ctx = OmnibusMain.context(((OmnibusMain)daemonForm.getCommand()).options).conclude();
        assertThat(ctx.busConfig().type()).isEqualTo("session");
        assertThat(ctx.listenAddresses().get(0).path()).startsWith("/tmp/dbus-");
    }

    @Test
    void contradictoryOptionsAreRefusedWithTheReason()
    {
        assertThat(run("--session", "--system")).isEqualTo(2);
        assertThat(err.toString()).contains("--session and --system cannot both be given");
    }

    @Test
    void badAddressIsNamed()
    {
        assertThat(run("start", "--data-dir=" + dir, "--address=tcp:host=localhost")).isEqualTo(2);
        assertThat(err.toString()).contains("unsupported transport 'tcp'");
    }

    @Test
    void missingConfigFileIsNamed()
    {
        assertThat(run("--config-file=" + dir.resolve("nope.conf"))).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read configuration file").contains("nope.conf");
    }

    @Test
    void unknownOptionIsReported()
    {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--frobnicate'");
    }
}
