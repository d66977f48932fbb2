package org.omnibus.bus.policy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.omnibus.bus.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Loads dbus-daemon configuration files ({@code <busconfig>}) with the semantics and error messages of
 * dbus-daemon's bus/config-parser.c: policies by context, user and group ({@code at_console} policies are
 * ignored with a warning), every {@code <allow>}/{@code <deny>} attribute and its validation, {@code <limit>}s,
 * {@code <include>} (relative to the including file, with ignore_missing and circularity check) and
 * {@code <includedir>} (its *.conf files in name order; a broken file there is skipped with a warning).
 * Elements about activation, SELinux and AppArmor are accepted and ignored.
 * <p>
 * External DTDs are never fetched.
 */
public final class BusConfigParser
{
    private static final Logger LOG = LoggerFactory.getLogger(BusConfigParser.class);

    private static final int POLICY_IGNORED = 0;
    private static final int POLICY_DEFAULT = 1;
    private static final int POLICY_MANDATORY = 2;
    private static final int POLICY_USER = 3;
    private static final int POLICY_GROUP = 4;

    private static final Set<String> BUSCONFIG_CHILDREN = Set.of(
        "user", "type", "fork", "syslog", "keep_umask", "pidfile", "listen", "auth", "servicehelper", "includedir",
        "standard_session_servicedirs", "standard_system_servicedirs", "allow_anonymous", "servicedir", "include",
        "policy", "limit", "selinux", "apparmor");
    private static final Set<String> CONTENT_ELEMENTS = Set.of(
        "include", "user", "type", "listen", "pidfile", "auth", "servicedir", "servicehelper", "includedir", "limit");
    private static final List<String> RULE_ATTRIBUTES = List.of(
        "send_interface", "send_member", "send_error", "send_destination", "send_destination_prefix", "send_path",
        "send_type", "send_broadcast", "receive_interface", "receive_member", "receive_error", "receive_sender",
        "receive_path", "receive_type", "eavesdrop", "max_fds", "min_fds", "send_requested_reply",
        "receive_requested_reply", "own", "own_prefix", "user", "group", "log");

    private final UserDatabase users;

    /**
     * @param users resolves user and group names.
     */
    public BusConfigParser(final UserDatabase users)
    {
        this.users = users;
    }

    /**
     * Load a configuration file and what it includes.
     *
     * @param file the file.
     * @return the configuration.
     * @throws ConfigException if it cannot be loaded.
     */
    public BusConfig parse(final Path file)
    {
        final BusConfig config = new BusConfig();
        final Deque<Path> stack = new ArrayDeque<>();
        load(file, config, stack, false);
        return config;
    }

    /**
     * Load a configuration from text.
     *
     * @param xml     the document.
     * @param baseDir directory relative includes are resolved against.
     * @return the configuration.
     * @throws ConfigException if it cannot be loaded.
     */
    public BusConfig parse(final String xml, final Path baseDir)
    {
        final BusConfig config = new BusConfig();
        parseInto(xml, "(string)", baseDir.toAbsolutePath().normalize(), config, new ArrayDeque<>());
        return config;
    }

    private boolean load(final Path file, final BusConfig into, final Deque<Path> stack, final boolean ignoreMissing)
    {
        final Path path = file.toAbsolutePath().normalize();
        if (stack.contains(path))
        {
            throw new ConfigException("Circular inclusion of file '" + file + "'");
        }
        final String xml;
        try
        {
            xml = Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            if (ignoreMissing)
            {
                return false;
            }
            throw new ConfigException("Failed to open \"" + file + "\": No such file or directory", ex);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("Failed to open \"" + file + "\": " + ex.getMessage(), ex);
        }

        stack.push(path);
        try
        {
            into.includedFiles.add(path.toString());
            parseInto(xml, path.toString(), path.getParent(), into, stack);
        }
        finally
        {
            stack.pop();
        }
        return true;
    }

    private void parseInto(
        final String xml, final String name, final Path baseDir, final BusConfig config, final Deque<Path> stack)
    {
        try
        {
            final SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setValidating(false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            final SAXParser parser = factory.newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            parser.parse(new InputSource(new StringReader(xml)), new Handler(config, baseDir, stack));
        }
        catch (final ConfigException ex)
        {
            throw ex;
        }
        catch (final SAXException ex)
        {
            if (ex.getCause() instanceof ConfigException)
            {
                throw (ConfigException)ex.getCause();
            }
            throw new ConfigException("Failed to parse " + name + ": " + ex.getMessage(), ex);
        }
        catch (final ParserConfigurationException | IOException ex)
        {
            throw new ConfigException("Failed to parse " + name + ": " + ex.getMessage(), ex);
        }
    }

    private static final class Frame
    {
        final String element;
        final StringBuilder text = new StringBuilder();
        int policyType = POLICY_IGNORED;
        long policyId;
        boolean ignoreMissing;
        boolean ifSelinuxEnabled;
        String limitName;

        Frame(final String element)
        {
            this.element = element;
        }
    }

    private final class Handler extends DefaultHandler
    {
        private final BusConfig config;
        private final Path baseDir;
        private final Deque<Path> stack;
        private final ArrayDeque<Frame> frames = new ArrayDeque<>();

        Handler(final BusConfig config, final Path baseDir, final Deque<Path> stack)
        {
            this.config = config;
            this.baseDir = baseDir;
            this.stack = stack;
        }

        public InputSource resolveEntity(final String publicId, final String systemId)
        {
            return new InputSource(new StringReader(""));
        }

        public void startElement(
            final String uri, final String localName, final String qName, final Attributes attributes)
        {
            final Frame parent = frames.peek();
            final Frame frame = new Frame(qName);
            if (null == parent)
            {
                if (!"busconfig".equals(qName))
                {
                    throw new ConfigException("Unknown element <" + qName + "> at root of configuration file");
                }
                checkNoAttributes(qName, attributes);
            }
            else if ("busconfig".equals(parent.element))
            {
                startBusconfigChild(frame, attributes);
            }
            else if ("policy".equals(parent.element))
            {
                if (!"allow".equals(qName) && !"deny".equals(qName))
                {
                    throw new ConfigException(
                        "Element <" + qName + "> not allowed inside <policy> in configuration file");
                }
                appendRule(parent, qName, attributes, "allow".equals(qName));
            }
            else if ("selinux".equals(parent.element))
            {
                if (!"associate".equals(qName))
                {
                    throw new ConfigException(
                        "Element <" + qName + "> not allowed inside <selinux> in configuration file");
                }
                final String own = attributes.getValue("own");
                final String context = attributes.getValue("context");
                checkAttributes(qName, attributes, List.of("own", "context"));
                if (null == own || null == context)
                {
                    throw new ConfigException("Element <associate> must have attributes own=\"<servicename>\" " +
                        "and context=\"<selinux context>\"");
                }
            }
            else
            {
                throw new ConfigException("Element <" + qName + "> is not allowed in this context");
            }
            frames.push(frame);
        }

        public void characters(final char[] ch, final int start, final int length)
        {
            final Frame frame = frames.peek();
            if (null != frame)
            {
                frame.text.append(ch, start, length);
            }
        }

        public void endElement(final String uri, final String localName, final String qName)
        {
            final Frame frame = frames.pop();
            final String text = frame.text.toString().trim();
            if (!CONTENT_ELEMENTS.contains(frame.element))
            {
                if (!text.isEmpty())
                {
                    throw new ConfigException("No text content expected inside XML element " + frame.element +
                        " in configuration file");
                }
                return;
            }
            if (text.isEmpty())
            {
                throw new ConfigException(
                    "XML element <" + frame.element + "> was expected to have content inside it");
            }
            content(frame, text);
        }

        private void content(final Frame frame, final String text)
        {
            switch (frame.element)
            {
                case "user":
                    config.user = text;
                    break;
                case "type":
                    config.type = text;
                    break;
                case "listen":
                    config.listen.add(text);
                    break;
                case "auth":
                    config.auth.add(text);
                    break;
                case "pidfile":
                    config.pidFile = text;
                    break;
                case "servicedir":
                    config.serviceDirs.add(resolve(text).toString());
                    break;
                case "servicehelper":
                    config.serviceHelper = resolve(text).toString();
                    break;
                case "include":
                    if (frame.ifSelinuxEnabled)
                    {
                        break; // SELinux is not supported: such includes never apply
                    }
                    include(resolve(text), frame.ignoreMissing);
                    break;
                case "includedir":
                    includeDir(resolve(text));
                    break;
                case "limit":
                    final long value;
                    try
                    {
                        value = Long.parseLong(text);
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw new ConfigException("<limit name=\"" + frame.limitName +
                            "\"> element has invalid value (could not parse as integer)");
                    }
                    config.limits.set(frame.limitName, value);
                    break;
                default:
                    break;
            }
        }

        private Path resolve(final String name)
        {
            final Path path = Path.of(name);
            return path.isAbsolute() ? path : baseDir.resolve(path);
        }

        private void include(final Path file, final boolean ignoreMissing)
        {
            final BusConfig included = new BusConfig();
            included.limits = config.limits;
            if (load(file, included, stack, ignoreMissing))
            {
                merge(included);
            }
        }

        private void includeDir(final Path dir)
        {
            final List<Path> files = new ArrayList<>();
            try (Stream<Path> entries = Files.list(dir))
            {
                entries.filter((p) -> p.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
            }
            catch (final NoSuchFileException ex)
            {
                return;
            }
            catch (final IOException ex)
            {
                throw new ConfigException("Failed to read directory \"" + dir + "\": " + ex.getMessage(), ex);
            }
            for (final Path file : files)
            {
                final BusConfig included = new BusConfig();
                included.limits = new BusLimits(config.limits);
                try
                {
                    if (load(file, included, stack, true))
                    {
                        merge(included);
                        config.limits = included.limits;
                    }
                }
                catch (final ConfigException ex)
                {
                    warn("Encountered error '" + ex.getMessage() + "' while parsing '" + file + "'");
                }
            }
        }

        private void merge(final BusConfig included)
        {
            config.policy.merge(included.policy);
            if (null != included.user)
            {
                config.user = included.user;
            }
            if (null != included.type)
            {
                config.type = included.type;
            }
            config.fork |= included.fork;
            config.keepUmask |= included.keepUmask;
            config.allowAnonymous |= included.allowAnonymous;
            config.syslog |= included.syslog;
            config.standardSessionServiceDirs |= included.standardSessionServiceDirs;
            config.standardSystemServiceDirs |= included.standardSystemServiceDirs;
            if (null != included.pidFile)
            {
                config.pidFile = included.pidFile;
            }
            if (null != included.serviceHelper)
            {
                config.serviceHelper = included.serviceHelper;
            }
            config.listen.addAll(included.listen);
            config.auth.addAll(included.auth);
            for (final String dir : included.serviceDirs)
            {
                if (!config.serviceDirs.contains(dir))
                {
                    config.serviceDirs.add(dir);
                }
            }
            config.includedFiles.addAll(included.includedFiles);
            config.warnings.addAll(included.warnings);
        }

        private void startBusconfigChild(final Frame frame, final Attributes attributes)
        {
            final String name = frame.element;
            if (!BUSCONFIG_CHILDREN.contains(name))
            {
                throw new ConfigException(
                    "Element <" + name + "> not allowed inside <busconfig> in configuration file");
            }
            switch (name)
            {
                case "include":
                {
                    checkAttributes(name, attributes,
                        List.of("ignore_missing", "if_selinux_enabled", "selinux_root_relative"));
                    frame.ignoreMissing = yesNo(attributes.getValue("ignore_missing"), "ignore_missing");
                    frame.ifSelinuxEnabled =
                        yesNo(attributes.getValue("if_selinux_enabled"), "if_selinux_enabled");
                    yesNo(attributes.getValue("selinux_root_relative"), "selinux_root_relative");
                    break;
                }
                case "policy":
                    startPolicy(frame, attributes);
                    break;
                case "limit":
                {
                    checkAttributes(name, attributes, List.of("name"));
                    frame.limitName = attributes.getValue("name");
                    if (null == frame.limitName)
                    {
                        throw new ConfigException("<limit> element must have a \"name\" attribute");
                    }
                    break;
                }
                case "apparmor":
                    checkAttributes(name, attributes, List.of("mode"));
                    break;
                default:
                    checkNoAttributes(name, attributes);
                    switch (name)
                    {
                        case "fork":
                            config.fork = true;
                            break;
                        case "syslog":
                            config.syslog = true;
                            break;
                        case "keep_umask":
                            config.keepUmask = true;
                            break;
                        case "allow_anonymous":
                            config.allowAnonymous = true;
                            break;
                        case "standard_session_servicedirs":
                            config.standardSessionServiceDirs = true;
                            break;
                        case "standard_system_servicedirs":
                            config.standardSystemServiceDirs = true;
                            break;
                        default:
                            break;
                    }
                    break;
            }
        }

        private boolean yesNo(final String value, final String attribute)
        {
            if (null == value || "no".equals(value))
            {
                return false;
            }
            if ("yes".equals(value))
            {
                return true;
            }
            throw new ConfigException(attribute + " attribute must have value \"yes\" or \"no\"");
        }

        private void startPolicy(final Frame frame, final Attributes attributes)
        {
            checkAttributes("policy", attributes, List.of("context", "user", "group", "at_console"));
            final String context = attributes.getValue("context");
            final String user = attributes.getValue("user");
            final String group = attributes.getValue("group");
            final String atConsole = attributes.getValue("at_console");
            final int count = (null != context ? 1 : 0) + (null != user ? 1 : 0) + (null != group ? 1 : 0) +
                (null != atConsole ? 1 : 0);
            if (count != 1)
            {
                throw new ConfigException(
                    "<policy> element must have exactly one of (context|user|group|at_console) attributes");
            }
            if (null != context)
            {
                if ("default".equals(context))
                {
                    frame.policyType = POLICY_DEFAULT;
                }
                else if ("mandatory".equals(context))
                {
                    frame.policyType = POLICY_MANDATORY;
                }
                else
                {
                    throw new ConfigException("context attribute on <policy> must have the value \"default\" " +
                        "or \"mandatory\", not \"" + context + "\"");
                }
            }
            else if (null != user)
            {
                final long uid = users.uid(user);
                if (uid == UserDatabase.UNKNOWN)
                {
                    warn("Unknown username \"" + user + "\" in message bus configuration file");
                }
                else
                {
                    frame.policyType = POLICY_USER;
                    frame.policyId = uid;
                }
            }
            else if (null != group)
            {
                final long gid = users.gid(group);
                if (gid == UserDatabase.UNKNOWN)
                {
                    warn("Unknown group \"" + group + "\" in message bus configuration file");
                }
                else
                {
                    frame.policyType = POLICY_GROUP;
                    frame.policyId = gid;
                }
            }
            else
            {
                if (!"true".equals(atConsole) && !"false".equals(atConsole))
                {
                    throw new ConfigException("Unknown value \"" + atConsole +
                        "\" for at_console in message bus configuration file");
                }
                warn("<policy at_console=\"" + atConsole + "\"> is not supported; its rules are ignored");
            }
        }

        private void appendRule(
            final Frame policy, final String element, final Attributes a, final boolean allow)
        {
            checkAttributes(element, a, RULE_ATTRIBUTES);
            final PolicyRule rule = parseRule(element, a, allow);
            if (null == rule)
            {
                return;
            }
            switch (policy.policyType)
            {
                case POLICY_DEFAULT:
                    config.policy.appendDefault(rule);
                    break;
                case POLICY_MANDATORY:
                    config.policy.appendMandatory(rule);
                    break;
                case POLICY_USER:
                    if (!rule.isPerClient())
                    {
                        throw new ConfigException(
                            "<" + element + "> rule cannot be per-user because it has bus-global semantics");
                    }
                    config.policy.appendUser(policy.policyId, rule);
                    break;
                case POLICY_GROUP:
                    if (!rule.isPerClient())
                    {
                        throw new ConfigException(
                            "<" + element + "> rule cannot be per-group because it has bus-global semantics");
                    }
                    config.policy.appendGroup(policy.policyId, rule);
                    break;
                default:
                    break; // ignored policy: drop the rule
            }
        }

        private PolicyRule parseRule(final String element, final Attributes a, final boolean allow)
        {
            final String sendInterface = a.getValue("send_interface");
            final String sendMember = a.getValue("send_member");
            final String sendError = a.getValue("send_error");
            final String sendDestination = a.getValue("send_destination");
            final String sendDestinationPrefix = a.getValue("send_destination_prefix");
            final String sendPath = a.getValue("send_path");
            final String sendType = a.getValue("send_type");
            final String sendBroadcast = a.getValue("send_broadcast");
            final String sendRequestedReply = a.getValue("send_requested_reply");
            final String receiveInterface = a.getValue("receive_interface");
            final String receiveMember = a.getValue("receive_member");
            final String receiveError = a.getValue("receive_error");
            final String receiveSender = a.getValue("receive_sender");
            final String receivePath = a.getValue("receive_path");
            final String receiveType = a.getValue("receive_type");
            final String receiveRequestedReply = a.getValue("receive_requested_reply");
            final String eavesdrop = a.getValue("eavesdrop");
            final String maxFdsAttr = a.getValue("max_fds");
            final String minFdsAttr = a.getValue("min_fds");
            final String own = a.getValue("own");
            final String ownPrefix = a.getValue("own_prefix");
            final String user = a.getValue("user");
            final String group = a.getValue("group");
            final String log = a.getValue("log");

            final boolean anySend = sendDestination != null || sendDestinationPrefix != null ||
                sendBroadcast != null || sendPath != null || sendType != null || sendInterface != null ||
                sendMember != null || sendError != null || sendRequestedReply != null;
            final boolean anyReceive = receiveSender != null || receivePath != null || receiveType != null ||
                receiveInterface != null || receiveMember != null || receiveError != null ||
                receiveRequestedReply != null || (!anySend && eavesdrop != null);
            final boolean anyMessage = anySend || anyReceive || eavesdrop != null || maxFdsAttr != null ||
                minFdsAttr != null;

            if (!(anySend || anyReceive || own != null || ownPrefix != null || user != null || group != null))
            {
                throw new ConfigException("Element <" + element + "> must have one or more attributes");
            }
            if ((sendMember != null && sendInterface == null && sendPath == null) ||
                (receiveMember != null && receiveInterface == null && receivePath == null))
            {
                throw new ConfigException("On element <" + element + ">, if you specify a member you must " +
                    "specify an interface or a path. Keep in mind that not all messages have an interface field.");
            }
            if ((anyMessage ? 1 : 0) + (own != null ? 1 : 0) + (ownPrefix != null ? 1 : 0) +
                (user != null ? 1 : 0) + (group != null ? 1 : 0) > 1)
            {
                throw new ConfigException("Invalid combination of attributes on element <" + element + ">: own, " +
                    "own_prefix, user, group and the message-related attributes cannot be combined");
            }
            if (anySend && anyReceive)
            {
                throw new ConfigException("Invalid combination of attributes on element <" + element + ">: " +
                    "send and receive attributes cannot be combined");
            }
            if ((sendMember != null || sendInterface != null) && sendError != null)
            {
                throw new ConfigException("Invalid combination of attributes on element <" + element + ">: " +
                    "send_error cannot be combined with send_member or send_interface");
            }
            if (sendDestination != null && sendDestinationPrefix != null)
            {
                throw new ConfigException("Invalid combination of attributes on element <" + element + ">: " +
                    "send_destination cannot be combined with send_destination_prefix");
            }
            if ((receiveMember != null || receiveInterface != null) && receiveError != null)
            {
                throw new ConfigException("Invalid combination of attributes on element <" + element + ">: " +
                    "receive_error cannot be combined with receive_member or receive_interface");
            }

            if (anySend)
            {
                final int type = messageType(wildcard(sendType));
                trueFalse("eavesdrop", eavesdrop, "eavesdrop", eavesdrop);
                trueFalse("send_broadcast", sendBroadcast, sendBroadcast, "send_broadcast");
                final String destination = wildcard(sendDestination);
                if (destination != null && "true".equals(sendBroadcast))
                {
                    throw new ConfigException("Rule with send_broadcast=\"true\" and send_destination=\"" +
                        destination + "\" cannot match anything");
                }
                trueFalse("send_requested_reply", sendRequestedReply, "send_requested_reply", sendRequestedReply);
                final int maxFds = intAttribute("max_fds", maxFdsAttr, PolicyRule.MAXIMUM_MESSAGE_UNIX_FDS);
                final int minFds = intAttribute("min_fds", minFdsAttr, 0);
                return PolicyRule.builder(PolicyRule.Kind.SEND, allow)
                    .messageType(type)
                    .path(wildcard(sendPath))
                    .interfaceName(wildcard(sendInterface))
                    .member(wildcard(sendMember))
                    .error(wildcard(sendError))
                    .name(null != destination ? destination : sendDestinationPrefix, null != sendDestinationPrefix)
                    .broadcast(null == sendBroadcast ? PolicyRule.BROADCAST_ANY :
                        "true".equals(sendBroadcast) ? PolicyRule.BROADCAST_TRUE : PolicyRule.BROADCAST_FALSE)
                    .eavesdrop("true".equals(eavesdrop))
                    .requestedReply("true".equals(sendRequestedReply))
                    .log("true".equals(log))
                    .fds(minFds, maxFds)
                    .build();
            }
            if (anyReceive)
            {
                final int type = messageType(wildcard(receiveType));
                trueFalse("eavesdrop", eavesdrop, "eavesdrop", eavesdrop);
                trueFalse("receive_requested_reply", receiveRequestedReply, "receive_requested_reply",
                    receiveRequestedReply);
                final int maxFds = intAttribute("max_fds", maxFdsAttr, PolicyRule.MAXIMUM_MESSAGE_UNIX_FDS);
                final int minFds = intAttribute("min_fds", minFdsAttr, 0);
                return PolicyRule.builder(PolicyRule.Kind.RECEIVE, allow)
                    .messageType(type)
                    .path(wildcard(receivePath))
                    .interfaceName(wildcard(receiveInterface))
                    .member(wildcard(receiveMember))
                    .error(wildcard(receiveError))
                    .name(wildcard(receiveSender), false)
                    .eavesdrop("true".equals(eavesdrop))
                    .requestedReply("true".equals(receiveRequestedReply))
                    .fds(minFds, maxFds)
                    .build();
            }
            if (own != null || ownPrefix != null)
            {
                return PolicyRule.builder(PolicyRule.Kind.OWN, allow)
                    .name(null != own ? wildcard(own) : ownPrefix, null == own)
                    .build();
            }
            if (user != null)
            {
                if ("*".equals(user))
                {
                    return PolicyRule.builder(PolicyRule.Kind.USER, allow).id(PolicyRule.ANY_ID).build();
                }
                final long uid = users.uid(user);
                if (uid == UserDatabase.UNKNOWN)
                {
                    warn("Unknown username \"" + user + "\" on element <" + element + ">");
                    return null;
                }
                return PolicyRule.builder(PolicyRule.Kind.USER, allow).id(uid).build();
            }
            if ("*".equals(group))
            {
                return PolicyRule.builder(PolicyRule.Kind.GROUP, allow).id(PolicyRule.ANY_ID).build();
            }
            final long gid = users.gid(group);
            if (gid == UserDatabase.UNKNOWN)
            {
                warn("Unknown group \"" + group + "\" on element <" + element + ">");
                return null;
            }
            return PolicyRule.builder(PolicyRule.Kind.GROUP, allow).id(gid).build();
        }

        private int messageType(final String name)
        {
            if (null == name)
            {
                return MessageType.INVALID;
            }
            final int type = MessageType.fromString(name);
            if (type == MessageType.INVALID)
            {
                throw new ConfigException("Bad message type \"" + name + "\"");
            }
            return type;
        }

        /** Mirrors dbus-daemon's message, whose two %s arguments are not always in the same order. */
        private void trueFalse(final String attr, final String value, final String first, final String second)
        {
            if (null != value && !"true".equals(value) && !"false".equals(value))
            {
                throw new ConfigException("Bad value \"" + first + "\" for " + second +
                    " attribute, must be true or false");
            }
        }

        private int intAttribute(final String name, final String value, final int def)
        {
            if (null == value)
            {
                return def;
            }
            try
            {
                final long v = Long.decode(value.trim());
                if (v >= 0 && v <= PolicyRule.MAXIMUM_MESSAGE_UNIX_FDS)
                {
                    return (int)v;
                }
            }
            catch (final NumberFormatException ignore)
            {
                // reported below
            }
            throw new ConfigException("Bad value \"" + value + "\" for " + name + " attribute, must be an " +
                "integer in range 0 to " + PolicyRule.MAXIMUM_MESSAGE_UNIX_FDS + " inclusive");
        }

        private void checkNoAttributes(final String element, final Attributes attributes)
        {
            if (attributes.getLength() > 0)
            {
                throw new ConfigException("Attribute \"" + attributes.getQName(0) + "\" is invalid on <" +
                    element + "> element in this context");
            }
        }

        private void checkAttributes(final String element, final Attributes attributes, final List<String> allowed)
        {
            final Set<String> seen = new HashSet<>();
            for (int i = 0; i < attributes.getLength(); i++)
            {
                final String name = attributes.getQName(i);
                if (!allowed.contains(name))
                {
                    throw new ConfigException(
                        "Attribute \"" + name + "\" is invalid on <" + element + "> element in this context");
                }
                if (!seen.add(name))
                {
                    throw new ConfigException(
                        "Attribute \"" + name + "\" repeated twice on the same <" + element + "> element");
                }
            }
        }

        private void warn(final String message)
        {
            LOG.warn("{}", message);
            config.warnings.add(message);
        }
    }

    private static String wildcard(final String value)
    {
        return "*".equals(value) ? null : value;
    }
}
