package org.videoroom.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.videoroom.buffer.Bytes;

/**
 * Source description, SDES (RFC 3550 §6.5):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_1                          |  chunk 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     type      |    length     |  text (length bytes) ...      |  items ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   0 (END)     |  null octets up to the next 32-bit boundary   |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_2 ...                      |  chunk 2
 * </pre>
 *
 * Item text is UTF-8 (RFC 3550 §6.5). WebRTC endpoints send a CNAME per compound packet
 * (RFC 3550 §6.5.1); other item types are kept generically.
 *
 * @param chunks up to 31 chunks
 */
public record SourceDescription(List<Chunk> chunks) implements RtcpPacket {

    /** SDES item type: end of the item list (RFC 3550 §6.5). */
    public static final int END = 0;
    /** SDES item type: canonical end-point identifier (RFC 3550 §6.5.1). */
    public static final int CNAME = 1;
    /** SDES item types NAME..PRIV (RFC 3550 §6.5.2-§6.5.8). */
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    /** @throws RtcpException if there are more than 31 chunks */
    public SourceDescription {
        chunks = Fields.list("chunks", chunks, RtcpHeader.MAX_COUNT);
    }

    /** An SDES with one chunk holding just a CNAME, as a WebRTC compound packet carries. */
    public static SourceDescription ofCname(long ssrc, String cname) {
        return new SourceDescription(List.of(new Chunk(ssrc, List.of(new Item(CNAME, cname)))));
    }

    /** The CNAME given for {@code ssrc}, if any. */
    public Optional<String> cname(long ssrc) {
        for (Chunk chunk : chunks) {
            if (chunk.ssrc() == ssrc) {
                for (Item item : chunk.items()) {
                    if (item.type() == CNAME) {
                        return Optional.of(item.text());
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public int packetType() {
        return RtcpHeader.PT_SDES;
    }

    @Override
    public int marshalSize() {
        int size = RtcpHeader.HEADER_BYTES;
        for (Chunk chunk : chunks) {
            size += chunk.marshalSize();
        }
        return size;
    }

    @Override
    public int marshalTo(byte[] buf, int off) {
        int size = marshalSize();
        Fields.space(buf, off, size);
        RtcpHeader.write(buf, off, chunks.size(), RtcpHeader.PT_SDES, size);
        int p = off + RtcpHeader.HEADER_BYTES;
        for (Chunk chunk : chunks) {
            p = chunk.encode(buf, p);
        }
        return size;
    }

    /** Parses one SDES at {@code buf[off..off+len)} (padding already excluded); null if malformed. */
    static SourceDescription decode(byte[] buf, int off, int len) {
        int count = RtcpHeader.count(buf, off);
        int end = off + len;
        int p = off + RtcpHeader.HEADER_BYTES;
        List<Chunk> chunks = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            if (p + 4 > end) {
                return null;
            }
            long ssrc = Bytes.uint32(buf, p);
            p += 4;
            List<Item> items = new ArrayList<>();
            while (true) {
                if (p >= end) {
                    return null; // the item list must end with a null octet
                }
                int type = buf[p] & 0xFF;
                if (type == END) {
                    // Skip the terminator and the null octets up to the next 32-bit boundary.
                    p = off + ((p + 1 - off + 3) & ~3);
                    break;
                }
                if (p + 2 > end) {
                    return null;
                }
                int length = buf[p + 1] & 0xFF;
                if (p + 2 + length > end) {
                    return null;
                }
                items.add(new Item(type, new String(buf, p + 2, length, StandardCharsets.UTF_8)));
                p += 2 + length;
            }
            if (p > end) {
                return null;
            }
            chunks.add(new Chunk(ssrc, items));
        }
        return new SourceDescription(chunks);
    }

    /**
     * The items describing one source.
     *
     * @param ssrc  the SSRC or CSRC described
     * @param items its items, in wire order
     */
    public record Chunk(long ssrc, List<Item> items) {

        /** @throws RtcpException if the SSRC is out of range */
        public Chunk {
            Fields.uint32("ssrc", ssrc);
            items = List.copyOf(items);
        }

        /** SSRC, items, the terminating null octet, padded to a multiple of 4. */
        int marshalSize() {
            int size = 4 + 1;
            for (Item item : items) {
                size += 2 + item.textBytes().length;
            }
            return (size + 3) & ~3;
        }

        int encode(byte[] buf, int p) {
            int start = p;
            Bytes.putUint32(buf, p, ssrc);
            p += 4;
            for (Item item : items) {
                byte[] text = item.textBytes();
                buf[p] = (byte) item.type();
                buf[p + 1] = (byte) text.length;
                System.arraycopy(text, 0, buf, p + 2, text.length);
                p += 2 + text.length;
            }
            int end = start + marshalSize();
            while (p < end) {
                buf[p++] = 0; // END item and padding
            }
            return end;
        }
    }

    /**
     * One SDES item.
     *
     * @param type an item type 1..255 ({@link #CNAME}, ...)
     * @param text the value, at most 255 bytes in UTF-8
     */
    public record Item(int type, String text) {

        /** @throws RtcpException if the type is 0 or above 255, or the text is longer than 255 bytes */
        public Item {
            Fields.range("type", type, 1, 255);
            Fields.range("text bytes", text.getBytes(StandardCharsets.UTF_8).length, 0, 255);
        }

        byte[] textBytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
