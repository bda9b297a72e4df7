// Connection quality of each remote tile and a small statistics panel, from this page's getStats().
//
// Each remote participant's tile gets data-quality "good", "fair" or "poor": the worse of what reaches this page
// of that participant's media over the last interval (packet loss, audio jitter, this page's round trip to the
// server) and the server's view of that participant's own uplink (its participantState's "connection"), as Jitsi
// Meet and LiveKit Meet show it: a mark on the tile, the figures in its tooltip. The page's class changes only
// when two samples in a row agree, so one bad second does not make a tile flicker.

const INTERVAL_MS = 2000;

/** Where "fair" and "poor" begin (loss as a fraction of the packets expected). */
export const THRESHOLDS = {
  fair: { loss: 0.02, rttMs: 300, jitterMs: 30 },
  poor: { loss: 0.08, rttMs: 600, jitterMs: 80 },
};

/** The class of one sample: the worst of its three figures. */
export function classify({ loss, rttMs, jitterMs }) {
  const over = (limits) => loss >= limits.loss || rttMs >= limits.rttMs || jitterMs >= limits.jitterMs;
  if (over(THRESHOLDS.poor)) return 'poor';
  if (over(THRESHOLDS.fair)) return 'fair';
  return 'good';
}

const LABELS = { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection' };
const ORDER = ['good', 'fair', 'poor'];

/** The worse of two classes (an unknown one counts as good). */
export function worse(a, b) {
  return ORDER[Math.max(ORDER.indexOf(a), ORDER.indexOf(b), 0)];
}

export class QualityMonitor {
  #pc;
  #participantOfMid;
  #roster;
  #panel;
  #timer = null;
  #previous = new Map(); // inbound/outbound stats id -> { packetsReceived, packetsLost, bytes, timestamp }
  #people = new Map(); // participantId -> { shown, candidate }
  /** The last sample, for the panel, tests and the console. */
  last = { rttMs: 0, participants: {}, sent: [] };

  /**
   * @param pc the page's RTCPeerConnection
   * @param participantOfMid mid -> participant id of the remote track received on it, or undefined
   * @param roster the tiles (Roster)
   * @param panel the statistics panel's table body, filled while the panel is open
   */
  constructor({ pc, participantOfMid, roster, panel }) {
    this.#pc = pc;
    this.#participantOfMid = participantOfMid;
    this.#roster = roster;
    this.#panel = panel;
  }

  /** Samples another peer connection from now on (the page started a new media session). */
  use(pc) {
    this.#pc = pc;
    this.#previous.clear();
    this.start();
  }

  start() {
    this.#timer ??= setInterval(() => this.sample().catch((e) => console.warn('getStats failed', e)), INTERVAL_MS);
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
  }

  async sample() {
    if (this.#pc.connectionState === 'closed') {
      this.stop();
      return;
    }
    const report = await this.#pc.getStats();
    let rttMs = 0;
    const byParticipant = {};
    const sent = [];
    report.forEach((s) => {
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded'
          && typeof s.currentRoundTripTime === 'number') {
        rttMs = Math.max(rttMs, s.currentRoundTripTime * 1000);
      }
    });
    report.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        const id = this.#participantOfMid(s.mid);
        if (!id) return;
        const delta = this.#delta(s, s.packetsReceived ?? 0, s.bytesReceived ?? 0);
        const p = byParticipant[id] ??= { loss: 0, jitterMs: 0, video: null, audioKbps: 0 };
        const expected = delta.received + delta.lost;
        if (expected > 0) p.loss = Math.max(p.loss, Math.max(0, delta.lost) / expected);
        if (s.kind === 'audio') {
          p.jitterMs = (s.jitter ?? 0) * 1000;
          p.audioKbps = delta.kbps;
        } else {
          p.video = { width: s.frameWidth ?? 0, height: s.frameHeight ?? 0, fps: s.framesPerSecond ?? 0,
            kbps: delta.kbps };
        }
      } else if (s.type === 'outbound-rtp' && s.kind === 'video' && (s.frameWidth ?? 0) > 0) {
        const delta = this.#delta(s, s.packetsSent ?? 0, s.bytesSent ?? 0);
        sent.push({ rid: s.rid ?? '', width: s.frameWidth, height: s.frameHeight, fps: s.framesPerSecond ?? 0,
          kbps: delta.kbps });
      }
    });
    for (const [id, figures] of Object.entries(byParticipant)) {
      figures.rttMs = rttMs;
      figures.quality = this.#settle(id, classify(figures));
      this.#show(id, figures);
    }
    this.last = { rttMs, participants: byParticipant, sent };
    this.#render();
  }

  /** Packets received and lost, and kbit/s, since this stream's previous sample. */
  #delta(s, packets, bytes) {
    const before = this.#previous.get(s.id);
    const lost = s.packetsLost ?? 0;
    this.#previous.set(s.id, { packets, lost, bytes, timestamp: s.timestamp });
    if (!before) {
      return { received: 0, lost: 0, kbps: 0 };
    }
    const seconds = (s.timestamp - before.timestamp) / 1000;
    return {
      received: packets - before.packets,
      lost: lost - before.lost,
      kbps: seconds > 0 ? Math.round(((bytes - before.bytes) * 8) / seconds / 1000) : 0,
    };
  }

  /** The class shown: a new one once two samples in a row agree on it. */
  #settle(id, quality) {
    const person = this.#people.get(id) ?? { shown: null, candidate: null };
    this.#people.set(id, person);
    if (person.shown === null || quality === person.shown) {
      person.shown ??= quality;
      person.candidate = null;
    } else if (person.candidate === quality) {
      person.shown = quality;
      person.candidate = null;
    } else {
      person.candidate = quality;
    }
    return person.shown;
  }

  #show(id, figures) {
    const person = this.#roster.get(id);
    const tile = person?.tile;
    if (!tile) return;
    const server = person.state?.connection ?? 'good';
    figures.quality = worse(figures.quality, server);
    tile.dataset.quality = figures.quality;
    let bar = tile.querySelector('.quality');
    if (!bar) {
      bar = document.createElement('span');
      bar.className = 'quality';
      bar.setAttribute('role', 'img');
      tile.querySelector('figcaption')?.prepend(bar);
    }
    bar.setAttribute('aria-label', LABELS[figures.quality]);
    bar.title = `${LABELS[figures.quality]}: loss ${(figures.loss * 100).toFixed(1)} %, `
      + `round trip ${Math.round(figures.rttMs)} ms, jitter ${Math.round(figures.jitterMs)} ms; `
      + `their link to the server: ${server}`;
  }

  /** The statistics panel, while it is open: one row per received track and per layer this page sends. */
  #render() {
    if (!this.#panel || this.#panel.closest('[hidden]')) return;
    const rows = [];
    const row = (cells) => {
      const tr = document.createElement('tr');
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      rows.push(tr);
    };
    for (const layer of this.last.sent) {
      row([`You (sent${layer.rid ? ` ${layer.rid}` : ''})`, `${layer.width}x${layer.height}`,
        `${Math.round(layer.fps)}`, `${layer.kbps}`, '', '']);
    }
    for (const [id, p] of Object.entries(this.last.participants)) {
      const name = this.#roster.get(id)?.name ?? id;
      const video = p.video;
      row([name, video ? `${video.width}x${video.height}` : '', video ? `${Math.round(video.fps)}` : '',
        `${(video?.kbps ?? 0) + p.audioKbps}`, `${(p.loss * 100).toFixed(1)} %`, `${Math.round(p.jitterMs)} ms`]);
    }
    this.#panel.replaceChildren(...rows);
    const rtt = this.#panel.closest('section')?.querySelector('.rtt');
    if (rtt) rtt.textContent = `Round trip to the server: ${Math.round(this.last.rttMs)} ms`;
  }
}
