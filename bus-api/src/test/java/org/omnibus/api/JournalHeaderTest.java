package org.omnibus.api;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omnibus.codec.dbus.DBusHeaderEncoder;
import org.omnibus.codec.dbus.DBusHeaderField;
import org.omnibus.codec.dbus.DBusMessageFlyweight;
import org.omnibus.codec.dbus.DBusProtocol;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sequence and subscription header fields as the node writes them, read back in both byte orders; addresses;
 * the file position store.
 */
class JournalHeaderTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(bytes = {DBusProtocol.LITTLE_ENDIAN, DBusProtocol.BIG_ENDIAN})
    void readsTheFieldsTheBusWritesFirst(final byte endianness)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = new DBusHeaderEncoder()
            .wrap(buffer, 0, endianness)
            .type(DBusProtocol.TYPE_SIGNAL)
            .serial(7)
            .uint64Field(DBusHeaderField.OMNIBUS_JOURNAL_SEQUENCE, 0x1234_5678_9ABCL)
            .uint64Field(DBusHeaderField.OMNIBUS_JOURNAL_SUBSCRIPTION, 42)
            .path("/feed")
            .interfaceName("com.example.Feed")
            .member("Tick")
            .sender(":1.5")
            .finish();
        final DBusMessageFlyweight message = new DBusMessageFlyweight().wrap(buffer, 0, length);
        assertThat(message.member()).isEqualTo("Tick");
        assertThat(message.sender()).isEqualTo(":1.5");
        assertThat(JournalHeader.sequence(message)).isEqualTo(0x1234_5678_9ABCL);
        assertThat(JournalHeader.subscription(message)).isEqualTo(42);
    }

    @Test
    void aMessageWithoutTheFieldsHasNone()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = new DBusHeaderEncoder()
            .wrap(buffer, 0, DBusProtocol.LITTLE_ENDIAN)
            .type(DBusProtocol.TYPE_SIGNAL)
            .serial(7)
            .path("/feed")
            .interfaceName("com.example.Feed")
            .member("Tick")
            .finish();
        final DBusMessageFlyweight message = new DBusMessageFlyweight().wrap(buffer, 0, length);
        assertThat(JournalHeader.sequence(message)).isEqualTo(JournalHeader.NONE);
        assertThat(JournalHeader.subscription(message)).isEqualTo(JournalHeader.NONE);
    }

    @Test
    void parsesAddresses()
    {
        assertThat(BusAddresses.parse("unix:path=/tmp/a%20b,guid=0123;unix:abstract=omni")).hasSize(2);
        assertThat(BusAddresses.parse("tcp:host=x;unix:path=/run/bus")).hasSize(1);
        assertThat(BusAddresses.unescape("%2ftmp%2Fx")).isEqualTo("/tmp/x");
    }

    @Test
    void filePositionStoreKeepsTheLastSequence()
    {
        final Path file = dir.resolve("position");
        try (PositionStore.FilePositionStore store = PositionStore.file(file))
        {
            assertThat(store.load()).isEqualTo(PositionStore.NOTHING);
            store.store(5);
            store.store(123_456_789_012L);
        }
        try (PositionStore.FilePositionStore again = PositionStore.file(file))
        {
            assertThat(again.load()).isEqualTo(123_456_789_012L);
        }
    }
}
