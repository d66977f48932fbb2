/**
 * The D-Bus wire codec: framing, validation and zero-copy reading of D-Bus messages
 * ({@link org.omnibus.codec.dbus.DBusFraming}, {@link org.omnibus.codec.dbus.DBusMessageFlyweight},
 * {@link org.omnibus.codec.dbus.DBusBodyCursor}), writing them
 * ({@link org.omnibus.codec.dbus.DBusHeaderEncoder}, {@link org.omnibus.codec.dbus.DBusMarshaller},
 * {@link org.omnibus.codec.dbus.DBusMessageBuilder}), and converting them to and from the SBE
 * {@code BusMessage} ({@link org.omnibus.codec.dbus.DBusSbeConverter}).
 * <p>
 * Every malformed input is reported by a {@link org.omnibus.codec.dbus.DBusCodecException} that names the
 * {@link org.omnibus.codec.dbus.DBusRule} broken and the byte offset; no other exception escapes the readers,
 * they never read outside the range they were given and never allocate on the read path.
 */
package org.omnibus.codec.dbus;
