package org.videoroom.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the server asks one publisher layer to resend, and which RTX packets it then lets through. */
class RepairRequestsTest {

    private static final long MS = 1_000_000L;

    private final RepairRequests requests = new RepairRequests();

    @Test
    void aSequenceNumberAskedForAgainWithinTheDedupeWindowIsNotAskedTwice() {
        assertEquals(RepairRequests.Decision.ASK, requests.request(7, 0));
        assertEquals(RepairRequests.Decision.ALREADY_ASKED, requests.request(7, 50 * MS), "a second subscriber");
        assertEquals(RepairRequests.Decision.ASK, requests.request(7, 150 * MS), "the first request was lost");
    }

    @Test
    void anAnswerGoesOnOnceAndOnlyForWhatWasAsked() {
        requests.request(100, 0);

        assertFalse(requests.answer(99, 10 * MS), "never asked for");
        assertTrue(requests.answer(100, 10 * MS));
        assertFalse(requests.answer(100, 20 * MS), "answered already");
    }

    @Test
    void anAnswerAfterTheValidityWindowIsUnsolicited() {
        requests.request(100, 0);

        assertFalse(requests.answer(100, RepairRequests.VALID_NANOS));
    }

    @Test
    void aSlotReusedBy512LaterIsNotTakenForTheOlderNumber() {
        requests.request(5, 0);
        requests.request(5 + 512, 1);

        assertFalse(requests.answer(5, 2));
        assertTrue(requests.answer(5 + 512, 2));
    }

    @Test
    void requestsAreBoundedPerSecondAndTheBudgetRefills() {
        int asked = 0;
        for (int seq = 0; seq < 1_000; seq++) {
            if (requests.request(seq, 0) == RepairRequests.Decision.ASK) {
                asked++;
            }
        }
        assertEquals(RepairRequests.MAX_REQUESTS_PER_SECOND, asked, "one storm: one second's budget");
        assertEquals(RepairRequests.Decision.OVER_BUDGET, requests.request(2_000, 1 * MS));

        assertEquals(RepairRequests.Decision.ASK, requests.request(2_001, 100 * MS), "20 tokens back after 100 ms");
    }
}
