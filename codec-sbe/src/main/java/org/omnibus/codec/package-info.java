/**
 * Wire formats of Omnibus. {@code org.omnibus.codec.sbe.*} holds the SBE codecs generated at build time
 * from {@code src/main/resources/sbe/*.xml}; {@code org.omnibus.codec.dbus} the D-Bus wire codec.
 */
package org.omnibus.codec;
