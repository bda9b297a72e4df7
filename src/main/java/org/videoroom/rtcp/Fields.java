package org.videoroom.rtcp;

import java.util.List;
import org.videoroom.buffer.Bytes;

/** Range checks shared by the RTCP records' constructors and marshallers. */
final class Fields {

    static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private Fields() {
    }

    static long uint32(String name, long value) {
        if (value < 0 || value > MAX_UINT32) {
            throw new RtcpException(name + " out of 0..2^32-1: " + value);
        }
        return value;
    }

    static int range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new RtcpException(name + " out of " + min + ".." + max + ": " + value);
        }
        return value;
    }

    /** An immutable copy of {@code list}, at most {@code max} long. */
    static <T> List<T> list(String name, List<T> list, int max) {
        List<T> copy = List.copyOf(list);
        if (copy.size() > max) {
            throw new RtcpException(name + ": " + copy.size() + " items, at most " + max + " fit");
        }
        return copy;
    }

    /** Throws unless {@code size} bytes fit at {@code buf[off..]}. */
    static void space(byte[] buf, int off, int size) {
        if (!Bytes.inBounds(buf, off, size)) {
            throw new RtcpException("buffer too small: need " + size + " bytes at offset " + off);
        }
    }
}
