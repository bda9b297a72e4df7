package org.videoroom.rtcp;

import java.util.HexFormat;

/** Test helper: hex strings with spaces for readability. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Parses {@code hex} and returns its only packet, failing unless parsing was clean. */
    static RtcpPacket parseSingle(String hex) {
        RtcpParser.Result result = new RtcpParser().parse(bytes(hex));
        if (!result.isOk() || result.packets().size() != 1) {
            throw new AssertionError("expected one clean packet, got " + result);
        }
        return result.packets().get(0);
    }
}
