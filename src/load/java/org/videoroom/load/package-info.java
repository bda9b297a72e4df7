/**
 * The load tool: synthetic WebRTC participants that speak the room's real signaling, ICE, DTLS-SRTP and
 * RTCP against a running server, publish real Opus and VP8 simulcast replayed from a recording of Chromium's
 * fake devices, and measure what they receive (loss, jitter, one-way added latency); and the raw relay, the
 * minimal forwarder the SFU's cost is compared with. Not part of the WAR: it compiles with the tests.
 */
package org.videoroom.load;
