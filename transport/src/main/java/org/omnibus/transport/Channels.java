package org.omnibus.transport;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;

/**
 * Builds the Aeron channel strings the transport uses. Every multicast channel names its interface: a multicast
 * endpoint without one is refused, because it would otherwise leave through the host's default interface.
 */
public final class Channels
{
    private Channels()
    {
    }

    /**
     * A multicast channel.
     *
     * @param endpoint         multicast group and port, {@code address:port}.
     * @param networkInterface interface to send and receive on, e.g. {@code 127.0.0.1}; never null or a wildcard.
     * @param ttl              multicast TTL; 0 keeps traffic on the host.
     * @return the channel.
     * @throws IllegalArgumentException if the endpoint is not a multicast address or no interface is named.
     */
    public static ChannelUriStringBuilder multicast(final String endpoint, final String networkInterface, final int ttl)
    {
        requireEndpoint(endpoint, "multicast endpoint");
        if (!isMulticastLiteral(host(endpoint)))
        {
            throw new IllegalArgumentException("not a multicast address: " + endpoint);
        }
        requireInterface(endpoint, networkInterface);
        if (ttl < 0 || ttl > 255)
        {
            throw new IllegalArgumentException("multicast ttl must be 0..255: " + ttl);
        }

        return new ChannelUriStringBuilder()
            .media(CommonContext.UDP_MEDIA)
            .endpoint(endpoint)
            .networkInterface(networkInterface)
            .ttl(ttl);
    }

    /**
     * A unicast channel to (publication) or at (subscription) an endpoint.
     *
     * @param endpoint {@code host:port}; a subscription may use port 0 for a free port.
     * @return the channel.
     * @throws IllegalArgumentException if the endpoint is a multicast address (use {@link #multicast}).
     */
    public static ChannelUriStringBuilder unicast(final String endpoint)
    {
        requireEndpoint(endpoint, "endpoint");
        if (isMulticastLiteral(host(endpoint)))
        {
            throw new IllegalArgumentException(
                "multicast address given as a unicast endpoint (a multicast channel needs a named interface): " +
                endpoint);
        }

        return new ChannelUriStringBuilder().media(CommonContext.UDP_MEDIA).endpoint(endpoint);
    }

    /**
     * A multi-destination-cast publication with manual control: destinations are added by the transport.
     *
     * @return the channel.
     */
    public static ChannelUriStringBuilder mdcManualPublication()
    {
        return new ChannelUriStringBuilder()
            .media(CommonContext.UDP_MEDIA)
            .controlMode(CommonContext.MDC_CONTROL_MODE_MANUAL);
    }

    /**
     * A multi-destination-cast publication with dynamic control.
     *
     * @param controlEndpoint {@code host:port} where receivers send status messages; port 0 picks a free port.
     * @return the channel.
     */
    public static ChannelUriStringBuilder mdcDynamicPublication(final String controlEndpoint)
    {
        requireEndpoint(controlEndpoint, "control endpoint");
        return new ChannelUriStringBuilder()
            .media(CommonContext.UDP_MEDIA)
            .controlEndpoint(controlEndpoint)
            .controlMode(CommonContext.MDC_CONTROL_MODE_DYNAMIC);
    }

    /**
     * A subscription to another node's dynamic multi-destination-cast publication.
     *
     * @param controlEndpoint the publisher's control endpoint, {@code host:port}.
     * @return the channel.
     */
    public static ChannelUriStringBuilder mdcDynamicSubscription(final String controlEndpoint)
    {
        requireEndpoint(controlEndpoint, "control endpoint");
        return new ChannelUriStringBuilder()
            .media(CommonContext.UDP_MEDIA)
            .controlEndpoint(controlEndpoint)
            .group(Boolean.TRUE);
    }

    /**
     * Refuse a multicast endpoint without a named, non-wildcard interface.
     *
     * @param endpoint         the multicast endpoint, for the message.
     * @param networkInterface the interface to check.
     * @throws IllegalArgumentException if the interface is missing or a wildcard.
     */
    public static void requireInterface(final String endpoint, final String networkInterface)
    {
        if (null == networkInterface || networkInterface.isBlank())
        {
            throw new IllegalArgumentException(
                "multicast channel " + endpoint + " has no interface: name one explicitly " +
                "(e.g. interface=127.0.0.1 with ttl=0 on loopback), or traffic would leave through the default route");
        }

        final String host = networkInterface.trim();
        if (host.startsWith("0.0.0.0") || host.startsWith("[::]") || host.equals("::") || host.equals("*"))
        {
            throw new IllegalArgumentException(
                "multicast channel " + endpoint + " has a wildcard interface '" + networkInterface +
                "': name one explicitly (e.g. interface=127.0.0.1 with ttl=0 on loopback)");
        }
    }

    /**
     * Whether a host is a literal multicast address (IPv4 224.0.0.0/4 or IPv6 ff00::/8). Host names are not resolved.
     *
     * @param host to check.
     * @return true if it is a multicast literal.
     */
    static boolean isMulticastLiteral(final String host)
    {
        if (host.startsWith("[") || host.indexOf(':') >= 0)
        {
            final String address = host.startsWith("[") ? host.substring(1) : host;
            return address.toLowerCase().startsWith("ff");
        }

        final int dot = host.indexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        try
        {
            final int firstOctet = Integer.parseInt(host.substring(0, dot));
            return firstOctet >= 224 && firstOctet <= 239;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    /**
     * The host part of {@code host:port} or {@code [v6]:port}.
     *
     * @param endpoint to split.
     * @return the host part.
     */
    static String host(final String endpoint)
    {
        if (endpoint.startsWith("["))
        {
            final int close = endpoint.indexOf(']');
            return close < 0 ? endpoint : endpoint.substring(0, close + 1);
        }

        final int colon = endpoint.lastIndexOf(':');
        return colon < 0 ? endpoint : endpoint.substring(0, colon);
    }

    private static void requireEndpoint(final String endpoint, final String what)
    {
        if (null == endpoint || endpoint.isBlank() || endpoint.lastIndexOf(':') <= 0)
        {
            throw new IllegalArgumentException(what + " must be host:port, got: " + endpoint);
        }
    }
}
