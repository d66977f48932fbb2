package org.omnibus.bus.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omnibus.bus.MessageType;

class BusConfigParserTest
{
    static final UserDatabase USERS = UserDatabase.of(
        Map.of("root", 0L, "alice", 1000L, "messagebus", 100L),
        Map.of("root", 0L, "wheel", 10L, "alice", 1000L));

    private final BusConfigParser parser = new BusConfigParser(USERS);

    private BusConfig parse(final String body)
    {
        return parser.parse("<busconfig>" + body + "</busconfig>", Path.of("."));
    }

    private void fails(final String body, final String message)
    {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void topLevelElements()
    {
        final BusConfig config = parse("<type>system</type><user>messagebus</user><fork/><syslog/><keep_umask/>" +
            "<pidfile>/run/x.pid</pidfile><listen>unix:path=/tmp/a</listen><listen>tcp:host=localhost</listen>" +
            "<auth>EXTERNAL</auth><allow_anonymous/><servicehelper>/usr/lib/helper</servicehelper>" +
            "<standard_system_servicedirs/><servicedir>/srv/services</servicedir><selinux>" +
            "<associate own='a.b' context='c'/></selinux><apparmor mode='disabled'/>");
        assertThat(config.type()).isEqualTo("system");
        assertThat(config.user()).isEqualTo("messagebus");
        assertThat(config.fork()).isTrue();
        assertThat(config.syslog()).isTrue();
        assertThat(config.keepUmask()).isTrue();
        assertThat(config.pidFile()).isEqualTo("/run/x.pid");
        assertThat(config.listen()).containsExactly("unix:path=/tmp/a", "tcp:host=localhost");
        assertThat(config.auth()).containsExactly("EXTERNAL");
        assertThat(config.allowAnonymous()).isTrue();
        assertThat(config.serviceHelper()).isEqualTo("/usr/lib/helper");
        assertThat(config.standardSystemServiceDirs()).isTrue();
        assertThat(config.serviceDirs()).containsExactly("/srv/services");
    }

    @Test
    void limits()
    {
        final BusConfig config = parse("<limit name='max_names_per_connection'>7</limit>" +
            "<limit name='reply_timeout'>5000</limit><limit name='max_message_size'>3000000000</limit>");
        assertThat(config.limits().maxNamesPerConnection()).isEqualTo(7);
        assertThat(config.limits().replyTimeoutMs()).isEqualTo(5000);
        assertThat(config.limits().get(BusLimits.Limit.MAX_MESSAGE_SIZE)).isEqualTo(3_000_000_000L);
        assertThat(config.limits().maxMatchRulesPerConnection()).isEqualTo(512);
        assertThat(new BusLimits().replyTimeoutMs()).isEqualTo(-1);
        fails("<limit name='bogus'>1</limit>", "There is no limit called \"bogus\"\n");
        fails("<limit name='auth_timeout'>-1</limit>", "<limit name=\"auth_timeout\"> must be a positive number\n");
        fails("<limit name='auth_timeout'>3000000000</limit>", "<limit name=\"auth_timeout\"> value is too large\n");
        fails("<limit name='auth_timeout'>x</limit>",
            "<limit name=\"auth_timeout\"> element has invalid value (could not parse as integer)");
        fails("<limit>1</limit>", "<limit> element must have a \"name\" attribute");
    }

    @Test
    void rulesOfEveryKind()
    {
        final BusConfig config = parse("<policy context='default'>" +
            "<allow send_destination='a.b' send_interface='a.b.I' send_member='M' send_type='method_call' " +
            "send_path='/p' send_requested_reply='true' eavesdrop='true' log='true' max_fds='4' min_fds='1'/>" +
            "<deny send_error='a.b.E' send_broadcast='false'/>" +
            "<allow send_destination_prefix='a.b'/>" +
            "<allow receive_sender='a.b' receive_interface='a.b.I' receive_member='M' receive_type='signal' " +
            "receive_path='/p' receive_requested_reply='false'/>" +
            "<deny receive_error='x.y.Z'/>" +
            "<allow eavesdrop='true'/>" +
            "<allow own='a.b'/><allow own_prefix='c.d'/><allow own='*'/>" +
            "<allow user='*'/><deny user='alice'/><allow group='wheel'/><allow group='*'/>" +
            "</policy>");
        final var rules = config.policy().defaultRules();
        assertThat(rules).hasSize(13);
        final PolicyRule send = rules.get(0);
        assertThat(send.kind()).isEqualTo(PolicyRule.Kind.SEND);
        assertThat(send.allow()).isTrue();
        assertThat(send.name()).isEqualTo("a.b");
        assertThat(send.namePrefix()).isFalse();
        assertThat(send.interfaceName()).isEqualTo("a.b.I");
        assertThat(send.member()).isEqualTo("M");
        assertThat(send.messageType()).isEqualTo(MessageType.METHOD_CALL);
        assertThat(send.path()).isEqualTo("/p");
        assertThat(send.requestedReply()).isTrue();
        assertThat(send.eavesdrop()).isTrue();
        assertThat(send.log()).isTrue();
        assertThat(send.minFds()).isEqualTo(1);
        assertThat(send.maxFds()).isEqualTo(4);
        assertThat(rules.get(1).error()).isEqualTo("a.b.E");
        assertThat(rules.get(1).broadcast()).isEqualTo(PolicyRule.BROADCAST_FALSE);
        assertThat(rules.get(2).namePrefix()).isTrue();
        final PolicyRule receive = rules.get(3);
        assertThat(receive.kind()).isEqualTo(PolicyRule.Kind.RECEIVE);
        assertThat(receive.name()).isEqualTo("a.b");
        assertThat(receive.messageType()).isEqualTo(MessageType.SIGNAL);
        assertThat(rules.get(5).kind()).isEqualTo(PolicyRule.Kind.RECEIVE);
        assertThat(rules.get(5).eavesdrop()).isTrue();
        assertThat(rules.get(6).kind()).isEqualTo(PolicyRule.Kind.OWN);
        assertThat(rules.get(7).namePrefix()).isTrue();
        assertThat(rules.get(8).name()).isNull();
        assertThat(rules.get(9).kind()).isEqualTo(PolicyRule.Kind.USER);
        assertThat(rules.get(9).id()).isEqualTo(PolicyRule.ANY_ID);
        assertThat(rules.get(10).id()).isEqualTo(1000);
        assertThat(rules.get(11).kind()).isEqualTo(PolicyRule.Kind.GROUP);
        assertThat(rules.get(11).id()).isEqualTo(10);
    }

    @Test
    void policyContexts()
    {
        final BusConfig config = parse("<policy context='mandatory'><deny own='x.y'/></policy>" +
            "<policy user='alice'><allow own='a.b'/></policy><policy user='1001'><allow own='n.m'/></policy>" +
            "<policy group='wheel'><allow own='c.d'/></policy>" +
            "<policy user='nobody-here'><allow own='e.f'/></policy>" +
            "<policy group='nogroup-here'><allow own='e.f'/></policy>" +
            "<policy at_console='true'><allow own='g.h'/></policy>");
        assertThat(config.policy().mandatoryRules()).hasSize(1);
        assertThat(config.policy().userRules(1000)).hasSize(1);
        assertThat(config.policy().userRules(1001)).hasSize(1);
        assertThat(config.policy().groupRules(10)).hasSize(1);
        assertThat(config.warnings()).containsExactly(
            "Unknown username \"nobody-here\" in message bus configuration file",
            "Unknown group \"nogroup-here\" in message bus configuration file",
            "<policy at_console=\"true\"> is not supported; its rules are ignored");
    }

    @Test
    void unknownUsersInRulesAreDroppedWithAWarning()
    {
        final BusConfig config = parse("<policy context='default'><allow user='ghost'/><allow group='ghosts'/>" +
            "</policy>");
        assertThat(config.policy().defaultRules()).isEmpty();
        assertThat(config.warnings()).containsExactly("Unknown username \"ghost\" on element <allow>",
            "Unknown group \"ghosts\" on element <allow>");
    }

    @Test
    void errorsAsDbusDaemonReportsThem()
    {
        fails("<policy/>", "<policy> element must have exactly one of (context|user|group|at_console) attributes");
        fails("<policy context='default' user='alice'/>",
            "<policy> element must have exactly one of (context|user|group|at_console) attributes");
        fails("<policy context='other'/>",
            "context attribute on <policy> must have the value \"default\" or \"mandatory\", not \"other\"");
        fails("<policy at_console='maybe'/>",
            "Unknown value \"maybe\" for at_console in message bus configuration file");
        fails("<policy context='default'><allow/></policy>", "Element <allow> must have one or more attributes");
        fails("<policy context='default'><allow send_member='M'/></policy>", "On element <allow>, if you " +
            "specify a member you must specify an interface or a path. Keep in mind that not all messages have an " +
            "interface field.");
        fails("<policy context='default'><allow own='a.b' user='alice'/></policy>", "Invalid combination of " +
            "attributes on element <allow>: own, own_prefix, user, group and the message-related attributes " +
            "cannot be combined");
        fails("<policy context='default'><allow send_type='signal' receive_type='signal'/></policy>",
            "Invalid combination of attributes on element <allow>: send and receive attributes cannot be combined");
        fails("<policy context='default'><deny send_error='a.b' send_interface='c.d'/></policy>",
            "Invalid combination of attributes on element <deny>: send_error cannot be combined with " +
            "send_member or send_interface");
        fails("<policy context='default'><deny send_destination='a.b' send_destination_prefix='c.d'/></policy>",
            "Invalid combination of attributes on element <deny>: send_destination cannot be combined with " +
            "send_destination_prefix");
        fails("<policy context='default'><deny receive_error='a.b' receive_member='M' receive_path='/'/></policy>",
            "Invalid combination of attributes on element <deny>: receive_error cannot be combined with " +
            "receive_member or receive_interface");
        fails("<policy context='default'><deny send_type='bogus'/></policy>", "Bad message type \"bogus\"");
        fails("<policy context='default'><deny send_type='signal' eavesdrop='maybe'/></policy>",
            "Bad value \"eavesdrop\" for maybe attribute, must be true or false");
        fails("<policy context='default'><deny send_broadcast='maybe'/></policy>",
            "Bad value \"maybe\" for send_broadcast attribute, must be true or false");
        fails("<policy context='default'><deny send_destination='a.b' send_broadcast='true'/></policy>",
            "Rule with send_broadcast=\"true\" and send_destination=\"a.b\" cannot match anything");
        fails("<policy context='default'><deny send_type='signal' max_fds='x'/></policy>",
            "Bad value \"x\" for max_fds attribute, must be an integer in range 0 to 33554432 inclusive");
        fails("<policy context='default'><deny bogus='1'/></policy>",
            "Attribute \"bogus\" is invalid on <deny> element in this context");
        fails("<policy user='alice'><allow user='*'/></policy>",
            "<allow> rule cannot be per-user because it has bus-global semantics");
        fails("<policy group='wheel'><allow group='*'/></policy>",
            "<allow> rule cannot be per-group because it has bus-global semantics");
        fails("<policy context='default'><foo/></policy>",
            "Element <foo> not allowed inside <policy> in configuration file");
        fails("<bogus/>", "Element <bogus> not allowed inside <busconfig> in configuration file");
        fails("<fork>x</fork>", "No text content expected inside XML element fork in configuration file");
        fails("<listen/>", "XML element <listen> was expected to have content inside it");
        fails("<fork a='b'/>", "Attribute \"a\" is invalid on <fork> element in this context");
        fails("<include ignore_missing='maybe'>x.conf</include>",
            "ignore_missing attribute must have value \"yes\" or \"no\"");
        assertThatThrownBy(() -> parser.parse("<other/>", Path.of(".")))
            .hasMessage("Unknown element <other> at root of configuration file");
    }

    @Test
    void includesAndIncludeDirs(@TempDir final Path dir) throws IOException
    {
        final Path main = dir.resolve("main.conf");
        Files.writeString(main, "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"" +
            " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n<busconfig><type>session</type>" +
            "<policy context='default'><allow own='first.one'/></policy>" +
            "<include>sub/inc.conf</include><include ignore_missing='yes'>missing.conf</include>" +
            "<include if_selinux_enabled='yes' selinux_root_relative='yes'>contexts/dbus_contexts</include>" +
            "<includedir>d</includedir><includedir>nonexistent.d</includedir>" +
            "<limit name='max_names_per_connection'>9</limit></busconfig>");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/inc.conf"), "<busconfig><listen>unix:path=/x</listen>" +
            "<limit name='max_names_per_connection'>3</limit>" +
            "<policy context='default'><deny own='first.one'/></policy></busconfig>");
        Files.createDirectories(dir.resolve("d"));
        Files.writeString(dir.resolve("d/b.conf"), "<busconfig><policy context='default'><allow own='b.b'/>" +
            "</policy></busconfig>");
        Files.writeString(dir.resolve("d/a.conf"), "<busconfig><policy context='default'><allow own='a.a'/>" +
            "</policy></busconfig>");
        Files.writeString(dir.resolve("d/broken.conf"), "<busconfig><bogus/></busconfig>");
        Files.writeString(dir.resolve("d/ignored.txt"), "not xml");

        final BusConfig config = parser.parse(main);
        assertThat(config.type()).isEqualTo("session");
        assertThat(config.listen()).containsExactly("unix:path=/x");
        assertThat(config.limits().maxNamesPerConnection()).isEqualTo(9);
        assertThat(config.policy().defaultRules()).extracting(PolicyRule::name)
            .containsExactly("first.one", "first.one", "a.a", "b.b");
        assertThat(config.warnings()).singleElement().asString().contains("broken.conf");
        final PolicySnapshot snapshot = config.policy().snapshot(1000, new long[]{1000});
        assertThat(snapshot.canOwn("first.one")).isFalse();
        assertThat(snapshot.canOwn("a.a")).isTrue();
    }

    @Test
    void circularAndMissingIncludes(@TempDir final Path dir) throws IOException
    {
        Files.writeString(dir.resolve("a.conf"), "<busconfig><include>b.conf</include></busconfig>");
        Files.writeString(dir.resolve("b.conf"), "<busconfig><include>a.conf</include></busconfig>");
        assertThatThrownBy(() -> parser.parse(dir.resolve("a.conf"))).hasMessageStartingWith("Circular inclusion");
        Files.writeString(dir.resolve("c.conf"), "<busconfig><include>nope.conf</include></busconfig>");
        assertThatThrownBy(() -> parser.parse(dir.resolve("c.conf"))).hasMessageContaining("nope.conf");
    }

    @Test
    void embeddedSessionConfiguration()
    {
        final BusConfig config = BusConfig.embeddedSession();
        assertThat(config.type()).isEqualTo("session");
        assertThat(config.limits().maxNamesPerConnection()).isEqualTo(50000);
        final PolicySnapshot snapshot = config.policy().snapshot(1000, new long[0]);
        assertThat(snapshot.canOwn("any.name")).isTrue();
    }

    @Test
    void realSessionConf()
    {
        final Path file = Path.of("/usr/share/dbus-1/session.conf");
        assumeTrue(Files.isRegularFile(file), "dbus is not installed here");
        final BusConfig config = new BusConfigParser(UserDatabase.system()).parse(file);
        assertThat(config.type()).isEqualTo("session");
        assertThat(config.listen()).contains("unix:tmpdir=/tmp");
        assertThat(config.auth()).contains("EXTERNAL");
        assertThat(config.keepUmask()).isTrue();
        assertThat(config.limits().maxMatchRulesPerConnection()).isEqualTo(50000);
        assertThat(config.limits().get(BusLimits.Limit.MAX_MESSAGE_UNIX_FDS)).isEqualTo(16);
        PolicySemanticsTest.checkSessionSemantics(config);
    }

    @Test
    void realSystemConf()
    {
        final Path file = Path.of("/usr/share/dbus-1/system.conf");
        assumeTrue(Files.isRegularFile(file), "dbus is not installed here");
        final BusConfig config = new BusConfigParser(UserDatabase.system()).parse(file);
        assertThat(config.type()).isEqualTo("system");
        assertThat(config.user()).isEqualTo("messagebus");
        assertThat(config.fork()).isTrue();
        assertThat(config.serviceHelper()).endsWith("dbus-daemon-launch-helper");
        assertThat(config.limits().maxNamesPerConnection()).isEqualTo(512);
        assertThat(config.includedFiles().size()).isGreaterThanOrEqualTo(1);
        PolicySemanticsTest.checkSystemSemantics(config, true);
    }
}
