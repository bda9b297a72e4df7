package org.videoroom.transport.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A reusable view that lets jitsi-srtp transform the caller's array in place.
 *
 * <p>jitsi-srtp reads and writes packets through {@link ByteArrayBuffer}; its own implementations
 * reallocate when a tag does not fit. This one never reallocates: {@link SrtpSession} checks the
 * tail room before it hands the view over, so {@link #grow(int)} only has to confirm the room is
 * there. If it ever is not (a bug, not bad input), {@link InsufficientTailRoom} is thrown and the
 * session maps it to {@link SrtpStatus#NO_TAIL_ROOM}.
 *
 * <p>Not thread-safe: one instance per direction, used under that direction's lock.
 */
final class InPlaceBuffer implements ByteArrayBuffer {
    /** Thrown by {@link #grow(int)}; preallocated because it is a control signal, not a diagnosis. */
    static final class InsufficientTailRoom extends RuntimeException {
        private InsufficientTailRoom() {
            super("no tail room", null, false, false);
        }
    }

    private static final InsufficientTailRoom INSUFFICIENT_TAIL_ROOM = new InsufficientTailRoom();

    private byte[] buffer;
    private int offset;
    private int length;

    /** Points the view at a packet; drops any previous one. */
    void wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** Forgets the packet so the view holds no reference to the caller's array. */
    void release() {
        this.buffer = null;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        if (length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("length " + length);
        }
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        if (offset < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("offset " + offset);
        }
        this.offset = offset;
    }

    @Override
    public boolean isInvalid() {
        return buffer == null;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(buffer, offset + off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (buffer.length - offset - length < howMuch) {
            throw INSUFFICIENT_TAIL_ROOM;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}
