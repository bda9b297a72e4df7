package org.videoroom.sdp;

/** What the server does with one m= section after negotiation, from the server's point of view. */
public enum MediaRole {
    /** The browser publishes here (its sendrecv/sendonly m= section); the server receives. */
    RECEIVE,
    /** The server forwards a track here (the browser's recvonly m= section). */
    SEND,
    /** Accepted but idle: the offer was inactive, or recvonly with nothing to send yet. */
    INACTIVE,
    /** Port 0 in the answer: stopped by the browser or not supported by the server. */
    REJECTED
}
