package org.omnibus.codec.dbus;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DBusSignaturesTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "", "y", "ybnqiuxtdhsogv", "ai", "aai", "a(ii)", "a{sv}", "a{ya{sv}}", "(i(ii))", "a{s(ia{sv})}", "sa{sv}as",
        "(v)", "a{hv}", "a{ov}", "a{gv}", "a{db}"
    })
    void validSignatures(final String signature)
    {
        assertThat(DBusSignatures.isValid(signature)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "a, SIGNATURE_MISSING_ARRAY_ELEMENT",
        "aa, SIGNATURE_MISSING_ARRAY_ELEMENT",
        "(a), SIGNATURE_MISSING_ARRAY_ELEMENT",
        "(), SIGNATURE_EMPTY_STRUCT",
        "(i, SIGNATURE_UNBALANCED_STRUCT",
        "i), SIGNATURE_UNBALANCED_STRUCT",
        "{sv}, SIGNATURE_DICT_ENTRY_OUTSIDE_ARRAY",
        "(a{sv}{sv}), SIGNATURE_DICT_ENTRY_OUTSIDE_ARRAY",
        "a{s}, SIGNATURE_BAD_DICT_ENTRY",
        "a{}, SIGNATURE_BAD_DICT_ENTRY",
        "a{sii}, SIGNATURE_BAD_DICT_ENTRY",
        "a{sv, SIGNATURE_BAD_DICT_ENTRY",
        "a{vs}, SIGNATURE_DICT_KEY_NOT_BASIC",
        "a{(i)s}, SIGNATURE_DICT_KEY_NOT_BASIC",
        "a{ais}, SIGNATURE_DICT_KEY_NOT_BASIC",
        "r, SIGNATURE_UNKNOWN_TYPE",
        "e, SIGNATURE_UNKNOWN_TYPE",
        "i z, SIGNATURE_UNKNOWN_TYPE",
        "}, SIGNATURE_BAD_DICT_ENTRY"
    })
    void invalidSignatures(final String signature, final DBusRule rule)
    {
        assertThatThrownBy(() -> validate(signature))
            .isInstanceOfSatisfying(DBusCodecException.class, ex -> assertThat(ex.rule()).isEqualTo(rule));
        assertThat(DBusSignatures.isValid(signature)).isFalse();
    }

    @Test
    void reportsTheOffsetOfTheFault()
    {
        assertThatThrownBy(() -> validate("iiaz"))
            .isInstanceOfSatisfying(DBusCodecException.class, ex -> assertThat(ex.offset()).isEqualTo(3));
    }

    @Test
    void atMost32NestedArraysAnd32NestedStructs()
    {
        validate("a".repeat(32) + "i");
        expect("a".repeat(33) + "i", DBusRule.SIGNATURE_ARRAY_TOO_DEEP);
        validate("(".repeat(32) + "i" + ")".repeat(32));
        expect("(".repeat(33) + "i" + ")".repeat(33), DBusRule.SIGNATURE_STRUCT_TOO_DEEP);
        validate("a(".repeat(32) + "i" + ")".repeat(32));
        expect("a(".repeat(32) + "ai" + ")".repeat(32), DBusRule.SIGNATURE_ARRAY_TOO_DEEP);
        validate("a{sa{sa{sa{sv}}}}");
    }

    @Test
    void atMost255Bytes()
    {
        validate("i".repeat(255));
        expect("i".repeat(256), DBusRule.SIGNATURE_TOO_LONG);
    }

    @Test
    void variantSignatureIsOneCompleteType()
    {
        assertThat(DBusSignatures.isSingleCompleteType("i")).isTrue();
        assertThat(DBusSignatures.isSingleCompleteType("a{sv}")).isTrue();
        assertThat(DBusSignatures.isSingleCompleteType("(ii)")).isTrue();
        assertThat(DBusSignatures.isSingleCompleteType("")).isFalse();
        assertThat(DBusSignatures.isSingleCompleteType("ii")).isFalse();
        assertThat(DBusSignatures.isSingleCompleteType("aa")).isFalse();
    }

    @Test
    void skipsCompleteTypes()
    {
        final UnsafeBuffer sig = new UnsafeBuffer("ia{s(ai)}(yv)aaix".getBytes(StandardCharsets.US_ASCII));
        assertThat(DBusSignatures.skipCompleteType(sig, 0)).isEqualTo(1);
        assertThat(DBusSignatures.skipCompleteType(sig, 1)).isEqualTo(9);
        assertThat(DBusSignatures.skipCompleteType(sig, 9)).isEqualTo(13);
        assertThat(DBusSignatures.skipCompleteType(sig, 13)).isEqualTo(16);
        assertThat(DBusValues.skipCompleteType("ia{s(ai)}(yv)aaix", 1)).isEqualTo(9);
    }

    @Test
    void alignmentsAndBasicTypes()
    {
        assertThat(DBusSignatures.alignment('y')).isEqualTo(1);
        assertThat(DBusSignatures.alignment('g')).isEqualTo(1);
        assertThat(DBusSignatures.alignment('v')).isEqualTo(1);
        assertThat(DBusSignatures.alignment('n')).isEqualTo(2);
        assertThat(DBusSignatures.alignment('b')).isEqualTo(4);
        assertThat(DBusSignatures.alignment('a')).isEqualTo(4);
        assertThat(DBusSignatures.alignment('s')).isEqualTo(4);
        assertThat(DBusSignatures.alignment('h')).isEqualTo(4);
        assertThat(DBusSignatures.alignment('t')).isEqualTo(8);
        assertThat(DBusSignatures.alignment('(')).isEqualTo(8);
        assertThat(DBusSignatures.alignment('{')).isEqualTo(8);
        assertThat(DBusSignatures.isBasic('h')).isTrue();
        assertThat(DBusSignatures.isBasic('v')).isFalse();
        assertThat(DBusSignatures.fixedSize('x')).isEqualTo(8);
        assertThat(DBusSignatures.fixedSize('s')).isZero();
    }

    private static void expect(final String signature, final DBusRule rule)
    {
        assertThatThrownBy(() -> validate(signature))
            .isInstanceOfSatisfying(DBusCodecException.class, ex -> assertThat(ex.rule()).isEqualTo(rule));
    }

    private static void validate(final String signature)
    {
        final byte[] bytes = signature.getBytes(StandardCharsets.US_ASCII);
        DBusSignatures.validate(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
