// The media side of the room page: one RTCPeerConnection to the server (the SFU). The browser always
// offers (docs/protocol.md, "Negotiation"): its own camera and microphone go out on sendonly transceivers,
// and every remote track the server announces gets a recvonly transceiver of its own. Offers are sent one
// at a time; changes that arrive meanwhile are folded into the next offer.

/**
 * Simulcast layers for a camera of this height, lowest first (the server takes the rids in this order): 720p and
 * up give 1/4, 1/2 and full size, 360p and up 1/2 and full size, anything smaller a single encoding.
 */
export function simulcastEncodings(height) {
  if (height >= 720) {
    return [
      { rid: 'q', scaleResolutionDownBy: 4 },
      { rid: 'h', scaleResolutionDownBy: 2 },
      { rid: 'f', scaleResolutionDownBy: 1 },
    ];
  }
  if (height >= 360) {
    return [{ rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f', scaleResolutionDownBy: 1 }];
  }
  return [{}];
}

/**
 * Narrows a receiving transceiver to the codecs the server forwards (Opus; VP8, H264 packetization-mode 1 and
 * their RTX). Each remote track is an m-section of the offer, and with every codec the browser knows a video
 * section is 3-5 KB: a room of 16 would not fit one signaling message. Narrowed, it is about 1 KB.
 */
function preferForwardedCodecs(transceiver, kind) {
  const codecs = globalThis.RTCRtpReceiver?.getCapabilities?.(kind)?.codecs;
  if (!codecs || !transceiver.setCodecPreferences) {
    return;
  }
  let h264 = false;
  const wanted = codecs.filter((c) => {
    const mime = c.mimeType.toLowerCase();
    if (mime === 'audio/opus' || mime === 'video/vp8' || mime === 'video/rtx') return true;
    if (mime === 'video/h264' && !h264 && /packetization-mode=1/.test(c.sdpFmtpLine ?? '')
        && /profile-level-id=42e01f/i.test(c.sdpFmtpLine ?? '')) {
      h264 = true;
      return true;
    }
    return false;
  });
  if (wanted.some((c) => !c.mimeType.toLowerCase().endsWith('/rtx'))) {
    try {
      transceiver.setCodecPreferences(wanted);
    } catch (e) {
      console.warn('keeping the default codecs', e);
    }
  }
}

export class MediaSession {
  #pc;
  #signaling;
  #onTrack;
  #onState;
  #subscriptions = new Map(); // trackId -> { transceiver, participantId, kind, source }
  #screen = null; // the transceiver this page shares its screen on, while it does
  #negotiating = false;
  #again = false;
  #answerWaiter = null;
  #closed = false;
  /** Answers applied so far (for tests and the console). */
  answers = 0;

  constructor({ signaling, onTrack, onState }) {
    this.#signaling = signaling;
    this.#onTrack = onTrack;
    this.#onState = onState;
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.#pc = pc;
    pc.addEventListener('icecandidate', (event) => {
      const c = event.candidate;
      this.#signaling.send(c
        ? { type: 'candidate', candidate: c.candidate, sdpMid: c.sdpMid }
        : { type: 'candidate', candidate: '' });
    });
    pc.addEventListener('track', (event) => {
      const participantId = event.streams[0]?.id;
      if (participantId) {
        const subscription = [...this.#subscriptions.values()].find((s) => s.transceiver === event.transceiver);
        this.#onTrack(participantId, event.track, subscription?.source ?? event.track.kind);
      }
    });
    pc.addEventListener('connectionstatechange', () => this.#onState(pc.connectionState));
    signaling.on('answer', (message) => this.#answered(message.sdp));
  }

  /**
   * TURN servers the server handed out for this participant (joined.iceServers): set before the first offer,
   * so the first gathering already includes relay candidates.
   */
  useIceServers(iceServers) {
    this.#pc.setConfiguration({ ...this.#pc.getConfiguration(), iceServers });
  }

  get peerConnection() {
    return this.#pc;
  }

  /** Publishes the local camera and microphone, if any; the camera as simulcast where it is large enough. */
  publish(stream) {
    for (const track of stream?.getTracks() ?? []) {
      const init = { direction: 'sendonly', streams: [stream] };
      if (track.kind === 'video') {
        init.sendEncodings = simulcastEncodings(track.getSettings().height ?? 0);
      }
      this.#pc.addTransceiver(track, init);
    }
    if (this.#pc.getTransceivers().length === 0) {
      // No camera or microphone and nobody to watch yet: negotiate anyway (one receive-only line the server
      // leaves inactive), since the server closes sockets that sit in a room without media (docs/protocol.md).
      this.#pc.addTransceiver('audio', { direction: 'recvonly' });
    }
    this.negotiate();
  }

  /**
   * Mutes or unmutes what this page sends of one kind ('audio' or 'video'): the sender's track is taken away, so
   * the browser sends no packets at all (a disabled track would still send silence or black frames), and given
   * back on unmute, without renegotiating.
   */
  async setMuted(kind, muted, track) {
    for (const sender of this.#senders(kind)) {
      await sender.replaceTrack(muted ? null : track);
    }
  }

  /** Sends another track of this kind (a new camera or microphone) in place of the current one, no renegotiation. */
  async replaceTrack(kind, track) {
    // A muted sender (no track) stays muted: unmuting gives it the current track.
    for (const sender of this.#senders(kind).filter((s) => s.track)) {
      await sender.replaceTrack(track);
    }
  }

  /** The senders of this page's own camera or microphone (its sendonly transceivers but the screen's). */
  #senders(kind) {
    return this.#pc.getTransceivers()
      .filter((t) => t.direction === 'sendonly' && !t.stopped && t !== this.#screen && t.receiver.track?.kind === kind)
      .map((t) => t.sender);
  }

  /**
   * Shares a screen capture (getDisplayMedia) as a video track of its own, announced to the others as a screen
   * ("sources" of the offer, docs/protocol.md): one encoding at full size, since text must stay readable.
   */
  shareScreen(track) {
    if (this.#screen) {
      return this.#screen.sender.replaceTrack(track);
    }
    track.contentHint = 'detail';
    this.#screen = this.#pc.addTransceiver(track, { direction: 'sendonly', streams: [new MediaStream([track])] });
    return this.negotiate();
  }

  /** Stops sharing: the line is rejected in the next offer, and the server removes the track everywhere. */
  stopScreen() {
    const transceiver = this.#screen;
    if (!transceiver) {
      return Promise.resolve();
    }
    this.#screen = null;
    transceiver.sender.track?.stop();
    transceiver.stop();
    return this.negotiate();
  }

  get sharingScreen() {
    return this.#screen !== null;
  }

  /** Subscribes to remote tracks: [{ trackId, participantId, kind, source }]. */
  subscribe(tracks) {
    let changed = false;
    for (const t of tracks) {
      if (!this.#subscriptions.has(t.trackId)) {
        const transceiver = this.#pc.addTransceiver(t.kind, { direction: 'recvonly' });
        preferForwardedCodecs(transceiver, t.kind);
        this.#subscriptions.set(t.trackId, { ...t, transceiver });
        changed = true;
      }
    }
    if (changed) {
      this.negotiate();
    }
  }

  /** The participant whose track this page receives on {@code mid}, if any. */
  participantOfMid(mid) {
    for (const s of this.#subscriptions.values()) {
      if (s.transceiver.mid === mid) {
        return s.participantId;
      }
    }
    return undefined;
  }

  /** Drops remote tracks by id; their m-lines are rejected in the next offer. Returns what was dropped. */
  unsubscribe(trackIds) {
    const dropped = [];
    for (const id of trackIds) {
      const subscription = this.#subscriptions.get(id);
      if (subscription) {
        subscription.transceiver.stop();
        this.#subscriptions.delete(id);
        dropped.push(subscription);
      }
    }
    if (dropped.length > 0) {
      this.negotiate();
    }
    return dropped;
  }

  /** Drops the remote tracks not in {@code trackIds} (a resumed connection's list of what is there); returns them. */
  retain(trackIds) {
    const keep = new Set(trackIds);
    return this.unsubscribe([...this.#subscriptions.keys()].filter((id) => !keep.has(id)));
  }

  /** Drops every remote track of one participant. */
  unsubscribeParticipant(participantId) {
    const ids = [...this.#subscriptions.values()]
      .filter((s) => s.participantId === participantId)
      .map((s) => s.trackId);
    this.unsubscribe(ids);
  }

  async negotiate() {
    if (this.#negotiating) {
      this.#again = true;
      return;
    }
    this.#negotiating = true;
    try {
      do {
        this.#again = false;
        if (this.#pc.getTransceivers().every((t) => t.stopped) || this.#closed) {
          break; // nothing to send or receive yet
        }
        const answered = new Promise((resolve) => { this.#answerWaiter = resolve; });
        const offer = await this.#pc.createOffer();
        await this.#pc.setLocalDescription(offer);
        const subscriptions = {};
        for (const [trackId, s] of this.#subscriptions) {
          if (s.transceiver.mid !== null) {
            subscriptions[s.transceiver.mid] = trackId;
          }
        }
        const message = { type: 'offer', sdp: this.#pc.localDescription.sdp, subscriptions };
        if (this.#screen?.mid) {
          message.sources = { [this.#screen.mid]: 'screen' };
        }
        this.#signaling.send(message);
        const sdp = await answered;
        if (sdp === null) {
          break; // closed while waiting
        }
        await this.#pc.setRemoteDescription({ type: 'answer', sdp });
        this.answers += 1;
      } while (this.#again);
    } catch (e) {
      console.error('negotiation failed', e);
      this.#onState('failed');
    } finally {
      this.#negotiating = false;
      if (this.#again && !this.#closed) {
        this.negotiate(); // changes that came while an offer was given up
      }
    }
  }

  /**
   * ICE restart (RFC 8445 section 9): new ICE credentials in a new offer, the DTLS session and the tracks go on;
   * the server answers with a new agent of its own.
   */
  restartIce() {
    this.#pc.restartIce();
    return this.negotiate();
  }

  /** The server refused the last offer: give up on it (the notice tells the user). */
  offerRefused() {
    this.#answered(null);
  }

  close() {
    this.#closed = true;
    this.#answerWaiter?.(null);
    this.#pc.close();
  }

  #answered(sdp) {
    const waiter = this.#answerWaiter;
    this.#answerWaiter = null;
    waiter?.(sdp);
  }
}
