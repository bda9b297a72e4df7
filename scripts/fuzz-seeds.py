#!/usr/bin/env python3
"""Writes the seed corpora of the parser fuzz tests (README "Fuzzing") from the repository's captures and from
packets built here field by field. Run from the repository root; it replaces only the seed-*.bin files."""
import json
import pathlib
import struct

ROOT = pathlib.Path("src/test/resources")
CAPTURES = ROOT / "captures"


def target(cls_dir, name):
    d = ROOT / cls_dir / name
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("seed-*.bin"):
        old.unlink()
    return d


def write(d, items):
    for i, data in enumerate(items):
        (d / f"seed-{i:02d}.bin").write_bytes(data if isinstance(data, bytes) else data.encode())


def rtp(pt=96, seq=1, ts=1000, ssrc=0x11223344, marker=False, csrcs=(), ext=None, payload=b"", pad=0):
    b0 = 0x80 | (0x20 if pad else 0) | (0x10 if ext is not None else 0) | len(csrcs)
    out = struct.pack("!BBHII", b0, (0x80 if marker else 0) | pt, seq, ts, ssrc)
    for c in csrcs:
        out += struct.pack("!I", c)
    if ext is not None:
        profile, body = ext
        body += b"\0" * (-len(body) % 4)
        out += struct.pack("!HH", profile, len(body) // 4) + body
    out += payload
    if pad:
        out += b"\0" * (pad - 1) + bytes([pad])
    return out


def one_byte_ext(*elements):
    return 0xBEDE, b"".join(bytes([(i << 4) | (len(v) - 1)]) + v for i, v in elements)


def two_byte_ext(*elements):
    return 0x1000, b"".join(bytes([i, len(v)]) + v for i, v in elements)


# VP8 payload: descriptor with a 15-bit picture id, then a keyframe header of 640x360.
VP8_KEY = bytes([0x90, 0x80, 0x81, 0x23]) + bytes([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a]) + struct.pack("<HH", 640, 360)
rtps = [
    rtp(),
    rtp(pt=111, payload=b"\xfc" + b"\x00" * 40, ext=one_byte_ext((1, b"\x8a"), (4, b"\x00\x10"), (9, b"0"))),
    rtp(marker=True, payload=VP8_KEY + b"\x00" * 20, ext=one_byte_ext((3, b"\x12\x34\x56"), (10, b"h"))),
    rtp(csrcs=(1, 2, 3), ext=two_byte_ext((1, b""), (200, b"abcd")), payload=b"\x10\x00", pad=4),
    rtp(pt=97, payload=b"\x12\x34" + VP8_KEY),
]
write(target("org/videoroom/fuzz/ParserFuzzTestInputs", "rtp"), rtps)


def rtcp(pt, count, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("!BBH", 0x80 | count, pt, len(body) // 4) + body


sr = rtcp(200, 1, struct.pack("!IIIIII", 0x11223344, 0xE0000000, 0, 1000, 10, 1200)
          + struct.pack("!IIIIII", 0x55667788, 0x01000010, 0x0000FFFF, 20, 0, 0))
rr = rtcp(201, 1, struct.pack("!I", 1) + struct.pack("!IIIIII", 2, 0x00000003, 5, 7, 0, 0))
sdes = rtcp(202, 1, struct.pack("!I", 0x11223344) + b"\x01\x10uuEi9sL/eQO693ge\x00\x00")
bye = rtcp(203, 1, struct.pack("!I", 0x11223344) + b"\x03bye")
nack = rtcp(205, 1, struct.pack("!IIHH", 1, 2, 100, 0x8001))
pli = rtcp(206, 1, struct.pack("!II", 1, 2))
fir = rtcp(206, 4, struct.pack("!II", 1, 0) + struct.pack("!IB3x", 2, 7))
remb = rtcp(206, 15, struct.pack("!II", 1, 0) + b"REMB" + bytes([1, 0x0b, 0x71, 0x2c]) + struct.pack("!I", 2))
twcc = rtcp(205, 15, struct.pack("!IIHH", 1, 2, 65000, 5) + b"\x00\x00\x10\x01" + b"\xd9\x40" + b"\x04\x08\x00")
app = rtcp(204, 0, struct.pack("!I", 1) + b"name" + b"data")
write(target("org/videoroom/fuzz/ParserFuzzTestInputs", "rtcp"),
      [sr + sdes, rr + remb, nack + pli + fir, twcc, bye, app, rr + twcc + nack])

write(target("org/videoroom/fuzz/ParserFuzzTestInputs", "sdp"),
      [p.read_bytes() for p in sorted(CAPTURES.glob("*.sdp"))])

candidates = []
for p in sorted(CAPTURES.glob("*-candidates.jsonl")):
    for line in p.read_text().splitlines():
        if line.strip():
            candidates.append(json.loads(line)["candidate"])
candidates += ["candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active",
               "candidate:2 1 udp 1686052607 203.0.113.7 50000 typ srflx raddr 10.0.0.2 rport 50000",
               "candidate:3 1 udp 41885439 198.51.100.9 3478 typ relay raddr 0.0.0.0 rport 0",
               "candidate:4 1 udp 2113937151 8d2e2d1f-1b1f-4a0c-9f2e-6a0e5c8d7a11.local 54321 typ host"]
write(target("org/videoroom/fuzz/ParserFuzzTestInputs", "candidate"), candidates)

offer = (CAPTURES / "firefox-153-offer.sdp").read_text()
write(target("org/videoroom/fuzz/ParserFuzzTestInputs", "signaling"), [
    '{"type":"join","name":"Ada"}',
    '{"type":"leave"}',
    json.dumps({"type": "offer", "sdp": offer, "subscriptions": {"2": "p1-0", "3": "p1-1"}}),
    '{"type":"candidate","candidate":"candidate:1 1 udp 2122194687 127.0.0.1 53162 typ host","sdpMid":"0"}',
    '{"type":"candidate","candidate":""}',
    '{"type":"viewport","tiles":{"Eb-QpSX0jRPZ":{"visible":true,"height":360},"x":{"visible":false,"height":0}}}',
    '{"type":"state","audioMuted":true,"videoMuted":false,"handRaised":null}',
    '{"type":"chat","text":"<b>hi</b> \\u00e9\\n"}',
])


def vectors(path):
    """The hex of each named multi-line value of one of our vector files."""
    out, name = {}, None
    for line in pathlib.Path(path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            name = None
            continue
        if not line.startswith(" ") and ":" in line:
            name, value = line.split(":", 1)
            out[name] = value.split()
        elif name:
            out[name] += line.split()
    return {k: bytes.fromhex("".join(v)) for k, v in out.items()}


stun_vectors = vectors(ROOT / "vectors/rfc5769/sample-responses.txt")
txid = bytes.fromhex("b7e7a701bc34d686fa87dfae")
binding = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + txid
username = b"abcd:efgh"
attr = struct.pack("!HH", 0x0006, len(username)) + username + b"\0" * (-len(username) % 4)
priority = struct.pack("!HHI", 0x0024, 4, 0x6E7F00FF)
request = struct.pack("!HHI", 0x0001, len(attr) + len(priority), 0x2112A442) + txid + attr + priority
write(target("org/videoroom/transport/ice/StunFuzzTestInputs", "stun"),
      [stun_vectors["ipv4-response"], stun_vectors["ipv6-response"], binding, request])
print("seeds written")
