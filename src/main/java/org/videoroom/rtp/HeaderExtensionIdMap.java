package org.videoroom.rtp;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A translation of RTP header extension ids (RFC 8285 §5) from one peer's negotiated numbering to
 * another's, applied in place by {@link RtpPacket#rewriteExtensionIds}.
 *
 * <p>Publisher and subscriber negotiate {@code a=extmap} ids independently, so the same URI (say
 * {@code urn:ietf:params:rtp-hdrext:sdes:mid}) may be id 4 on the way in and id 9 on the way out.
 * Ids missing from the map belong to extensions the receiver did not negotiate; the rewrite strips
 * them (turns them into padding), because the receiver might know that id under another meaning.
 *
 * <p>Built once per subscription on the control plane; the constructor rejects invalid maps with an
 * {@link IllegalArgumentException}. Lookups are an array index. Thread-safety: immutable.
 */
public final class HeaderExtensionIdMap {

    /** Largest id of the two-byte form (RFC 8285 §4.3); the one-byte form allows 1..14 (§4.2). */
    public static final int MAX_ID = 255;

    /** Largest id usable in the one-byte form (RFC 8285 §4.2; 15 is reserved). */
    public static final int MAX_ONE_BYTE_ID = 14;

    /** A map that strips every extension. */
    public static final HeaderExtensionIdMap STRIP_ALL = new HeaderExtensionIdMap(new int[MAX_ID + 1]);

    /** {@code table[oldId]} is the new id, or 0 to strip. */
    private final int[] table;

    private HeaderExtensionIdMap(int[] table) {
        this.table = table;
    }

    /**
     * A map from {@code oldToNew} (old id to new id, each in 1..255, new ids distinct).
     *
     * @throws IllegalArgumentException if an id is out of range or two old ids share a new one
     */
    public static HeaderExtensionIdMap of(Map<Integer, Integer> oldToNew) {
        int[] table = new int[MAX_ID + 1];
        boolean[] used = new boolean[MAX_ID + 1];
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(oldToNew).entrySet()) {
            int from = e.getKey();
            int to = e.getValue();
            if (from < 1 || from > MAX_ID || to < 1 || to > MAX_ID) {
                throw new IllegalArgumentException("extension id out of 1.." + MAX_ID + ": " + from + " -> " + to);
            }
            if (used[to]) {
                throw new IllegalArgumentException("two extensions map to id " + to);
            }
            used[to] = true;
            table[from] = to;
        }
        return new HeaderExtensionIdMap(table);
    }

    /** The new id for {@code oldId}, or 0 if that extension is to be stripped. */
    public int map(int oldId) {
        return oldId > 0 && oldId <= MAX_ID ? table[oldId] : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderExtensionIdMap other && Arrays.equals(table, other.table);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(table);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HeaderExtensionIdMap{");
        String sep = "";
        for (int id = 1; id <= MAX_ID; id++) {
            if (table[id] != 0) {
                sb.append(sep).append(id).append("->").append(table[id]);
                sep = ", ";
            }
        }
        return sb.append('}').toString();
    }
}
