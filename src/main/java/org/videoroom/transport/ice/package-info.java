/**
 * ICE for the SFU (RFC 8445, consent freshness RFC 7675), on one shared UDP port, built on ice4j.
 *
 * <p>{@link org.videoroom.transport.ice.IceServer} owns the port and is created once by the
 * application; it makes one {@link org.videoroom.transport.ice.IceTransport} per participant,
 * which hands the layer above (DTLS) every non-STUN datagram of the selected pair and sends on it.
 * Candidates cross the boundary as the SDP's {@link org.videoroom.sdp.IceCandidate} (RFC 8839
 * syntax), the one candidate type of the SDP, the signaling and ICE.
 *
 * <p>ice4j is used only inside this package: no public signature mentions an ice4j type. Security
 * boundary: only remote addresses in {@link org.videoroom.transport.ice.IceConfig#allowedRemoteNetworks()}
 * are ever answered or sent to (loopback by default).
 *
 * <p>ice4j never contacts STUN servers itself. When the application is configured to, it asks one for the
 * public address to advertise, once per start and outside ICE, with
 * {@link org.videoroom.transport.ice.StunAddressDiscovery} (plain JDK sockets, not the shared port).
 */
package org.videoroom.transport.ice;
