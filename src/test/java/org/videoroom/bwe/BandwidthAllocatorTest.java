package org.videoroom.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.videoroom.bwe.AllocatableTrack.Kind;
import org.videoroom.bwe.AllocatableTrack.Layer;

class BandwidthAllocatorTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    // Camera layers: 0 = 180p 150 kbit/s, 1 = 360p 500 kbit/s, 2 = 720p 1.5 Mbit/s.
    // A fresh allocator has no selection yet, so every layer is an upgrade and is charged × 1.15:
    // 180p 172.5k, 360p 575k, 720p 1725k; steps 0→1 402.5k, 1→2 1150k.
    private static final List<Layer> CAMERA = List.of(
            new Layer(0, 180, 30, 150_000), new Layer(1, 360, 30, 500_000), new Layer(2, 720, 30, 1_500_000));
    // Screen layers: 0 = 360p 200k, 1 = 720p 800k, 2 = 1080p 2M; charged fresh 230k, 920k, 2300k.
    private static final List<Layer> SCREEN = List.of(
            new Layer(0, 360, 5, 200_000), new Layer(1, 720, 15, 800_000), new Layer(2, 1080, 30, 2_000_000));

    static AllocatableTrack cam(String id, int priority, int tile) {
        return new AllocatableTrack(id, Kind.VIDEO, priority, true, tile, CAMERA);
    }

    static AllocatableTrack cam(String id, int priority, int tile, List<Layer> layers) {
        return new AllocatableTrack(id, Kind.VIDEO, priority, true, tile, layers);
    }

    static AllocatableTrack hidden(String id, int priority) {
        return new AllocatableTrack(id, Kind.VIDEO, priority, false, 0, CAMERA);
    }

    static AllocatableTrack screen(String id, int priority) {
        return new AllocatableTrack(id, Kind.SCREEN, priority, true, 0, SCREEN);
    }

    static AllocatableTrack audio(String id, long bps) {
        return new AllocatableTrack(id, Kind.AUDIO, 0, true, 0, List.of(new Layer(0, 0, 50, bps)));
    }

    /** "a:1 b:0 c:-1" → {a=1, b=0, c=-1}. */
    static Map<String, Integer> layers(String spec) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (String entry : spec.trim().split("\\s+")) {
            String[] kv = entry.split(":");
            map.put(kv[0], Integer.parseInt(kv[1]));
        }
        return map;
    }

    static Stream<Arguments> allocations() {
        List<AllocatableTrack> abc = List.of(cam("a", 3, 0), cam("b", 2, 0), cam("c", 1, 0));
        List<AllocatableTrack> cba = List.of(cam("a", 1, 0), cam("b", 2, 0), cam("c", 3, 0));
        // equal priority, tiles 720/360/180 px: served in that order, capped at layers 2/1/0
        List<AllocatableTrack> tiles = List.of(cam("a", 1, 720), cam("b", 1, 360), cam("c", 1, 180));
        List<Layer> noLowest = List.of(
                new Layer(0, 180, 30, 0), new Layer(1, 360, 30, 500_000), new Layer(2, 720, 30, 1_500_000));
        List<Layer> noMiddle = List.of(
                new Layer(0, 180, 30, 150_000), new Layer(1, 360, 30, 0), new Layer(2, 720, 30, 1_500_000));
        List<Layer> none = List.of(new Layer(0, 180, 30, 0), new Layer(1, 360, 30, 0));
        return Stream.of(
                // name, estimate in bps, tracks, expected selected layers
                Arguments.of("100k: nobody's lowest fits", 100_000, abc, "a:-1 b:-1 c:-1"),
                Arguments.of("300k: lowest for the top priority only", 300_000, abc, "a:0 b:-1 c:-1"),
                Arguments.of("300k: priority decides who", 300_000, cba, "a:-1 b:-1 c:0"),
                Arguments.of("520k: all lowest (3 × 172.5k)", 520_000, abc, "a:0 b:0 c:0"),
                Arguments.of("1M: all lowest, then the top priority up", 1_000_000, abc, "a:1 b:0 c:0"),
                Arguments.of("1.5M: upgrades in priority order", 1_500_000, abc, "a:1 b:1 c:0"),
                Arguments.of("1.5M: reversed priorities", 1_500_000, cba, "a:0 b:1 c:1"),
                Arguments.of("3M: all 360p before anyone's 720p", 3_000_000, abc, "a:2 b:1 c:1"),
                Arguments.of("10M: all top", 10_000_000, abc, "a:2 b:2 c:2"),
                Arguments.of("1M: larger tile first at equal priority", 1_000_000, tiles, "a:1 b:0 c:0"),
                Arguments.of("10M: tile caps 720/360/180", 10_000_000, tiles, "a:2 b:1 c:0"),
                Arguments.of("10M: tile 200px → the 360p layer", 10_000_000, List.of(cam("a", 1, 200)), "a:1"),
                Arguments.of("10M: tile 1080px → the top layer", 10_000_000, List.of(cam("a", 1, 1080)), "a:2"),
                Arguments.of("10M: tile 1px → the lowest layer", 10_000_000, List.of(cam("a", 1, 1)), "a:0"),
                Arguments.of("unknown tile (0) counts as largest", 1_000_000,
                        List.of(cam("a", 1, 720), cam("b", 1, 0)), "a:0 b:1"),
                Arguments.of("priority beats tile size", 1_000_000,
                        List.of(cam("a", 1, 720), cam("b", 2, 180)), "a:1 b:0"),
                Arguments.of("equal everything: trackId decides", 300_000,
                        List.of(cam("b", 1, 0), cam("a", 1, 0)), "a:0 b:-1"),
                Arguments.of("10M: invisible gets nothing", 10_000_000,
                        List.of(cam("a", 3, 0), hidden("b", 9), cam("c", 1, 0)), "a:2 b:-1 c:2"),
                Arguments.of("250k: screen share first, whatever its priority", 250_000,
                        List.of(cam("a", 3, 0), screen("s", 0)), "s:0 a:-1"),
                Arguments.of("1M: screen lowest, cameras lowest, screen step too big", 1_000_000,
                        List.of(cam("a", 3, 0), cam("b", 2, 0), screen("s", 0)), "s:0 a:1 b:0"),
                Arguments.of("3M: screen to its top before cameras beyond lowest", 3_000_000,
                        List.of(cam("a", 3, 0), cam("b", 2, 0), screen("s", 0)), "s:2 a:0 b:0"),
                Arguments.of("550k: audio 40k reserved, cameras share 510k", 550_000,
                        List.of(audio("m", 40_000), cam("a", 3, 0), cam("b", 2, 0), cam("c", 1, 0)),
                        "m:0 a:0 b:0 c:-1"),
                Arguments.of("560k: silent audio reserves 50k", 560_000,
                        List.of(audio("m", 0), cam("a", 3, 0), cam("b", 2, 0), cam("c", 1, 0)),
                        "m:0 a:0 b:0 c:-1"),
                Arguments.of("0: audio allocated anyway", 0, List.of(audio("m", 40_000), cam("a", 3, 0)),
                        "m:0 a:-1"),
                Arguments.of("1M: inactive lowest skipped, a starts at 360p", 1_000_000,
                        List.of(cam("a", 3, 0, noLowest), cam("b", 2, 0), cam("c", 1, 0)), "a:1 b:0 c:0"),
                Arguments.of("10M: inactive middle, tile 200 → the 720p layer", 10_000_000,
                        List.of(cam("a", 3, 200, noMiddle)), "a:2"),
                Arguments.of("1M: inactive middle, the step to 720p does not fit", 1_000_000,
                        List.of(cam("a", 3, 0, noMiddle)), "a:0"),
                Arguments.of("2M: inactive middle, the upgrade jumps to 720p", 2_000_000,
                        List.of(cam("a", 3, 0, noMiddle)), "a:2"),
                Arguments.of("10M: nothing sent → nothing", 10_000_000,
                        List.of(cam("a", 3, 0, none), cam("b", 2, 0)), "a:-1 b:2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocations")
    void allocatesLayers(String name, long estimateBps, List<AllocatableTrack> tracks, String expected) {
        Allocation allocation = new BandwidthAllocator().allocate(estimateBps, tracks, 0);
        assertEquals(layers(expected), allocation.selectedLayers());
        assertEquals(tracks.size(), allocation.tracks().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocations")
    void resultDoesNotDependOnInputOrder(String name, long estimateBps, List<AllocatableTrack> tracks,
                                         String expected) {
        List<AllocatableTrack> shuffled = new ArrayList<>(tracks);
        Collections.shuffle(shuffled, new Random(name.hashCode()));
        Allocation inOrder = new BandwidthAllocator().allocate(estimateBps, tracks, 0);
        Allocation reordered = new BandwidthAllocator().allocate(estimateBps, shuffled, 0);
        assertEquals(inOrder, reordered);
        assertEquals(List.copyOf(inOrder.tracks().keySet()), List.copyOf(reordered.tracks().keySet()));
    }

    @Test
    void reportsTargetsTotalsAndProbing() {
        List<AllocatableTrack> tracks = List.of(
                audio("m", 40_000), cam("a", 3, 720), cam("b", 2, 200), hidden("c", 1));
        BandwidthAllocator allocator = new BandwidthAllocator();

        Allocation tight = allocator.allocate(1_000_000, tracks, 0);
        assertEquals(layers("m:0 a:1 b:0 c:-1"), tight.selectedLayers());
        assertEquals(2, tight.targetLayer("a"));
        assertEquals(1, tight.targetLayer("b"));
        assertEquals(-1, tight.targetLayer("c"));
        assertEquals(-1, tight.selectedLayer("unknown"));
        assertEquals(40_000 + 500_000 + 150_000, tight.allocatedBps());
        assertEquals(40_000 + 1_500_000 + 500_000, tight.idealBps());
        assertEquals(1_000_000, tight.estimateBps());
        assertTrue(tight.probingWanted());
        assertEquals(tight, allocator.last());

        Allocation ample = allocator.allocate(3_000_000, tracks, 1_000 * MS);
        assertEquals(layers("m:0 a:2 b:1 c:-1"), ample.selectedLayers());
        assertEquals(ample.idealBps(), ample.allocatedBps());
        assertFalse(ample.probingWanted());
    }

    @Test
    void emptyBeforeTheFirstRunAndWithoutTracks() {
        BandwidthAllocator allocator = new BandwidthAllocator();
        assertEquals(Allocation.EMPTY, allocator.last());
        Allocation none = allocator.allocate(1_000_000, List.of(), 0);
        assertEquals(Map.of(), none.tracks());
        assertEquals(0, none.allocatedBps());
        assertFalse(none.probingWanted());
    }

    @Test
    void estimateOscillatingAroundAnUpgradeThresholdDoesNotFlip() {
        // At 180p, going to 360p needs 575k (500k × 1.15): ±5 % around 500k never gets there.
        BandwidthAllocator allocator = new BandwidthAllocator();
        List<AllocatableTrack> tracks = List.of(cam("a", 1, 0));
        for (int i = 0; i < 20; i++) {
            long estimate = i % 2 == 0 ? 475_000 : 525_000;
            assertEquals(0, allocator.allocate(estimate, tracks, i * 1_000 * MS).selectedLayer("a"), "step " + i);
        }
        assertEquals(1, allocator.allocate(575_000, tracks, 20_000 * MS).selectedLayer("a"));
    }

    @Test
    void estimateOscillatingAroundTheKeptLayersNeedDoesNotFlip() {
        // At 360p the layer is kept down to 450k (500k × 0.9): ±5 % around 500k keeps it.
        BandwidthAllocator allocator = new BandwidthAllocator();
        List<AllocatableTrack> tracks = List.of(cam("a", 1, 0));
        assertEquals(1, allocator.allocate(600_000, tracks, 0).selectedLayer("a"));
        for (int i = 1; i <= 20; i++) {
            long estimate = i % 2 == 0 ? 475_000 : 525_000;
            assertEquals(1, allocator.allocate(estimate, tracks, i * 1_000 * MS).selectedLayer("a"), "step " + i);
        }
        assertEquals(1, allocator.allocate(450_000, tracks, 21_000 * MS).selectedLayer("a"));
        assertEquals(0, allocator.allocate(449_999, tracks, 22_000 * MS).selectedLayer("a"));
    }

    @Test
    void oscillationBetweenTwoTracksDoesNotSwapThem() {
        // Two cameras at their lowest share 300k (2 × 135k kept); a third never squeezes in at ±5 %.
        BandwidthAllocator allocator = new BandwidthAllocator();
        List<AllocatableTrack> tracks = List.of(cam("a", 3, 0), cam("b", 2, 0), cam("c", 1, 0));
        assertEquals(layers("a:0 b:0 c:-1"), allocator.allocate(350_000, tracks, 0).selectedLayers());
        for (int i = 1; i <= 20; i++) {
            long estimate = i % 2 == 0 ? 285_000 : 315_000;
            assertEquals(layers("a:0 b:0 c:-1"), allocator.allocate(estimate, tracks, i * 500 * MS)
                    .selectedLayers(), "step " + i);
        }
    }

    @Test
    void upgradeAfterADowngradeWaitsTwoSeconds() {
        BandwidthAllocator allocator = new BandwidthAllocator();
        List<AllocatableTrack> tracks = List.of(cam("a", 1, 0));
        long t0 = -5_000 * MS; // nanoTime may be negative
        assertEquals(2, allocator.allocate(2_000_000, tracks, t0).selectedLayer("a"));

        Allocation down = allocator.allocate(1_000_000, tracks, t0 + 1_000 * MS); // 720p kept needs 1.35M
        assertEquals(1, down.selectedLayer("a"));
        assertTrue(down.probingWanted());

        Allocation held = allocator.allocate(2_000_000, tracks, t0 + 1_100 * MS);
        assertEquals(1, held.selectedLayer("a"));
        assertEquals(2, held.targetLayer("a"));
        assertFalse(held.probingWanted(), "the estimate suffices; only the hold-off keeps the layer down");
        assertEquals(1, allocator.allocate(2_000_000, tracks, t0 + 2_999 * MS).selectedLayer("a"));
        assertEquals(2, allocator.allocate(2_000_000, tracks, t0 + 3_000 * MS).selectedLayer("a"));
    }

    @Test
    void holdOffAlsoAppliesAfterLosingVideoEntirely() {
        BandwidthAllocator allocator = new BandwidthAllocator();
        List<AllocatableTrack> tracks = List.of(cam("a", 1, 0));
        assertEquals(2, allocator.allocate(2_000_000, tracks, 0).selectedLayer("a"));
        assertEquals(-1, allocator.allocate(100_000, tracks, 500 * MS).selectedLayer("a"));
        assertEquals(-1, allocator.allocate(10_000_000, tracks, 2_400 * MS).selectedLayer("a"));
        assertEquals(2, allocator.allocate(10_000_000, tracks, 2_500 * MS).selectedLayer("a"));
    }

    @Test
    void holdOffIsPerTrackAndRestartsWithEachDowngrade() {
        BandwidthAllocator allocator = new BandwidthAllocator();
        List<AllocatableTrack> tracks = List.of(cam("a", 2, 0), cam("b", 1, 0));
        assertEquals(layers("a:1 b:1"), allocator.allocate(1_500_000, tracks, 0).selectedLayers());
        // 600k: a keeps 360p (450k), b drops to 180p (135k): b's hold-off starts at 1 s.
        assertEquals(layers("a:1 b:0"), allocator.allocate(600_000, tracks, 1_000 * MS).selectedLayers());
        // a was not downgraded and may go up at once; b stays down.
        assertEquals(layers("a:2 b:0"), allocator.allocate(3_000_000, tracks, 1_500 * MS).selectedLayers());
        // 200k at 2.5 s: a keeps only 180p (135k), b gets nothing; both hold off until 4.5 s, b's first one
        // (until 3 s) restarted.
        assertEquals(layers("a:0 b:-1"), allocator.allocate(200_000, tracks, 2_500 * MS).selectedLayers());
        assertEquals(layers("a:0 b:-1"), allocator.allocate(4_000_000, tracks, 4_000 * MS).selectedLayers());
        assertEquals(layers("a:2 b:2"), allocator.allocate(4_000_000, tracks, 4_500 * MS).selectedLayers());
    }

    @Test
    void visibilityAndTileChangesAreNotBandwidthDowngrades() {
        BandwidthAllocator allocator = new BandwidthAllocator();
        assertEquals(2, allocator.allocate(2_000_000, List.of(cam("a", 1, 0)), 0).selectedLayer("a"));
        assertEquals(-1, allocator.allocate(2_000_000, List.of(hidden("a", 1)), 100 * MS).selectedLayer("a"));
        assertEquals(2, allocator.allocate(2_000_000, List.of(cam("a", 1, 0)), 200 * MS).selectedLayer("a"));
        assertEquals(1, allocator.allocate(2_000_000, List.of(cam("a", 1, 300)), 300 * MS).selectedLayer("a"));
        assertEquals(2, allocator.allocate(2_000_000, List.of(cam("a", 1, 0)), 400 * MS).selectedLayer("a"));
    }

    @Test
    void aTrackThatLeavesIsForgotten() {
        BandwidthAllocator allocator = new BandwidthAllocator();
        assertEquals(2, allocator.allocate(2_000_000, List.of(cam("a", 1, 0)), 0).selectedLayer("a"));
        assertEquals(1, allocator.allocate(1_000_000, List.of(cam("a", 1, 0)), 100 * MS).selectedLayer("a"));
        allocator.allocate(1_000_000, List.of(), 200 * MS);
        // back as a new track: no hold-off, but an upgrade from nothing needs × 1.15
        assertEquals(1, allocator.allocate(1_700_000, List.of(cam("a", 1, 0)), 300 * MS).selectedLayer("a"));
        assertEquals(2, allocator.allocate(1_725_000, List.of(cam("a", 1, 0)), 400 * MS).selectedLayer("a"));
    }

    @Test
    void sameSequenceSameResults() {
        long[] estimates = {300_000, 1_000_000, 2_500_000, 800_000, 5_000_000, 420_000, 10_000_000};
        List<AllocatableTrack> tracks = List.of(
                audio("m", 30_000), screen("s", 0), cam("a", 3, 360), cam("b", 2, 0), hidden("c", 5));
        BandwidthAllocator one = new BandwidthAllocator();
        BandwidthAllocator two = new BandwidthAllocator();
        for (int i = 0; i < estimates.length; i++) {
            assertEquals(one.allocate(estimates[i], tracks, i * 700 * MS),
                    two.allocate(estimates[i], tracks, i * 700 * MS));
        }
    }

    static Stream<Arguments> invalidRecords() {
        List<Layer> ok = List.of(new Layer(0, 180, 30, 1));
        return Stream.of(
                Arguments.of("negative layer index", IllegalArgumentException.class,
                        (Runnable) () -> new Layer(-1, 180, 30, 1)),
                Arguments.of("negative height", IllegalArgumentException.class,
                        (Runnable) () -> new Layer(0, -1, 30, 1)),
                Arguments.of("negative frame rate", IllegalArgumentException.class,
                        (Runnable) () -> new Layer(0, 180, -1, 1)),
                Arguments.of("negative bitrate", IllegalArgumentException.class,
                        (Runnable) () -> new Layer(0, 180, 30, -1)),
                Arguments.of("null trackId", NullPointerException.class,
                        (Runnable) () -> new AllocatableTrack(null, Kind.VIDEO, 0, true, 0, ok)),
                Arguments.of("blank trackId", IllegalArgumentException.class,
                        (Runnable) () -> new AllocatableTrack(" ", Kind.VIDEO, 0, true, 0, ok)),
                Arguments.of("null kind", NullPointerException.class,
                        (Runnable) () -> new AllocatableTrack("a", null, 0, true, 0, ok)),
                Arguments.of("null layers", NullPointerException.class,
                        (Runnable) () -> new AllocatableTrack("a", Kind.VIDEO, 0, true, 0, null)),
                Arguments.of("null layer", NullPointerException.class,
                        (Runnable) () -> new AllocatableTrack("a", Kind.VIDEO, 0, true, 0,
                                Collections.singletonList(null))),
                Arguments.of("negative tile height", IllegalArgumentException.class,
                        (Runnable) () -> new AllocatableTrack("a", Kind.VIDEO, 0, true, -1, ok)),
                Arguments.of("indices not increasing", IllegalArgumentException.class,
                        (Runnable) () -> new AllocatableTrack("a", Kind.VIDEO, 0, true, 0,
                                List.of(new Layer(1, 180, 30, 1), new Layer(1, 360, 30, 1)))),
                Arguments.of("heights decreasing", IllegalArgumentException.class,
                        (Runnable) () -> new AllocatableTrack("a", Kind.VIDEO, 0, true, 0,
                                List.of(new Layer(0, 360, 30, 1), new Layer(1, 180, 30, 1)))),
                Arguments.of("negative estimate", IllegalArgumentException.class,
                        (Runnable) () -> new BandwidthAllocator().allocate(-1, List.of(), 0)),
                Arguments.of("null tracks", NullPointerException.class,
                        (Runnable) () -> new BandwidthAllocator().allocate(0, null, 0)),
                Arguments.of("duplicate trackId", IllegalArgumentException.class,
                        (Runnable) () -> new BandwidthAllocator().allocate(0,
                                List.of(cam("a", 1, 0), audio("a", 1)), 0)),
                Arguments.of("allocation with negative bitrate", IllegalArgumentException.class,
                        (Runnable) () -> new Allocation(-1, 0, 0, false, Map.of())),
                Arguments.of("track allocation below -1", IllegalArgumentException.class,
                        (Runnable) () -> new Allocation.TrackAllocation("a", Kind.VIDEO, -2, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    void rejectsInvalidInput(String name, Class<? extends Throwable> expected, Runnable construct) {
        assertThrows(expected, construct::run);
    }

    @Test
    void recordsCopyTheirCollections() {
        List<Layer> layers = new ArrayList<>(CAMERA);
        AllocatableTrack track = cam("a", 1, 0, layers);
        layers.clear();
        assertEquals(3, track.layers().size());
        Allocation allocation = new BandwidthAllocator().allocate(1_000_000, List.of(track), 0);
        assertThrows(UnsupportedOperationException.class, () -> allocation.tracks().clear());
        assertThrows(UnsupportedOperationException.class, () -> track.layers().clear());
    }
}
