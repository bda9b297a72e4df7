package org.videoroom.sdp;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile-input check: seeded random mutations of the real captures must either parse or fail
 * with {@link SdpParseException}, and whatever parses must either be answered or refused with
 * {@link SdpNegotiationException}. Any other exception is a parser bug. Seeds are fixed so a
 * failure reproduces.
 */
class SdpMutationTest {

    private static final int MUTANTS_PER_CAPTURE = 400;
    private static final String ALPHABET = "aAzZ09 =:;/,.-*~\t\r\n\0{}()%";
    private static final LocalTransportParameters LOCAL = LocalTransportParameters.trickled("srvU",
            "0123456789abcdefghijkl", Fingerprint.of("sha-256", new byte[32]));

    static List<String> allCaptures() {
        return Captures.ALL_SDP;
    }

    @ParameterizedTest
    @MethodSource("allCaptures")
    void mutatedCapturesFailOnlyWithNamedExceptions(String capture) {
        String original = Captures.text(capture);
        Random random = new Random(capture.hashCode());
        int parsed = 0;
        for (int i = 0; i < MUTANTS_PER_CAPTURE; i++) {
            String mutant = mutate(original, random);
            SessionDescription description;
            try {
                description = SdpParser.parse(mutant);
            } catch (SdpParseException expected) {
                continue;
            } catch (RuntimeException e) {
                fail("mutant " + i + " of " + capture + " threw " + e, e);
                return;
            }
            parsed++;
            try {
                new AnswerBuilder(CodecPolicy.defaults()).answer(description, LOCAL, Origin.jsep(1, 1), Map.of())
                        .answer().toSdp();
            } catch (SdpNegotiationException expected) {
                // refused, by name
            } catch (RuntimeException e) {
                fail("answering mutant " + i + " of " + capture + " threw " + e, e);
            }
        }
        // Most single edits leave a parseable description; the answer builder must have been exercised.
        assertTrue(parsed > MUTANTS_PER_CAPTURE / 10, "only " + parsed + " mutants parsed");
    }

    @Test
    void randomTextIsRejected() {
        Random random = new Random(8866);
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(300);
            for (int j = 0; j < length; j++) {
                sb.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x3000) : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            try {
                SdpParser.parse(sb.toString());
            } catch (SdpParseException expected) {
                // rejected, by name; any other exception fails the test
            }
        }
    }

    @Test
    void mutatedCandidatesFailOnlyWithSdpParseException() {
        List<IceCandidate> seeds = new ArrayList<>(SdpParserTest.trickleCandidates(Captures.CHROMIUM_CANDIDATES));
        seeds.addAll(SdpParserTest.trickleCandidates(Captures.FIREFOX_CANDIDATES));
        Random random = new Random(8839);
        for (int i = 0; i < 2000; i++) {
            String mutant = mutateChars(seeds.get(random.nextInt(seeds.size())).format(), random);
            try {
                IceCandidate c = IceCandidate.parse(mutant);
                IceCandidate.parse(c.format());
            } catch (SdpParseException expected) {
                // rejected, by name
            } catch (RuntimeException e) {
                fail("candidate mutant '" + mutant + "' threw " + e, e);
            }
        }
    }

    /** One of: a character edit, a dropped, doubled or swapped line, or truncation. */
    private static String mutate(String sdp, Random random) {
        List<String> lines = new ArrayList<>(List.of(sdp.split("\r\n", -1)));
        int at = random.nextInt(lines.size());
        switch (random.nextInt(5)) {
            case 0 -> lines.set(at, mutateChars(lines.get(at), random));
            case 1 -> lines.remove(at);
            case 2 -> lines.add(at, lines.get(random.nextInt(lines.size())));
            case 3 -> {
                int other = random.nextInt(lines.size());
                String line = lines.get(at);
                lines.set(at, lines.get(other));
                lines.set(other, line);
            }
            default -> {
                return sdp.substring(0, random.nextInt(sdp.length() + 1));
            }
        }
        return String.join("\r\n", lines);
    }

    private static String mutateChars(String line, Random random) {
        StringBuilder sb = new StringBuilder(line);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int pos = sb.isEmpty() ? 0 : random.nextInt(sb.length());
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(3)) {
                case 0 -> sb.insert(pos, c);
                case 1 -> {
                    if (!sb.isEmpty()) {
                        sb.deleteCharAt(pos);
                    }
                }
                default -> {
                    if (!sb.isEmpty()) {
                        sb.setCharAt(pos, random.nextBoolean() ? c : Character.forDigit(random.nextInt(10), 10));
                    }
                }
            }
        }
        return sb.toString();
    }
}
