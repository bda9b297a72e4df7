package org.videoroom.transport.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoroom.transport.ice.StunAddressDiscovery.Response;
import org.videoroom.transport.ice.StunAddressDiscovery.Result;
import org.videoroom.transport.srtp.VectorFile;

/**
 * {@link StunAddressDiscovery#parseResponse} against the sample Binding responses of RFC 5769 sections 2.2
 * (IPv4) and 2.3 (IPv6), kept in {@code vectors/rfc5769/sample-responses.txt}.
 */
class StunAddressDiscoveryRfc5769VectorsTest {

    private static final VectorFile VECTORS = VectorFile.load("/vectors/rfc5769/sample-responses.txt");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv4", "ipv6"})
    void theSampleResponseMapsToTheAddressTheRfcNames(String family) throws Exception {
        byte[] message = VECTORS.bytes(family + "-response");
        Response response = StunAddressDiscovery.parseResponse(message, 0, message.length, transactionId());

        byte[] port = VECTORS.bytes(family + "-mapped-port");
        InetSocketAddress expected = new InetSocketAddress(
                InetAddress.getByAddress(VECTORS.bytes(family + "-mapped-address")),
                ((port[0] & 0xFF) << 8) | (port[1] & 0xFF));
        assertEquals(new Response(Result.MAPPED, expected, -1), response);
        assertEquals(32853, response.mapped().getPort());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv4", "ipv6"})
    void theSampleResponseIsFoundInsideALargerBuffer(String family) {
        byte[] message = VECTORS.bytes(family + "-response");
        byte[] buffer = new byte[message.length + 7];
        Arrays.fill(buffer, (byte) 0x5A);
        System.arraycopy(message, 0, buffer, 3, message.length);

        assertEquals(StunAddressDiscovery.parseResponse(message, 0, message.length, transactionId()),
                StunAddressDiscovery.parseResponse(buffer, 3, message.length, transactionId()));
    }

    /**
     * The transcription of the vectors is right: their MESSAGE-INTEGRITY verifies with the RFC's password
     * (HMAC-SHA1 over the message up to that attribute, the header's length counting up to its end, RFC 8489
     * section 14.5). The parser itself has no credential and does not check it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv4", "ipv6"})
    void theVectorsCarryTheRfcsMessageIntegrity(String family) throws Exception {
        byte[] message = VECTORS.bytes(family + "-response");
        int integrity = message.length - 8 - 24;  // before FINGERPRINT (8) and MESSAGE-INTEGRITY (24)
        assertEquals(0x0008, ((message[integrity] & 0xFF) << 8) | (message[integrity + 1] & 0xFF));
        byte[] covered = Arrays.copyOf(message, integrity);
        int lengthToIntegrityEnd = integrity + 24 - 20;
        covered[2] = (byte) (lengthToIntegrityEnd >>> 8);
        covered[3] = (byte) lengthToIntegrityEnd;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(VECTORS.bytes("password"), "HmacSHA1"));

        assertArrayEquals(Arrays.copyOfRange(message, integrity + 4, integrity + 24), mac.doFinal(covered));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv4", "ipv6"})
    void anotherTransactionsAnswerIsIgnored(String family) {
        byte[] message = VECTORS.bytes(family + "-response");
        byte[] other = transactionId();
        other[11] ^= 0x01;

        assertEquals(Result.WRONG_TRANSACTION,
                StunAddressDiscovery.parseResponse(message, 0, message.length, other).result());
    }

    /**
     * No change of one byte makes the response name another address: FINGERPRINT's CRC-32 covers the header
     * and every attribute before it. What still passes is a change behind the XOR-MAPPED-ADDRESS that hides the
     * FINGERPRINT: a MESSAGE-INTEGRITY length stretched over it, or its own type or length changed, which
     * makes it an attribute after MESSAGE-INTEGRITY, ignored as RFC 8489 section 14.5 says. FINGERPRINT is
     * optional in a response, so such a message is one without it, and its address is still the RFC's.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv4", "ipv6"})
    void noSingleByteChangeYieldsAnotherAddress(String family) {
        byte[] original = VECTORS.bytes(family + "-response");
        InetSocketAddress rfcAddress = StunAddressDiscovery.parseResponse(original, 0, original.length,
                transactionId()).mapped();
        int integrityStart = original.length - 8 - 24;
        int rejected = 0;
        for (int i = 0; i < original.length; i++) {
            for (int delta = 1; delta < 256; delta++) {
                byte[] changed = original.clone();
                changed[i] = (byte) (changed[i] + delta);
                Response response = StunAddressDiscovery.parseResponse(changed, 0, changed.length, transactionId());
                if (response.result() == Result.MAPPED) {
                    assertEquals(rfcAddress, response.mapped(), "byte " + i + " + " + delta);
                    assertTrue(i >= integrityStart, "byte " + i + " + " + delta + " got through");
                } else {
                    rejected++;
                }
            }
        }
        // Everything up to MESSAGE-INTEGRITY, and every change of its 20-byte value, is refused.
        assertTrue(rejected >= (integrityStart + 4 + 20) * 255, rejected + " rejected");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv4", "ipv6"})
    void everyTruncationIsRejected(String family) {
        byte[] original = VECTORS.bytes(family + "-response");
        for (int length = 0; length < original.length; length++) {
            Result result = StunAddressDiscovery.parseResponse(original, 0, length, transactionId()).result();
            assertNotEquals(Result.MAPPED, result, "first " + length + " bytes");
        }
    }

    private static byte[] transactionId() {
        return VECTORS.bytes("transaction-id");
    }
}
