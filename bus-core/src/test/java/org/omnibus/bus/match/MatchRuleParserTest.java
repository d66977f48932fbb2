package org.omnibus.bus.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omnibus.bus.DBusErrors;
import org.omnibus.bus.MessageType;

/**
 * Parsing as dbus-daemon 1.14 does; the expected error texts were checked against a running dbus-daemon.
 */
class MatchRuleParserTest
{
    private static MatchRule parse(final String text) throws MatchRuleException
    {
        return MatchRuleParser.parse(text);
    }

    private static void invalid(final String text, final String message)
    {
        assertThatThrownBy(() -> parse(text))
            .isInstanceOf(MatchRuleException.class)
            .hasMessage(message)
            .satisfies((e) -> assertThat(((MatchRuleException)e).errorName()).isEqualTo(DBusErrors.MATCH_RULE_INVALID));
    }

    @Test
    void everyKey() throws Exception
    {
        final MatchRule rule = parse("type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus'," +
            "member='NameOwnerChanged',path='/org/freedesktop/DBus',destination=':1.5',arg0='com.x'," +
            "arg1path='/a/',arg63='last',eavesdrop='true'");
        assertThat(rule.messageType()).isEqualTo(MessageType.SIGNAL);
        assertThat(rule.sender()).isEqualTo("org.freedesktop.DBus");
        assertThat(rule.interfaceName()).isEqualTo("org.freedesktop.DBus");
        assertThat(rule.member()).isEqualTo("NameOwnerChanged");
        assertThat(rule.path()).isEqualTo("/org/freedesktop/DBus");
        assertThat(rule.isPathNamespace()).isFalse();
        assertThat(rule.destination()).isEqualTo(":1.5");
        assertThat(rule.arg(0)).isEqualTo("com.x");
        assertThat(rule.arg(1)).isEqualTo("/a/");
        assertThat(rule.isArgPath(1)).isTrue();
        assertThat(rule.arg(2)).isNull();
        assertThat(rule.arg(63)).isEqualTo("last");
        assertThat(rule.argCount()).isEqualTo(64);
        assertThat(rule.isEavesdropping()).isTrue();
    }

    @Test
    void pathNamespaceAndArg0Namespace() throws Exception
    {
        final MatchRule rule = parse("path_namespace='/org/x',arg0namespace='com.example'");
        assertThat(rule.isPathNamespace()).isTrue();
        assertThat(rule.path()).isEqualTo("/org/x");
        assertThat(rule.isArgNamespace(0)).isTrue();
        assertThat(parse("arg0namespace='com'").arg(0)).isEqualTo("com");
        // a unique name passes libdbus' namespace check too
        assertThat(parse("arg0namespace=':1.2'").arg(0)).isEqualTo(":1.2");
    }

    @Test
    void emptyRulesAndWhitespace() throws Exception
    {
        assertThat(parse("").toString()).isEmpty();
        assertThat(parse("   ").toString()).isEmpty();
        assertThat(parse(" type ='signal', member='A'").member()).isEqualTo("A");
        // whitespace after a value belongs to it
        assertThatThrownBy(() -> parse("member='A' ")).hasMessage("Member name 'A ' is invalid\n");
    }

    @Test
    void quotingAndEscapes() throws Exception
    {
        // unquoted
        assertThat(parse("arg0=abc").arg(0)).isEqualTo("abc");
        // quoted parts concatenate with unquoted ones
        assertThat(parse("arg0=ab'c,d'e").arg(0)).isEqualTo("abc,de");
        // \' outside quotes is a literal quote
        assertThat(parse("arg0=it\\'s").arg(0)).isEqualTo("it's");
        // the shell idiom: close quote, escaped quote, reopen
        assertThat(parse("arg0='don'\\''t'").arg(0)).isEqualTo("don't");
        // other backslashes stay as they are
        assertThat(parse("arg0=a\\b").arg(0)).isEqualTo("a\\b");
        assertThat(parse("arg0=a\\\\b").arg(0)).isEqualTo("a\\\\b");
        // inside quotes a backslash is literal
        assertThat(parse("arg0='a\\b'").arg(0)).isEqualTo("a\\b");
        // a trailing backslash is kept
        assertThat(parse("arg0=ab\\").arg(0)).isEqualTo("ab\\");
        // a backslash takes the next character with it, even a comma, which then does not end the value
        assertThat(parse("arg0=a\\,arg1=b").arg(0)).isEqualTo("a\\,arg1=b");
        // spaces in values are kept, quoted or not
        assertThat(parse("arg0=' x '").arg(0)).isEqualTo(" x ");
        assertThat(parse("arg0= x ").arg(0)).isEqualTo(" x ");
        // empty values
        assertThat(parse("arg0=''").arg(0)).isEmpty();
        assertThat(parse("arg0=").arg(0)).isEmpty();
        // non-ASCII
        assertThat(parse("arg0='h\u00e9llo \u20ac'").arg(0)).isEqualTo("h\u00e9llo \u20ac");
    }

    @Test
    void errorsAsDbusDaemonReportsThem()
    {
        invalid("foo", "Match rule has a key with no subsequent '=' character");
        invalid("type='signal", "Unbalanced quotation marks in match rule");
        invalid("type='bogus'", "Invalid message type (bogus) in match rule\n");
        invalid("type= 'signal'", "Invalid message type ( signal) in match rule\n");
        invalid("type='signal' , member='x'", "Invalid message type (signal ) in match rule\n");
        invalid("type='signal',type='error'", "Key type specified twice in match rule\n");
        invalid("sender='a'", "Sender name 'a' is invalid\n");
        invalid("sender='a.b',sender='c.d'", "Key sender specified twice in match rule\n");
        invalid("interface='a'", "Interface name 'a' is invalid\n");
        invalid("interface='a.b',interface='a.b'", "Key interface specified twice in match rule\n");
        invalid("member='a.b'", "Member name 'a.b' is invalid\n");
        invalid("member=a\\", "Member name 'a\\' is invalid\n");
        invalid("member='A',member='B'", "Key member specified twice in match rule\n");
        invalid("path='/a/'", "Path '/a/' is invalid\n");
        invalid("path_namespace='a'", "Path 'a' is invalid\n");
        invalid("path='/a',path_namespace='/b'", "path or path_namespace specified twice in match rule\n");
        invalid("destination='1a.b'", "Destination name '1a.b' is invalid\n");
        invalid("destination=':1.1',destination='x.y'", "Key destination specified twice in match rule\n");
        invalid("eavesdrop='yes'", "eavesdrop='yes' is invalid, it should be 'true' or 'false'\n");
        invalid("bogus='1'", "Unknown key \"bogus\" in match rule");
        invalid("arg='x'", "Key 'arg' in match rule starts with 'arg' but lacks an arg number. Should be 'arg0' or " +
            "'arg7' for example.\n");
        invalid("argx='x'", "Key 'argx' in match rule starts with 'arg' but could not parse arg number. Should be " +
            "'arg0' or 'arg7' for example.\n");
        invalid("arg9999999999999999999999='x'", "Key 'arg9999999999999999999999' in match rule starts with 'arg' " +
            "but could not parse arg number. Should be 'arg0' or 'arg7' for example.\n");
        invalid("arg64='a'", "Key 'arg64' in match rule has arg number 64 but the maximum is 63.\n");
        invalid("arg-1='a'", "Key 'arg-1' in match rule has arg number 18446744073709551615 but the maximum is 63.\n");
        invalid("arg1namespace='a'", "Key 'arg1namespace' in match rule contains junk after argument number (1). " +
            "Only 'arg1path' (for example) or 'arg0namespace' are valid");
        invalid("arg2foo='a'", "Key 'arg2foo' in match rule contains junk after argument number (2). " +
            "Only 'arg2path' (for example) or 'arg0namespace' are valid");
        invalid("arg0namespace='a.'", "arg0namespace='a.' is not a valid prefix of a bus name");
        invalid("arg0namespace='1a'", "arg0namespace='1a' is not a valid prefix of a bus name");
        invalid("arg3='a',arg3='b'", "Argument arg3 matched more than once in match rule\n");
        invalid("arg3='a',arg3path='b'", "Argument arg3path matched more than once in match rule\n");
    }

    @Test
    void syntaxErrorsWinOverBadValues()
    {
        invalid("type='bogus',member='x", "Unbalanced quotation marks in match rule");
        invalid("type='bogus',foo", "Match rule has a key with no subsequent '=' character");
    }

    @Test
    void tooLongIsLimitsExceeded()
    {
        final String text = "arg0='" + "x".repeat(1020) + "'";
        assertThatThrownBy(() -> parse(text))
            .hasMessage("Match rule text is 1027 bytes, maximum is 1024")
            .satisfies((e) -> assertThat(((MatchRuleException)e).errorName()).isEqualTo(DBusErrors.LIMITS_EXCEEDED));
    }

    @Test
    void argNumbersAreReadLikeStrtoulBaseZero() throws Exception
    {
        assertThat(parse("arg010='a'").arg(8)).isEqualTo("a");
        assertThat(parse("arg0x1='a'").arg(1)).isEqualTo("a");
        assertThat(parse("arg0X1f='a'").arg(31)).isEqualTo("a");
        assertThat(parse("arg+3='a'").arg(3)).isEqualTo("a");
        assertThat(parse("arg0x2path='/a'").isArgPath(2)).isTrue();
        // "0x" not followed by a hex digit reads as 0 followed by junk
        invalid("arg0xg='a'", "Key 'arg0xg' in match rule contains junk after argument number (0). " +
            "Only 'arg0path' (for example) or 'arg0namespace' are valid");
    }

    @Test
    void emptyKeyEndsTheRuleAndSixteenPairsAtMost() throws Exception
    {
        // '=' with no key: nothing after it is read
        assertThat(parse("=foo").toString()).isEmpty();
        final MatchRule rule = parse("type='signal',=x,member='Foo'");
        assertThat(rule.messageType()).isEqualTo(MessageType.SIGNAL);
        assertThat(rule.member()).isNull();

        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 17; i++)
        {
            sb.append("arg").append(i).append("='v").append(i).append("',");
        }
        sb.append("bogus='ignored'");
        final MatchRule many = parse(sb.toString());
        assertThat(many.arg(15)).isEqualTo("v15");
        assertThat(many.arg(16)).isNull();
    }

    @Test
    void eavesdropFalseIsLikeNoEavesdrop() throws Exception
    {
        assertThat(parse("type='signal',eavesdrop='false'")).isEqualTo(parse("type='signal'"));
        assertThat(parse("eavesdrop='true',eavesdrop='false'").isEavesdropping()).isFalse();
        assertThat(parse("type='signal',eavesdrop='true'")).isNotEqualTo(parse("type='signal'"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "type='signal',member='A'|member='A',type='signal'",
        "arg0='x'|arg0=x",
        "path='/a'|path=/a",
        "sender=':1.1'|sender=:1.1",
    })
    void equalityIsByValue(final String a, final String b) throws Exception
    {
        assertThat(parse(a)).isEqualTo(parse(b)).hasSameHashCodeAs(parse(b));
    }

    @Test
    void differentKeysAreDifferentRules() throws Exception
    {
        assertThat(parse("arg0='x'")).isNotEqualTo(parse("arg0path='x'"));
        assertThat(parse("path='/a'")).isNotEqualTo(parse("path_namespace='/a'"));
        assertThat(parse("arg1='x'")).isNotEqualTo(parse("arg2='x'"));
        assertThat(parse("type='signal'")).isNotEqualTo(parse("type='error'"));
    }

    @Test
    void canonicalTextParsesBackToTheSameRule() throws Exception
    {
        final MatchRule rule = parse("type='signal',sender='a.b',interface='c.d',member='E',path_namespace='/f'," +
            "destination=':1.2',eavesdrop='true',arg0namespace='g.h',arg2='it'\\''s',arg3path='/j/'");
        assertThat(parse(rule.toString())).isEqualTo(rule);
    }
}
