package org.videoroom.load.recording;

/**
 * The uncompressed header at the start of every VP8 frame (RFC 6386 §9.1), which tells a keyframe from an
 * interframe without decoding, and a keyframe's size. Checks that recorded frames are real VP8 of the size the layer
 * claims: the recording's own keyframe flag comes from the encoder, this from the bytes a decoder will see.
 * <pre>
 *  frame tag, 3 bytes little-endian:
 *   bit 0       key_frame: 0 = keyframe, 1 = interframe
 *   bits 1-3    version
 *   bit 4       show_frame
 *   bits 5-23   first_part_size (bytes of the first partition)
 *  keyframes only, 7 bytes more:
 *   0x9d 0x01 0x2a              start code
 *   2 bytes little-endian       width (14 bits), horizontal scale (2 bits)
 *   2 bytes little-endian       height (14 bits), vertical scale (2 bits)
 * </pre>
 *
 * @param keyframe           whether the frame is a keyframe
 * @param version            the reconstruction filter and loop filter version, 0 to 3 in practice
 * @param showFrame          whether the decoder shows the frame
 * @param firstPartitionSize size of the first partition after this header, bytes
 * @param width              width in pixels, keyframes only (0 on interframes)
 * @param height             height in pixels, keyframes only (0 on interframes)
 */
public record Vp8FrameHeader(boolean keyframe, int version, boolean showFrame, int firstPartitionSize,
                             int width, int height) {

    /** The frame tag's size; an interframe's header is just this. */
    public static final int FRAME_TAG_BYTES = 3;
    /** A keyframe's header: the frame tag, start code, width and height. */
    public static final int KEYFRAME_HEADER_BYTES = 10;

    /**
     * Reads the header at the start of a frame.
     *
     * @throws IllegalArgumentException if the bytes are too short for the header, or a keyframe lacks the start code
     */
    public static Vp8FrameHeader parse(byte[] frame) {
        if (frame.length < FRAME_TAG_BYTES) {
            throw new IllegalArgumentException("VP8 frame of " + frame.length + " bytes has no frame tag");
        }
        int tag = (frame[0] & 0xff) | (frame[1] & 0xff) << 8 | (frame[2] & 0xff) << 16;
        boolean keyframe = (tag & 0x01) == 0;
        int version = (tag >> 1) & 0x07;
        boolean showFrame = (tag & 0x10) != 0;
        int firstPartitionSize = tag >>> 5;
        if (!keyframe) {
            return new Vp8FrameHeader(false, version, showFrame, firstPartitionSize, 0, 0);
        }
        if (frame.length < KEYFRAME_HEADER_BYTES) {
            throw new IllegalArgumentException("VP8 keyframe of " + frame.length + " bytes has no size");
        }
        if ((frame[3] & 0xff) != 0x9d || (frame[4] & 0xff) != 0x01 || (frame[5] & 0xff) != 0x2a) {
            throw new IllegalArgumentException(String.format("VP8 keyframe start code %02x %02x %02x, not 9d 01 2a",
                    frame[3], frame[4], frame[5]));
        }
        int width = ((frame[6] & 0xff) | (frame[7] & 0xff) << 8) & 0x3fff;
        int height = ((frame[8] & 0xff) | (frame[9] & 0xff) << 8) & 0x3fff;
        return new Vp8FrameHeader(true, version, showFrame, firstPartitionSize, width, height);
    }
}
