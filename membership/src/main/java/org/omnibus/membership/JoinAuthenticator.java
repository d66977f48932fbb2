package org.omnibus.membership;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * HMAC-SHA256 tags of join requests over the cluster secret (javax.crypto). The tag covers every byte of the frame
 * before the tag field (message header included), so a node without the secret can neither forge a request nor
 * alter one.
 */
final class JoinAuthenticator
{
    static final int TAG_LENGTH = 32;

    private final Mac mac;
    private byte[] scratch = new byte[256];
    private final byte[] tag = new byte[TAG_LENGTH];
    private final byte[] received = new byte[TAG_LENGTH];

    JoinAuthenticator(final byte[] secret)
    {
        try
        {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }

    /**
     * Write the tag of buffer[offset, tagOffset) at tagOffset.
     */
    void sign(final MutableDirectBuffer buffer, final int offset, final int tagOffset)
    {
        compute(buffer, offset, tagOffset);
        buffer.putBytes(tagOffset, tag);
    }

    /**
     * @return whether the tag at tagOffset is the tag of buffer[offset, tagOffset).
     */
    boolean verify(final DirectBuffer buffer, final int offset, final int tagOffset)
    {
        compute(buffer, offset, tagOffset);
        buffer.getBytes(tagOffset, received);
        return MessageDigest.isEqual(tag, received);
    }

    private void compute(final DirectBuffer buffer, final int offset, final int tagOffset)
    {
        final int length = tagOffset - offset;
        if (scratch.length < length)
        {
            scratch = new byte[length];
        }
        buffer.getBytes(offset, scratch, 0, length);
        mac.update(scratch, 0, length);
        try
        {
            mac.doFinal(tag, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
