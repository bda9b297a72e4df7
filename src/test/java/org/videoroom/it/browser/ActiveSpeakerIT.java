package org.videoroom.it.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.videoroom.it.TestDeployments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The active speaker, as the others see it: one participant's fake microphone plays a warbling tone, the other
 * two play silence; within 2 s of its audio arriving, the others' tiles of the tone participant say
 * {@code data-speaking="true"}, and no silent participant is ever marked.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ActiveSpeakerIT {

    private static final System.Logger LOG = System.getLogger(ActiveSpeakerIT.class.getName());
    private static final Duration SPEAKER_DEADLINE = Duration.ofSeconds(2);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.productWar();
    }

    @ArquillianResource
    URL deploymentUrl;

    private final Browsers browsers = new Browsers();
    private Path sounds;

    @AfterEach
    void closeBrowsersAndDeleteSounds() throws IOException {
        browsers.closeAll();
        if (sounds != null) {
            try (var files = Files.list(sounds)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(sounds);
        }
    }

    private RoomPage open(String name, Path sound) {
        return browsers.add(new RoomPage(name, Chromium.withArguments(name,
                List.of("--use-file-for-fake-audio-capture=" + sound))).withCamera(320, 240));
    }

    @Test
    void theParticipantWhoTalksBecomesTheActiveSpeakerWithinTwoSeconds() throws Exception {
        sounds = Files.createTempDirectory("videoroom-sounds-");
        Path tone = wav(sounds.resolve("tone.wav"), true);
        Path silence = wav(sounds.resolve("silence.wav"), false);
        URI base = TestDeployments.loopback(deploymentUrl);
        String room = "speaker-" + System.nanoTime();

        RoomPage bob = open("Bob", silence).join(base, room);
        RoomPage cy = open("Cy", silence).join(base, room);
        BrowserMedia.awaitMediaFromAll(bob, 1);
        BrowserMedia.awaitMediaFromAll(cy, 1);
        Thread.sleep(1_500);
        assertEquals("false", bob.tile(cy.participantId()).get("speaking"), "silence is no speech");

        RoomPage ada = open("Ada", tone).join(base, room);
        String adaId = ada.participantId() != null ? ada.participantId() : awaitId(ada);
        RoomPage.await(Duration.ofSeconds(30), "Bob receives Ada's audio",
                () -> bob.inbound().containsKey(adaId) && bob.inbound().get(adaId).audioPacketsReceived() > 0);
        long heard = System.nanoTime();
        RoomPage.await(SPEAKER_DEADLINE, "Bob and Cy see Ada as the active speaker",
                () -> "true".equals(bob.tile(adaId).get("speaking")) && "true".equals(cy.tile(adaId).get("speaking")));
        LOG.log(System.Logger.Level.INFO, "Ada became the active speaker {0} ms after her audio reached Bob",
                (System.nanoTime() - heard) / 1_000_000);
        BrowserMedia.awaitMediaFromAll(ada, 2);
        for (int i = 0; i < 5; i++) {
            assertEquals("false", ada.tile(bob.participantId()).get("speaking"));
            assertEquals("false", ada.tile(cy.participantId()).get("speaking"));
            assertEquals("false", bob.tile(cy.participantId()).get("speaking"));
            assertEquals("true", cy.tile(adaId).get("speaking"), "the speaker does not flicker");
            Thread.sleep(500);
        }

        // Speaker view: the active speaker's tile across the row, the others in a strip below.
        assertEquals("3", bob.browser().text("#participant-count"), "Bob, Ada and Cy");
        bob.press("layout");
        RoomPage.await(Duration.ofSeconds(3), "Bob's speaker view shows Ada large",
                () -> bob.tileWidth(adaId) > 1.5 * bob.tileWidth(cy.participantId()));
        LOG.log(System.Logger.Level.INFO, "speaker view: Ada {0} px wide, Cy {1} px", bob.tileWidth(adaId),
                bob.tileWidth(cy.participantId()));
        bob.press("layout");
        RoomPage.await(Duration.ofSeconds(3), "and the grid again",
                () -> Math.abs(bob.tileWidth(adaId) - bob.tileWidth(cy.participantId())) < 2);
    }

    private static String awaitId(RoomPage page) {
        RoomPage.await(Duration.ofSeconds(20), page.name() + " has joined", () -> page.participantId() != null);
        return page.participantId();
    }

    /**
     * Four seconds of 48 kHz mono 16-bit PCM, looped by Chromium: a tone whose pitch glides and whose loudness
     * pulses a few times a second, as speech does (a steady sine would be taken for noise and suppressed), or
     * silence.
     */
    private static Path wav(Path file, boolean tone) {
        int rate = 48_000;
        int samples = rate * 4;
        ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
                .putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples * 2);
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            double t = (double) i / rate;
            double pitch = 300 + 150 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * pitch / rate;
            double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
            double v = tone ? 0.5 * envelope * Math.sin(phase) : 0;
            b.putShort((short) Math.round(v * Short.MAX_VALUE));
        }
        try {
            return Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
