package org.omnibus.edge.sasl;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omnibus.edge.sasl.SaslServer.State.AUTHENTICATED;
import static org.omnibus.edge.sasl.SaslServer.State.FAILED;
import static org.omnibus.edge.sasl.SaslServer.State.WAITING_FOR_AUTH;
import static org.omnibus.edge.sasl.SaslServer.State.WAITING_FOR_BEGIN;
import static org.omnibus.edge.sasl.SaslServer.State.WAITING_FOR_DATA;

class SaslServerTest
{
    private static final String GUID = "0123456789abcdef0123456789abcdef";
    private static final String UID_1000_HEX = "31303030";

    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer();
    private final SaslServer.BufferReplySink sink = new SaslServer.BufferReplySink().wrap(out, 0);

    private int feed(final SaslServer server, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return server.onBytes(new UnsafeBuffer(bytes), 0, bytes.length, sink);
    }

    private String replies()
    {
        return out.getStringWithoutLengthAscii(0, sink.position());
    }

    @Test
    void externalWithClaimedUidMatchingPeerIsAccepted()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, true);

        feed(server, "\0AUTH EXTERNAL " + UID_1000_HEX + "\r\n");
        assertThat(server.state()).isEqualTo(WAITING_FOR_BEGIN);
        assertThat(replies()).isEqualTo("OK " + GUID + "\r\n");

        feed(server, "BEGIN\r\n");
        assertThat(server.state()).isEqualTo(AUTHENTICATED);
        assertThat(server.mechanism()).isEqualTo(SaslServer.Mechanism.EXTERNAL);
    }

    @Test
    void externalWithDataChallengeAndEmptyResponseUsesSocketCredentials()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, true);

        feed(server, "\0AUTH EXTERNAL\r\n");
        assertThat(server.state()).isEqualTo(WAITING_FOR_DATA);
        feed(server, "DATA\r\n");
        assertThat(server.state()).isEqualTo(WAITING_FOR_BEGIN);
        assertThat(replies()).isEqualTo("DATA\r\nOK " + GUID + "\r\n");
    }

    @Test
    void pipelinedExchangeStopsRightAfterBeginAndNegotiatesFds()
    {
        final SaslServer server = new SaslServer(0, GUID, false, true);
        final String auth = "\0AUTH EXTERNAL\r\nDATA\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n";

        final int consumed = feed(server, auth + "lXYZ-first-message-bytes");

        assertThat(consumed).isEqualTo(auth.length());
        assertThat(server.state()).isEqualTo(AUTHENTICATED);
        assertThat(server.unixFdNegotiated()).isTrue();
        assertThat(replies()).isEqualTo("DATA\r\nOK " + GUID + "\r\nAGREE_UNIX_FD\r\n");
    }

    @Test
    void externalClaimingAnotherUidIsRejected()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, true);

        feed(server, "\0AUTH EXTERNAL 30\r\n");

        assertThat(server.state()).isEqualTo(WAITING_FOR_AUTH);
        assertThat(replies()).isEqualTo("REJECTED EXTERNAL\r\n");
    }

    @Test
    void unknownPeerUidRejectsExternal()
    {
        final SaslServer server = new SaslServer(-1, GUID, false, true);

        feed(server, "\0AUTH EXTERNAL\r\nDATA\r\n");

        assertThat(replies()).isEqualTo("DATA\r\nREJECTED EXTERNAL\r\n");
    }

    @Test
    void unsupportedMechanismIsRejectedListingSupportedOnes()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, true);

        feed(server, "\0AUTH DBUS_COOKIE_SHA1 31303030\r\nAUTH\r\n");

        assertThat(replies()).isEqualTo("REJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\n");
        assertThat(server.state()).isEqualTo(WAITING_FOR_AUTH);
    }

    @Test
    void anonymousOnlyWhenAllowed()
    {
        final SaslServer refusing = new SaslServer(1000, GUID, false, true);
        feed(refusing, "\0AUTH ANONYMOUS\r\n");
        assertThat(refusing.state()).isEqualTo(WAITING_FOR_AUTH);

        final SaslServer allowing = new SaslServer(1000, GUID, true, true);
        sink.wrap(out, 0);
        feed(allowing, "\0AUTH ANONYMOUS 7472616365\r\nBEGIN\r\n");
        assertThat(allowing.state()).isEqualTo(AUTHENTICATED);
        assertThat(allowing.mechanism()).isEqualTo(SaslServer.Mechanism.ANONYMOUS);
    }

    @Test
    void cancelDuringDataAndAfterOkGoesBackToAuth()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, true);

        feed(server, "\0AUTH EXTERNAL\r\nCANCEL\r\n");
        assertThat(server.state()).isEqualTo(WAITING_FOR_AUTH);

        feed(server, "AUTH EXTERNAL " + UID_1000_HEX + "\r\nNEGOTIATE_UNIX_FD\r\nCANCEL\r\n");
        assertThat(server.state()).isEqualTo(WAITING_FOR_AUTH);
        assertThat(server.unixFdNegotiated()).isFalse();
        assertThat(server.mechanism()).isEqualTo(SaslServer.Mechanism.NONE);
    }

    @Test
    void unknownCommandGetsErrorAndExchangeContinues()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, true);

        feed(server, "\0HELLO\r\nAUTH EXTERNAL\r\n");

        assertThat(replies()).startsWith("ERROR ").endsWith("DATA\r\n");
        assertThat(server.state()).isEqualTo(WAITING_FOR_DATA);
    }

    @Test
    void fdNegotiationRefusedWhenTransportCannotPassFds()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, false);

        feed(server, "\0AUTH EXTERNAL\r\nDATA\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n");

        assertThat(server.state()).isEqualTo(AUTHENTICATED);
        assertThat(server.unixFdNegotiated()).isFalse();
        assertThat(replies()).contains("ERROR ");
    }

    @Test
    void incompleteLineIsLeftForLater()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, true);

        assertThat(feed(server, "\0AUTH EXTER")).isEqualTo(1);
        assertThat(server.state()).isEqualTo(WAITING_FOR_AUTH);
        assertThat(feed(server, "AUTH EXTERNAL\r\n")).isEqualTo("AUTH EXTERNAL\r\n".length());
        assertThat(server.state()).isEqualTo(WAITING_FOR_DATA);
    }

    @Test
    void protocolViolationsFail()
    {
        final SaslServer noNul = new SaslServer(1000, GUID, false, true);
        feed(noNul, "AUTH EXTERNAL\r\n");
        assertThat(noNul.state()).isEqualTo(FAILED);
        assertThat(noNul.failureReason()).contains("NUL");

        final SaslServer earlyBegin = new SaslServer(1000, GUID, false, true);
        feed(earlyBegin, "\0BEGIN\r\n");
        assertThat(earlyBegin.state()).isEqualTo(FAILED);
        assertThat(earlyBegin.failureReason()).contains("BEGIN");

        final SaslServer longLine = new SaslServer(1000, GUID, false, true);
        feed(longLine, "\0AUTH " + "A".repeat(SaslServer.MAX_LINE_LENGTH));
        assertThat(longLine.state()).isEqualTo(FAILED);
        assertThat(longLine.failureReason()).contains("longer");
    }

    @Test
    void tooManyRejectionsFail()
    {
        final SaslServer server = new SaslServer(1000, GUID, false, true);

        feed(server, "\0" + "AUTH EXTERNAL 30\r\n".repeat(SaslServer.MAX_REJECTIONS));

        assertThat(server.state()).isEqualTo(FAILED);
        assertThat(server.failureReason()).contains("too many");
    }

    @Test
    void decodesHex()
    {
        assertThat(SaslServer.decodeHex(UID_1000_HEX)).isEqualTo("1000");
        assertThat(SaslServer.decodeHex("3")).isNull();
        assertThat(SaslServer.decodeHex("zz")).isNull();
    }
}
