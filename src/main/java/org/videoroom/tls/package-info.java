/**
 * The https listener's certificate, prepared before the server starts (plain Java and Bouncy Castle's
 * certificate builder; no server API): {@link org.videoroom.tls.KeystoreSetup} is the command the build runs
 * ahead of Payara Micro. It either checks a PKCS#12 keystore the operator named ({@link
 * org.videoroom.tls.ConfiguredKeystore}) or keeps a self-signed one for this machine's names and addresses
 * ({@link org.videoroom.tls.SelfSignedKeystore}), and tells the server which one to load.
 *
 * <p>Browsers give camera and microphone only to secure contexts, so a room reached from another machine needs
 * https; this package is why {@code mvn package payara-micro:start} serves it with no setup. It shares nothing
 * with the DTLS certificate of {@code transport.dtls}: that one is vouched for by the SDP's fingerprint, this one
 * by a browser's trust store (or a person accepting it).
 */
package org.videoroom.tls;
