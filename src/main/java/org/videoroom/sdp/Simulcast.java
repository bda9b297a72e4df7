package org.videoroom.sdp;

import static org.videoroom.sdp.SdpSyntax.require;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code a=simulcast} line (RFC 8853 §5.1), e.g. {@code send q;h;f}: the simulcast streams the
 * author sends and receives. Each entry of {@link #send()} / {@link #recv()} is one stream given as
 * its alternative rids ({@code 1,2} offers two formats for the same stream; browsers write one).
 *
 * <p>Immutable; safe to share between threads.
 */
public record Simulcast(List<List<Stream>> send, List<List<Stream>> recv) {

    /**
     * One rid in a simulcast stream list.
     *
     * @param paused {@code ~} prefix: the stream is offered but not sent now (RFC 8853 §5.1)
     */
    public record Stream(String rid, boolean paused) {
        public Stream {
            require(Rid.isRidId(rid), "simulcast rid", rid);
        }

        String format() {
            return paused ? "~" + rid : rid;
        }
    }

    public Simulcast {
        send = copy(send);
        recv = copy(recv);
        require(!send.isEmpty() || !recv.isEmpty(), "simulcast", "no streams");
    }

    private static List<List<Stream>> copy(List<List<Stream>> streams) {
        List<List<Stream>> copy = new ArrayList<>();
        for (List<Stream> alternatives : streams) {
            require(!alternatives.isEmpty(), "simulcast stream", alternatives);
            copy.add(List.copyOf(alternatives));
        }
        return List.copyOf(copy);
    }

    /** The same streams from the other end: what one side sends the other receives. */
    public Simulcast reverse() {
        return new Simulcast(recv, send);
    }

    /** The first (preferred) rid of every stream in {@code streams}, in order. */
    public static List<String> firstRids(List<List<Stream>> streams) {
        return streams.stream().map(alternatives -> alternatives.get(0).rid()).toList();
    }

    static Simulcast parse(String value) {
        List<String> f = SdpSyntax.words(value);
        if (f.size() != 2 && f.size() != 4) {
            throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "simulcast: " + value);
        }
        List<List<Stream>> send = null;
        List<List<Stream>> recv = null;
        for (int i = 0; i < f.size(); i += 2) {
            List<List<Stream>> list = parseList(f.get(i + 1));
            switch (f.get(i)) {
                case "send" -> {
                    if (send != null) {
                        throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "two send lists: " + value);
                    }
                    send = list;
                }
                case "recv" -> {
                    if (recv != null) {
                        throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "two recv lists: " + value);
                    }
                    recv = list;
                }
                default -> throw SdpParseException.of(SdpParseException.Reason.BAD_ATTRIBUTE, "simulcast: " + value);
            }
        }
        List<List<Stream>> s = send == null ? List.of() : send;
        List<List<Stream>> r = recv == null ? List.of() : recv;
        return SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE, () -> new Simulcast(s, r));
    }

    private static List<List<Stream>> parseList(String list) {
        List<List<Stream>> streams = new ArrayList<>();
        for (String alt : list.split(";", -1)) {
            List<Stream> alternatives = new ArrayList<>();
            for (String id : alt.split(",", -1)) {
                boolean paused = id.startsWith("~");
                String rid = paused ? id.substring(1) : id;
                alternatives.add(
                        SdpSyntax.build(SdpParseException.Reason.BAD_ATTRIBUTE, () -> new Stream(rid, paused)));
            }
            streams.add(alternatives);
        }
        return streams;
    }

    /** The value after {@code a=simulcast:}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) {
            sb.append("send ").append(formatList(send));
        }
        if (!recv.isEmpty()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append("recv ").append(formatList(recv));
        }
        return sb.toString();
    }

    private static String formatList(List<List<Stream>> streams) {
        StringBuilder sb = new StringBuilder();
        for (List<Stream> alternatives : streams) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            for (int i = 0; i < alternatives.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(alternatives.get(i).format());
            }
        }
        return sb.toString();
    }
}
