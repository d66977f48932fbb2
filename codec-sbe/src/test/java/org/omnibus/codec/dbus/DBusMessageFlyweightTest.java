package org.omnibus.codec.dbus;

import org.agrona.AsciiSequenceView;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One test (at least) per rule the reader enforces.
 */
class DBusMessageFlyweightTest
{
    private final DBusMessageFlyweight message = new DBusMessageFlyweight();

    // ------------------------------------------------------------------ accepted messages and accessors

    @ParameterizedTest
    @EnumSource(Order.class)
    void readsEveryHeaderField(final Order order)
    {
        final byte[] bytes = DBusMessageBuilder.methodCall("org.example.Dest", "/org/example", "org.example.I", "Do")
            .byteOrder(order.order).serial(0xFFFF_FFF0L).flags(0x80 | DBusProtocol.FLAG_NO_REPLY_EXPECTED)
            .sender(":1.9").unixFds(2).body("sh", "x", new DBusUnixFd(1)).build();
        wrap(bytes);
        assertThat(message.byteOrder()).isEqualTo(order.order);
        assertThat(message.endianness()).isEqualTo(order.order == ByteOrder.LITTLE_ENDIAN ? (byte)'l' : (byte)'B');
        assertThat(message.type()).isEqualTo(DBusProtocol.TYPE_METHOD_CALL);
        assertThat(message.flags()).isEqualTo(0x81);
        assertThat(message.noReplyExpected()).isTrue();
        assertThat(message.serial()).isEqualTo(0xFFFF_FFF0L);
        assertThat(message.unixFds()).isEqualTo(2);
        assertThat(message.replySerial()).isZero();
        assertThat(message.path()).isEqualTo("/org/example");
        assertThat(message.interfaceName()).isEqualTo("org.example.I");
        assertThat(message.member()).isEqualTo("Do");
        assertThat(message.destination()).isEqualTo("org.example.Dest");
        assertThat(message.sender()).isEqualTo(":1.9");
        assertThat(message.errorName()).isNull();
        assertThat(message.signature()).isEqualTo("sh");
        assertThat(message.bodyValidated()).isTrue();
        assertThat(message.length()).isEqualTo(bytes.length);
        assertThat((message.bodyOffset() - message.offset()) % 8).isZero();
        assertThat(message.bodyOffset() + message.bodyLength()).isEqualTo(bytes.length);
        assertThat(message.toString()).contains("method_call", "member=Do", "unix_fds=2");
    }

    @Test
    void stringFieldHelpersAllocateNothingAndAgreeWithStrings()
    {
        wrap(DBusMessageBuilder.signal("/a/b", "org.example.Iface", "Changed").build());
        assertThat(message.fieldEquals(DBusHeaderField.INTERFACE, "org.example.Iface")).isTrue();
        assertThat(message.fieldEquals(DBusHeaderField.INTERFACE, "org.example.Ifacf")).isFalse();
        assertThat(message.fieldEquals(DBusHeaderField.INTERFACE, "org.example.If")).isFalse();
        assertThat(message.fieldEquals(DBusHeaderField.INTERFACE, "org.example.Ifaceé")).isFalse();
        assertThat(message.fieldEquals(DBusHeaderField.DESTINATION, "")).isFalse();
        assertThat(message.fieldEquals(DBusHeaderField.REPLY_SERIAL, "1")).isFalse();
        assertThat(message.fieldHash(DBusHeaderField.MEMBER)).isEqualTo("Changed".hashCode());
        assertThat(message.fieldHash(DBusHeaderField.SENDER)).isZero();
        assertThat(message.fieldLength(DBusHeaderField.PATH)).isEqualTo(4);
        assertThat(message.fieldOffset(DBusHeaderField.SENDER)).isEqualTo(-1);
        assertThat(message.hasField(DBusHeaderField.SIGNATURE)).isFalse();
        assertThat(message.signature()).isEmpty();
        assertThat(message.signatureLength()).isZero();

        final UnsafeBuffer other = new UnsafeBuffer("xxChanged".getBytes(StandardCharsets.US_ASCII));
        assertThat(message.fieldEquals(DBusHeaderField.MEMBER, other, 2, 7)).isTrue();
        assertThat(message.fieldEquals(DBusHeaderField.MEMBER, other, 1, 7)).isFalse();

        final ExpandableArrayBuffer copy = new ExpandableArrayBuffer();
        assertThat(message.getField(DBusHeaderField.PATH, copy, 3)).isEqualTo(4);
        assertThat(copy.getStringWithoutLengthAscii(3, 4)).isEqualTo("/a/b");
        assertThat(message.getField(DBusHeaderField.SENDER, copy, 0)).isZero();

        final AsciiSequenceView view = new AsciiSequenceView();
        assertThat(message.fieldView(DBusHeaderField.INTERFACE, view).toString()).isEqualTo("org.example.Iface");
        assertThat(message.fieldView(DBusHeaderField.DESTINATION, view).length()).isZero();
    }

    @Test
    void fieldElementsAreEightAlignedAndBoundTheField()
    {
        wrap(DBusMessageBuilder.signal("/a/b", "org.example.Iface", "Changed").sender(":1.1").build());
        for (int code = 1; code < DBusHeaderField.KNOWN_COUNT; code++)
        {
            if (message.hasField(code))
            {
                assertThat(message.fieldElementStart(code) % 8).isZero();
                assertThat(message.buffer().getByte(message.fieldElementStart(code))).isEqualTo((byte)code);
                if (DBusHeaderField.isStringField(code))
                {
                    assertThat(message.fieldElementEnd(code))
                        .isEqualTo(message.fieldOffset(code) + message.fieldLength(code) + 1);
                }
            }
        }
        assertThat(message.fieldElementEnd(DBusHeaderField.SENDER)).isEqualTo(message.headerFieldsEnd());
    }

    @Test
    void alignmentIsRelativeToTheMessageStartNotTheBuffer()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/a", "a.b", "C").body("yxs", (byte)1, 2L, "z").build();
        for (int offset = 0; offset < 8; offset++)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 8]);
            buffer.putBytes(offset, bytes);
            message.wrap(buffer, offset, bytes.length);
            assertThat(DBusValues.readBody(message)).containsExactly((byte)1, 2L, "z");
        }
    }

    @Test
    void unknownMessageTypesAreValidWithoutRequiredFields()
    {
        wrap(new DBusMessageBuilder(9).build());
        assertThat(message.type()).isEqualTo(9);
    }

    @Test
    void unknownHeaderFieldsAreValidatedThenIgnored()
    {
        wrap(DBusMessageBuilder.signal("/a", "a.b", "C").unknownField(200, "a{sv}", Map.of("k", 1)).build());
        assertThat(message.member()).isEqualTo("C");
        final byte[] bytes = DBusMessageBuilder.signal("/a", "a.b", "C").unknownField(200, "u", 2).build();
        final int variant = indexOf(bytes, "\u00c8\u0001u") + 2;
        expectAt(patch(bytes, variant, 'b'), DBusRule.BAD_BOOLEAN, variant + 2);
    }

    @Test
    void wrapHeaderLeavesTheBodyUnchecked()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/a", "a.b", "C").rawBody("b", le(2)).buildUnvalidated();
        expect(bytes, DBusRule.BAD_BOOLEAN);
        message.wrapHeader(new UnsafeBuffer(bytes), 0, bytes.length);
        assertThat(message.bodyValidated()).isFalse();
        assertThat(message.isValid()).isTrue();
    }

    @Test
    void aRememberedHeaderIsOnlyReusedForTheSameBytes()
    {
        final List<byte[]> messages = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * DBusHeaderCache.ENTRIES + 1; i++)
        {
            messages.add(DBusMessageBuilder.signal("/a/n" + i, "a.b", "C" + i).sender(":1." + i).serial(i + 1)
                .byteOrder(i % 2 == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).body("u", (long)i).build());
        }
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < messages.size(); i++)
            {
                final byte[] bytes = messages.get(i);
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + round]);
                buffer.putBytes(round, bytes);
                message.wrap(buffer, round, bytes.length);
                assertThat(message.member()).isEqualTo("C" + i);
                assertThat(message.path()).isEqualTo("/a/n" + i);
                assertThat(message.sender()).isEqualTo(":1." + i);
                assertThat(message.fieldElementStart(DBusHeaderField.PATH)).isEqualTo(round + 16);
                assertThat(DBusValues.readBody(message)).containsExactly((long)i);

                final byte[] broken = bytes.clone();
                broken[indexOf(broken, "C" + i)] = '9';
                expect(broken, DBusRule.BAD_MEMBER_NAME);
            }
        }
    }

    @Test
    void theSameFieldsInTheOtherByteOrderAreValidatedAgain()
    {
        final byte[] little = DBusMessageBuilder.methodReturn(7).build();
        wrap(little);
        final byte[] big = little.clone();
        big[0] = 'B';
        new UnsafeBuffer(big).putInt(12, new UnsafeBuffer(little).getInt(12, ByteOrder.LITTLE_ENDIAN),
            ByteOrder.BIG_ENDIAN);
        wrap(big);
        assertThat(message.replySerial()).isEqualTo(0x0700_0000L);
    }

    // ------------------------------------------------------------------ fixed header

    @Test
    void fixedHeaderRules()
    {
        final byte[] ok = DBusMessageBuilder.signal("/a", "a.b", "C").build();
        expectAt(patch(ok, 0, 'x'), DBusRule.BAD_ENDIANNESS, 0);
        expectAt(patch(ok, 3, 2), DBusRule.BAD_PROTOCOL_VERSION, 3);
        expectAt(new DBusMessageBuilder(0).buildUnvalidated(), DBusRule.BAD_MESSAGE_TYPE, 1);
        expectAt(DBusMessageBuilder.signal("/a", "a.b", "C").serial(0).buildUnvalidated(), DBusRule.ZERO_SERIAL, 8);

        final UnsafeBuffer buffer = new UnsafeBuffer(ok);
        assertThatThrownBy(() -> message.wrap(buffer, 0, ok.length - 1)).satisfies(rule(DBusRule.TRUNCATED));
        assertThatThrownBy(() -> message.wrap(buffer, 0, 15)).satisfies(rule(DBusRule.TRUNCATED));
        assertThatThrownBy(() -> message.wrap(buffer, 0, -1)).satisfies(rule(DBusRule.TRUNCATED));
        final UnsafeBuffer longer = new UnsafeBuffer(new byte[ok.length + 1]);
        longer.putBytes(0, ok);
        assertThatThrownBy(() -> message.wrap(longer, 0, ok.length + 1)).satisfies(rule(DBusRule.TRAILING_BYTES));
        assertThat(message.isValid()).isFalse();

        final byte[] huge = ok.clone();
        new UnsafeBuffer(huge).putInt(4, DBusProtocol.MAX_MESSAGE_LENGTH, ByteOrder.LITTLE_ENDIAN);
        expect(huge, DBusRule.MESSAGE_TOO_LONG);
    }

    // ------------------------------------------------------------------ header fields

    @Test
    void requiredFieldsPerMessageType()
    {
        expect(new DBusMessageBuilder(1).member("M").buildUnvalidated(), DBusRule.MISSING_PATH);
        expect(new DBusMessageBuilder(1).path("/a").buildUnvalidated(), DBusRule.MISSING_MEMBER);
        wrap(new DBusMessageBuilder(1).path("/a").member("M").build());
        expect(new DBusMessageBuilder(2).buildUnvalidated(), DBusRule.MISSING_REPLY_SERIAL);
        wrap(new DBusMessageBuilder(2).replySerial(5).build());
        expect(new DBusMessageBuilder(3).replySerial(5).buildUnvalidated(), DBusRule.MISSING_ERROR_NAME);
        expect(new DBusMessageBuilder(3).errorName("a.b").buildUnvalidated(), DBusRule.MISSING_REPLY_SERIAL);
        wrap(new DBusMessageBuilder(3).errorName("a.b").replySerial(5).build());
        expect(new DBusMessageBuilder(4).interfaceName("a.b").member("C").buildUnvalidated(), DBusRule.MISSING_PATH);
        expect(new DBusMessageBuilder(4).path("/a").member("C").buildUnvalidated(), DBusRule.MISSING_INTERFACE);
        expect(new DBusMessageBuilder(4).path("/a").interfaceName("a.b").buildUnvalidated(), DBusRule.MISSING_MEMBER);
    }

    @Test
    void replySerialMustNotBeZero()
    {
        expect(DBusMessageBuilder.methodReturn(0).buildUnvalidated(), DBusRule.ZERO_REPLY_SERIAL);
    }

    @Test
    void knownFieldsAppearOnceWithTheirType()
    {
        expect(header(e -> e.path("/a").path("/b").member("M")), DBusRule.HEADER_FIELD_DUPLICATE);
        expect(header(e -> e.field(DBusHeaderField.PATH, "s", "/a").member("M")), DBusRule.HEADER_FIELD_WRONG_TYPE);
        expect(header(e -> e.path("/a").member("M").field(DBusHeaderField.REPLY_SERIAL, "i", 3)),
            DBusRule.HEADER_FIELD_WRONG_TYPE);
        expect(header(e -> e.path("/a").member("M").field(DBusHeaderField.SIGNATURE, "s", "i")),
            DBusRule.HEADER_FIELD_WRONG_TYPE);
        expect(header(e -> e.path("/a").member("M").field(0, "s", "x")), DBusRule.HEADER_FIELD_INVALID_CODE);
        wrap(header(e -> e.path("/a").member("M").field(77, "s", "x").field(77, "u", 1)));
    }

    @Test
    void namesInTheHeaderAreChecked()
    {
        expect(DBusMessageBuilder.signal("/a/", "a.b", "C").buildUnvalidated(), DBusRule.BAD_OBJECT_PATH);
        expect(DBusMessageBuilder.signal("/a", "ab", "C").buildUnvalidated(), DBusRule.BAD_INTERFACE_NAME);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C.D").buildUnvalidated(), DBusRule.BAD_MEMBER_NAME);
        expect(DBusMessageBuilder.error(1, "a").buildUnvalidated(), DBusRule.BAD_ERROR_NAME);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").destination("1.a").buildUnvalidated(),
            DBusRule.BAD_BUS_NAME);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").sender(":").buildUnvalidated(), DBusRule.BAD_BUS_NAME);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").signature("(").buildUnvalidated(),
            DBusRule.SIGNATURE_UNBALANCED_STRUCT);
    }

    @Test
    void localPathAndInterfaceAreReserved()
    {
        expect(DBusMessageBuilder.signal(DBusProtocol.LOCAL_PATH, "a.b", "C").buildUnvalidated(), DBusRule.LOCAL_PATH);
        expect(DBusMessageBuilder.signal("/a", DBusProtocol.LOCAL_INTERFACE, "C").buildUnvalidated(),
            DBusRule.LOCAL_INTERFACE);
    }

    @Test
    void headerStringsNeedTheirNul()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/abc", "a.b", "C").buildUnvalidated();
        final int nul = indexOf(bytes, "/abc") + 4;
        expectAt(patch(bytes, nul, 'x'), DBusRule.STRING_MISSING_NUL, nul);
    }

    @Test
    void paddingBetweenFieldsAndBeforeTheBodyIsZero()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/a", "a.b", "C").body("y", (byte)1).build();
        wrap(bytes);
        final int afterPath = message.fieldElementEnd(DBusHeaderField.PATH);
        expectAt(patch(bytes, afterPath, 1), DBusRule.PADDING_NOT_ZERO, afterPath);
        final int beforeBody = message.headerFieldsEnd();
        assertThat(beforeBody).isLessThan(message.bodyOffset());
        expectAt(patch(bytes, beforeBody, 1), DBusRule.HEADER_PADDING_NOT_ZERO, beforeBody);
    }

    @Test
    void headerArrayLengthMustEndOnAnElement()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/a", "a.b", "C").buildUnvalidated();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int fieldsLength = buffer.getInt(12, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(12, fieldsLength - 1, ByteOrder.LITTLE_ENDIAN);
        expect(bytes, DBusRule.TRUNCATED);
    }

    // ------------------------------------------------------------------ body values

    @Test
    void bodyMustMatchItsSignatureExactly()
    {
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").rawBody("", new byte[]{ 1 }).buildUnvalidated(),
            DBusRule.TRAILING_BYTES);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").rawBody("y", new byte[]{ 1, 2 }).buildUnvalidated(),
            DBusRule.TRAILING_BYTES);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").rawBody("i", new byte[]{ 1, 2 }).buildUnvalidated(),
            DBusRule.TRUNCATED);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").rawBody("yy", new byte[]{ 1 }).buildUnvalidated(),
            DBusRule.TRUNCATED);
    }

    @Test
    void booleansAreZeroOrOne()
    {
        wrap(DBusMessageBuilder.signal("/a", "a.b", "C").rawBody("bb", concat(le(0), le(1))).build());
        final byte[] bad = DBusMessageBuilder.signal("/a", "a.b", "C").rawBody("b", le(2)).buildUnvalidated();
        wrapHeader(bad);
        expectAt(bad, DBusRule.BAD_BOOLEAN, message.bodyOffset());
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").rawBody("ab", concat(le(4), le(-1))).buildUnvalidated(),
            DBusRule.BAD_BOOLEAN);
    }

    @Test
    void valuePaddingIsZeroAndMinimal()
    {
        final byte[] bytes = DBusMessageBuilder.signal("/a", "a.b", "C").body("yi", (byte)1, 2).build();
        wrap(bytes);
        final int pad = message.bodyOffset() + 1;
        expectAt(patch(bytes, pad, 9), DBusRule.PADDING_NOT_ZERO, pad);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C")
            .rawBody("yi", new byte[]{ 1, 0, 0, 0, 0, 2, 0, 0, 0 }).buildUnvalidated(), DBusRule.TRAILING_BYTES);
    }

    @Test
    void stringRules()
    {
        final byte[] text = concat(le(3), new byte[]{ 'a', 0, 'b', 0 });
        expect(signalWithBody("s", text), DBusRule.STRING_CONTAINS_NUL);
        expect(signalWithBody("s", concat(le(2), new byte[]{ (byte)0xC0, (byte)0x80, 0 })), DBusRule.BAD_UTF8);
        expect(signalWithBody("s", concat(le(2), new byte[]{ 'a', 'b', 'c' })), DBusRule.STRING_MISSING_NUL);
        expect(signalWithBody("s", concat(le(-1), new byte[]{ 'a', 'b', 'c' })), DBusRule.TRUNCATED);
        expect(signalWithBody("o", concat(le(2), new byte[]{ '/', '/', 0 })), DBusRule.BAD_OBJECT_PATH);
        expect(signalWithBody("g", new byte[]{ 1, '(', 0 }), DBusRule.SIGNATURE_UNBALANCED_STRUCT);
        expect(signalWithBody("g", new byte[]{ 1, 'i', 'i' }), DBusRule.STRING_MISSING_NUL);
        expect(signalWithBody("g", new byte[]{ 9, 'i', 0 }), DBusRule.TRUNCATED);
        wrap(signalWithBody("sog", concat(concat(le(1), new byte[]{ 'x', 0, 0, 0 }),
            concat(le(1), new byte[]{ '/', 0, 1, 'i', 0 }))));
    }

    @Test
    void variantsHoldOneCompleteType()
    {
        expect(signalWithBody("v", new byte[]{ 2, 'y', 'y', 0, 1, 2 }), DBusRule.VARIANT_NOT_SINGLE_TYPE);
        expect(signalWithBody("v", new byte[]{ 0, 0 }), DBusRule.VARIANT_NOT_SINGLE_TYPE);
        expect(signalWithBody("v", new byte[]{ 1, 'y', 1, 1 }), DBusRule.STRING_MISSING_NUL);
        expect(signalWithBody("v", new byte[]{ 1, '{', 0, 1 }), DBusRule.SIGNATURE_DICT_ENTRY_OUTSIDE_ARRAY);
        wrap(signalWithBody("v", new byte[]{ 1, 'y', 0, 7 }));
        assertThat(DBusValues.readBody(message)).containsExactly(new DBusVariant("y", (byte)7));
    }

    @Test
    void arrayRules()
    {
        expect(signalWithBody("ai", concat(le(6), new byte[8])), DBusRule.ARRAY_LENGTH_INCORRECT);
        expect(signalWithBody("ay", concat(le(DBusProtocol.MAX_ARRAY_LENGTH + 1), new byte[4])),
            DBusRule.ARRAY_TOO_LONG);
        expect(signalWithBody("ay", concat(le(DBusProtocol.MAX_ARRAY_LENGTH), new byte[4])), DBusRule.TRUNCATED);
        expect(signalWithBody("as", concat(le(5), concat(le(1), new byte[]{ 'a', 0, 0, 0 }))), DBusRule.TRUNCATED);
        // an empty array still has the padding to its element alignment
        wrap(signalWithBody("ax", new byte[8]));
        expect(signalWithBody("ax", new byte[4]), DBusRule.TRUNCATED);
        expect(signalWithBody("ax", concat(le(0), le(1))), DBusRule.PADDING_NOT_ZERO);
    }

    @Test
    void valuesNestAtMost64Deep()
    {
        wrap(signal("v", nestedVariants(64)));
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").body("v", nestedVariants(65)).buildUnvalidated(),
            DBusRule.NESTED_TOO_DEEP);

        final String deepest = "a(".repeat(32) + "i" + ")".repeat(32);
        wrap(signal(deepest, nestedArrays(32, 5)));
        final String deeper = "a(".repeat(32) + "v" + ")".repeat(32);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").body(deeper, nestedArrays(32, new DBusVariant("i", 1)))
            .buildUnvalidated(), DBusRule.NESTED_TOO_DEEP);
    }

    @Test
    void dictsCountTowardsTheNestingLimit()
    {
        // n nested variants around an a{sv}: the value inside its variant sits at depth n + 3
        wrap(signal("v", variantsAround(61, "a{sv}", Map.of("k", new DBusVariant("i", 1)))));
        expect(DBusMessageBuilder.signal("/a", "a.b", "C")
            .body("v", variantsAround(62, "a{sv}", Map.of("k", new DBusVariant("i", 1)))).buildUnvalidated(),
            DBusRule.NESTED_TOO_DEEP);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C")
            .body("v", variantsAround(63, "a{sv}", Map.of("k", new DBusVariant("i", 1)))).buildUnvalidated(),
            DBusRule.NESTED_TOO_DEEP);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C")
            .body("v", variantsAround(62, "a{s(i)}", Map.of("k", DBusStruct.of(1)))).buildUnvalidated(),
            DBusRule.NESTED_TOO_DEEP);
        wrap(signal("v", variantsAround(62, "a{sv}", Map.of())));
    }

    @Test
    void unixFdIndicesStayBelowUnixFds()
    {
        wrap(DBusMessageBuilder.signal("/a", "a.b", "C").unixFds(1).body("h", new DBusUnixFd(0)).build());
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").unixFds(1).body("h", new DBusUnixFd(1)).buildUnvalidated(),
            DBusRule.UNIX_FD_OUT_OF_RANGE);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").body("ah", List.of(new DBusUnixFd(0))).buildUnvalidated(),
            DBusRule.UNIX_FD_OUT_OF_RANGE);
        expect(DBusMessageBuilder.signal("/a", "a.b", "C").unixFds(5).body("h", new DBusUnixFd(-1)).buildUnvalidated(),
            DBusRule.UNIX_FD_OUT_OF_RANGE);
    }

    @Test
    void exceptionNamesRuleAndOffset()
    {
        final DBusCodecException ex = new DBusCodecException(DBusRule.BAD_UTF8, 42);
        assertThat(ex.getMessage()).isEqualTo("BAD_UTF8 at offset 42: string is not valid UTF-8");
        assertThat(ex.getStackTrace()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    enum Order
    {
        LITTLE(ByteOrder.LITTLE_ENDIAN), BIG(ByteOrder.BIG_ENDIAN);

        final ByteOrder order;

        Order(final ByteOrder order)
        {
            this.order = order;
        }
    }

    private static Object nestedVariants(final int depth)
    {
        Object value = 7;
        String signature = "i";
        for (int i = 1; i < depth; i++)
        {
            value = new DBusVariant(signature, value);
            signature = "v";
        }
        return new DBusVariant(signature, value);
    }

    private static Object variantsAround(final int count, final String signature, final Object innermost)
    {
        Object value = new DBusVariant(signature, innermost);
        for (int i = 1; i < count; i++)
        {
            value = new DBusVariant("v", value);
        }
        return value;
    }

    private static Object nestedArrays(final int depth, final Object leaf)
    {
        Object value = leaf;
        for (int i = 0; i < depth; i++)
        {
            value = List.of(DBusStruct.of(value));
        }
        return value;
    }

    private static byte[] signal(final String signature, final Object... values)
    {
        return DBusMessageBuilder.signal("/a", "a.b", "C").body(signature, values).build();
    }

    private static byte[] signalWithBody(final String signature, final byte[] body)
    {
        return DBusMessageBuilder.signal("/a", "a.b", "C").rawBody(signature, body).buildUnvalidated();
    }

    private static byte[] header(final java.util.function.Consumer<DBusHeaderEncoder> fields)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final DBusHeaderEncoder encoder = new DBusHeaderEncoder().wrap(buffer, 0, DBusProtocol.LITTLE_ENDIAN)
            .type(DBusProtocol.TYPE_METHOD_CALL).serial(1);
        fields.accept(encoder);
        final int length = encoder.finish();
        return java.util.Arrays.copyOf(buffer.byteArray(), length);
    }

    private void wrap(final byte[] bytes)
    {
        message.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private void wrapHeader(final byte[] bytes)
    {
        message.wrapHeader(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private void expect(final byte[] bytes, final DBusRule... rules)
    {
        assertThatThrownBy(() -> wrap(bytes)).isInstanceOfSatisfying(
            DBusCodecException.class, ex -> assertThat(ex.rule()).isIn((Object[])rules));
    }

    private void expectAt(final byte[] bytes, final DBusRule rule, final int offset)
    {
        assertThatThrownBy(() -> wrap(bytes)).isInstanceOfSatisfying(DBusCodecException.class, ex ->
        {
            assertThat(ex.rule()).isEqualTo(rule);
            assertThat(ex.offset()).isEqualTo(offset);
        });
    }

    private static java.util.function.Consumer<Throwable> rule(final DBusRule rule)
    {
        return ex -> assertThat(((DBusCodecException)ex).rule()).isEqualTo(rule);
    }

    private static byte[] patch(final byte[] bytes, final int index, final int value)
    {
        final byte[] copy = bytes.clone();
        copy[index] = (byte)value;
        return copy;
    }

    private static byte[] le(final int value)
    {
        final byte[] bytes = new byte[4];
        new UnsafeBuffer(bytes).putInt(0, value, ByteOrder.LITTLE_ENDIAN);
        return bytes;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] bytes = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, bytes, a.length, b.length);
        return bytes;
    }

    private static int indexOf(final byte[] bytes, final String text)
    {
        final byte[] needle = text.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i <= bytes.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (bytes[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " not found");
    }
}
