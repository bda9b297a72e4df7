/**
 * Byte arrays for the packet path: {@link org.videoroom.buffer.BufferPool} hands out pooled arrays
 * with head and tail room so packets can grow in place (RTX header shift, SRTP tag), and
 * {@link org.videoroom.buffer.Bytes} reads and writes big-endian fields in them.
 *
 * <p>Ownership rule: exactly one owner per buffer at a time. A stage that drops a packet releases
 * its buffer; a fan-out copies for every taker but the last, which receives the original.
 *
 * <p>JDK only.
 */
package org.videoroom.buffer;
