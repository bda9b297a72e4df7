/**
 * The media a synthetic participant publishes: real Opus and VP8 simulcast frames that headless Chromium encoded
 * from its fake camera and microphone ({@link org.videoroom.load.recording.RecordFakeDevices}), stored in the
 * repository as a small binary file ({@link org.videoroom.load.recording.Recording} describes the format). Real
 * encoded frames, not random bytes, so that a real browser subscribed to a synthetic participant decodes and shows
 * them, and the SFU's VP8 handling (keyframe detection, layer switches) sees what a browser would send.
 */
package org.videoroom.load.recording;
