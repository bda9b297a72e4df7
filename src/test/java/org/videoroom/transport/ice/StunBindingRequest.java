package org.videoroom.transport.ice;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-built ICE connectivity checks for tests, so a test can speak to the shared port from any
 * loopback address and see exactly what comes back. Written from RFC 5389 (STUN) and RFC 8445
 * section 7.1.1 (the ICE attributes), independently of ice4j.
 */
final class StunBindingRequest {

    static final int BINDING_REQUEST = 0x0001;          // RFC 5389 section 6
    static final int BINDING_SUCCESS_RESPONSE = 0x0101;
    static final int BINDING_ERROR_RESPONSE = 0x0111;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int USERNAME = 0x0006;           // RFC 5389 section 15.3
    private static final int MESSAGE_INTEGRITY = 0x0008;  // RFC 5389 section 15.4
    private static final int ERROR_CODE = 0x0009;         // RFC 5389 section 15.6
    private static final int PRIORITY = 0x0024;           // RFC 8445 section 16.1
    private static final int ICE_CONTROLLING = 0x802A;    // RFC 8445 section 16.1
    private static final int USE_CANDIDATE = 0x0025;      // RFC 8445 section 16.1
    private static final int XOR_MAPPED_ADDRESS = 0x0020; // RFC 5389 section 15.2
    private static final int FINGERPRINT = 0x8028;        // RFC 5389 section 15.5
    private static final int FINGERPRINT_XOR = 0x5354554E;

    private StunBindingRequest() {
    }

    /**
     * A Binding request from a controlling agent.
     *
     * @param username "theirUfrag:ourUfrag", as RFC 8445 section 7.2.2 builds it
     * @param password the key for MESSAGE-INTEGRITY, or null to leave the attribute out
     * @param transactionId 12 bytes
     */
    static byte[] encode(String username, String password, byte[] transactionId) {
        return encode(username, password, transactionId, false);
    }

    /** As {@link #encode(String, String, byte[])}; {@code nominate} adds USE-CANDIDATE (RFC 8445 section 8.1.1). */
    static byte[] encode(String username, String password, byte[] transactionId, boolean nominate) {
        ByteBuffer b = ByteBuffer.allocate(512);
        // 0                   1                   2                   3
        // |0 0|     STUN Message Type     |         Message Length        |
        // |                         Magic Cookie                          |
        // |                     Transaction ID (96 bits)                  |
        b.putShort((short) BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
        attribute(b, USERNAME, username.getBytes(StandardCharsets.UTF_8));
        attribute(b, PRIORITY, ByteBuffer.allocate(4).putInt(1853824767).array());
        attribute(b, ICE_CONTROLLING, ByteBuffer.allocate(8).putLong(ThreadLocalRandom.current().nextLong()).array());
        if (nominate) {
            attribute(b, USE_CANDIDATE, new byte[0]);
        }
        return sign(b, password);
    }

    /**
     * A Binding success response to {@code request} (RFC 5389 section 7.3.1), telling its sender the IPv4
     * address it came from, signed with {@code password} (ours, as the request's recipient).
     */
    static byte[] successResponse(byte[] request, java.net.InetSocketAddress mapped, String password) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) BINDING_SUCCESS_RESPONSE).putShort((short) 0).putInt(MAGIC_COOKIE).put(request, 8, 12);
        byte[] ip = mapped.getAddress().getAddress();
        ByteBuffer xor = ByteBuffer.allocate(8).put((byte) 0).put((byte) 0x01)
                .putShort((short) (mapped.getPort() ^ (MAGIC_COOKIE >>> 16)));
        for (int i = 0; i < 4; i++) {
            xor.put((byte) (ip[i] ^ (MAGIC_COOKIE >>> (24 - 8 * i))));
        }
        attribute(b, XOR_MAPPED_ADDRESS, xor.array());
        return sign(b, password);
    }

    /** Appends MESSAGE-INTEGRITY (unless {@code password} is null) and FINGERPRINT, and returns the message. */
    private static byte[] sign(ByteBuffer b, String password) {
        if (password != null) {
            // The length field must already count the MESSAGE-INTEGRITY attribute (4 + 20 bytes).
            b.putShort(2, (short) (b.position() - 20 + 24));
            byte[] hmac = hmacSha1(password.getBytes(StandardCharsets.UTF_8), b.array(), b.position());
            attribute(b, MESSAGE_INTEGRITY, hmac);
        }
        // FINGERPRINT covers everything before it, with the length counting the fingerprint (4 + 4).
        b.putShort(2, (short) (b.position() - 20 + 8));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        attribute(b, FINGERPRINT, ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ FINGERPRINT_XOR).array());
        byte[] out = new byte[b.position()];
        System.arraycopy(b.array(), 0, out, 0, out.length);
        return out;
    }

    static byte[] newTransactionId() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    static int messageType(byte[] message) {
        return ((message[0] & 0xFF) << 8) | (message[1] & 0xFF);
    }

    static boolean hasTransactionId(byte[] message, byte[] transactionId) {
        if (message.length < 20) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (message[8 + i] != transactionId[i]) {
                return false;
            }
        }
        return true;
    }

    /** The ERROR-CODE of an error response as class * 100 + number, or -1 if absent. */
    static int errorCode(byte[] message) {
        int pos = 20;
        while (pos + 4 <= message.length) {
            int type = ((message[pos] & 0xFF) << 8) | (message[pos + 1] & 0xFF);
            int length = ((message[pos + 2] & 0xFF) << 8) | (message[pos + 3] & 0xFF);
            if (type == ERROR_CODE && length >= 4) {
                return (message[pos + 6] & 0x07) * 100 + (message[pos + 7] & 0xFF);
            }
            pos += 4 + ((length + 3) & ~3);
        }
        return -1;
    }

    private static void attribute(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) type).putShort((short) value.length).put(value);
        for (int pad = (4 - value.length % 4) % 4; pad > 0; pad--) {
            b.put((byte) 0);
        }
    }

    private static byte[] hmacSha1(byte[] key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
