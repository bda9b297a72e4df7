// The room page: local preview, signaling, the roster of the others, and the media session with the SFU.
import { SignalingClient } from './signaling.js';
import { Roster } from './roster.js';
import { MediaSession } from './media.js';
import { ViewportReporter } from './viewport.js';
import { QualityMonitor } from './quality.js';
import { Gallery } from './gallery.js';

const stage = document.getElementById('stage');
const room = stage.dataset.room;
let name = stage.dataset.name;
const contextPath = stage.dataset.context ?? '';
const status = document.getElementById('status');
const notice = document.getElementById('notice');

const roster = new Roster({
  list: document.getElementById('participants'),
  tiles: document.getElementById('tiles'),
  screens: document.getElementById('screens'),
  count: document.getElementById('participant-count'),
});

function setStatus(text) {
  status.textContent = text;
}

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

// Pre-join: the camera and microphone are previewed here, on this page only; nothing is sent and no
// signaling connection exists until the person clicks Join.
const preview = {
  video: document.getElementById('previewVideo'),
  level: document.getElementById('mic-level'),
  cameras: document.getElementById('camera-select'),
  mics: document.getElementById('mic-select'),
  stream: null,
  audioContext: null,

  constraints() {
    // Ask for 720p: the camera is then published as three simulcast layers, and each subscriber gets the one its
    // link and its tile can take (docs/protocol.md, "Simulcast").
    const video = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
    const audio = {};
    if (this.cameras.value) video.deviceId = { exact: this.cameras.value };
    if (this.mics.value) audio.deviceId = { exact: this.mics.value };
    return { video, audio: this.mics.value ? audio : true };
  },

  async start() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(this.constraints());
      this.show(stream);
      await this.listDevices();
      return stream;
    } catch (e) {
      const denied = e?.name === 'NotAllowedError' || e?.name === 'SecurityError';
      showNotice(denied
        ? 'Camera and microphone are blocked. Others cannot see or hear you, but you can still see and hear them.'
        : `No camera or microphone available (${e?.name ?? 'unknown error'}). You can still see and hear the others.`);
      document.getElementById('prejoin-message').textContent = notice.textContent;
      document.getElementById('prejoin-message').hidden = false;
      return null;
    }
  },

  show(stream) {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = stream;
    this.video.srcObject = stream;
    document.getElementById('localVideo').srcObject = stream;
    this.meter(stream);
  },

  async listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const fill = (select, kind, current) => {
      select.replaceChildren();
      devices.filter((d) => d.kind === kind).forEach((d, i) => {
        const option = document.createElement('option');
        option.value = d.deviceId;
        option.textContent = d.label || `${kind === 'videoinput' ? 'Camera' : 'Microphone'} ${i + 1}`;
        option.selected = d.deviceId === current;
        select.append(option);
      });
    };
    fill(this.cameras, 'videoinput', this.stream?.getVideoTracks()[0]?.getSettings().deviceId);
    fill(this.mics, 'audioinput', this.stream?.getAudioTracks()[0]?.getSettings().deviceId);
  },

  /** A level meter on the microphone: RMS of the waveform, a few times a second. */
  meter(stream) {
    const track = stream?.getAudioTracks()[0];
    if (!track || !window.AudioContext) {
      return;
    }
    this.audioContext ??= new AudioContext();
    const source = this.audioContext.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.audioContext.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const tick = () => {
      if (track.readyState === 'ended' || this.level.closest('[hidden]')) {
        source.disconnect();
        return;
      }
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      this.level.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      setTimeout(tick, 100);
    };
    tick();
  },

  /** Another device picked: capture from it instead (before joining the preview only, after it the call too). */
  async switchDevice() {
    const stream = await navigator.mediaDevices.getUserMedia(this.constraints());
    const old = this.stream;
    this.show(stream);
    if (joinedOnce && old) {
      for (const track of stream.getTracks()) {
        await media.replaceTrack(track.kind, track);
      }
    }
  },
};
preview.cameras.addEventListener('change', () => preview.switchDevice().catch((e) => console.warn(e)));
preview.mics.addEventListener('change', () => preview.switchDevice().catch((e) => console.warn(e)));
document.addEventListener('click', () => preview.audioContext?.resume(), { once: true });

function signalingUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${contextPath}/ws/rooms/${encodeURIComponent(room)}`;
}

// Milestones of this page's life, in ms since navigation: for the console, tests and join-time measurements.
const timeline = {};
function mark(name) {
  timeline[name] ??= Math.round(performance.now());
}

const signaling = new SignalingClient(signalingUrl());
/** A media session with the server; a new one replaces it when the old cannot recover (see "Reconnecting"). */
function newMediaSession() {
  return new MediaSession({
  signaling,
  onTrack: (participantId, track, source) => {
    mark('firstRemoteTrack');
    roster.attach(participantId, track, source);
    const video = roster.get(participantId)?.video;
    if (track.kind === 'video' && video?.requestVideoFrameCallback) {
      video.requestVideoFrameCallback(() => mark('firstRemoteFrame'));
    }
  },
  onState: (state) => {
    if (state === 'connected') {
      mark('mediaConnected');
      iceRestart.connected();
      if (!reconnect.running) {
        setStatus('Connected');
        showNotice('');
      }
    } else if (state === 'failed') {
      // The network changed, or went away for longer than ICE waits: an ICE restart, then a new session if need be.
      iceRestart.start();
    } else if (state === 'disconnected') {
      setStatus('Reconnecting…');
      iceRestart.soon();
    }
  },
  });
}
let media = newMediaSession();
let leaving = false;

const gallery = new Gallery(document.getElementById('tiles'), document.getElementById('pager'));

// Speaker view: the active speaker large above a strip of the others; the grid again on a second click.
document.getElementById('layout').addEventListener('click', (event) => {
  const tiles = document.getElementById('tiles');
  const speaker = tiles.dataset.layout !== 'speaker';
  tiles.dataset.layout = speaker ? 'speaker' : 'grid';
  event.currentTarget.setAttribute('aria-pressed', String(speaker));
  event.currentTarget.textContent = speaker ? 'Grid view' : 'Speaker view';
  roster.feature();
  gallery.layout();
});

// The room's link without anyone's name in it: whoever opens it gets the pre-join step of this room.
document.getElementById('copy-link').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  const link = document.getElementById('room-link');
  link.value = `${location.origin}${contextPath}/room.xhtml?room=${encodeURIComponent(room)}`;
  link.hidden = false;
  link.select();
  try {
    await navigator.clipboard.writeText(link.value);
    button.textContent = 'Link copied';
  } catch {
    button.textContent = 'Copy the selected link';
  }
});
const quality = new QualityMonitor({
  pc: media.peerConnection,
  participantOfMid: (mid) => media.participantOfMid(mid),
  roster,
  panel: document.getElementById('stats-rows'),
});
document.getElementById('stats').addEventListener('click', (event) => {
  const panel = document.getElementById('stats-panel');
  panel.hidden = !panel.hidden;
  event.currentTarget.setAttribute('aria-pressed', String(!panel.hidden));
  quality.sample().catch((e) => console.warn('getStats failed', e));
});

/**
 * ICE restart: when the media connection fails, or stays disconnected for 5 s, while the signaling socket is up,
 * the page restarts ICE on the same peer connection (the DTLS session and every track go on, the others see a
 * freeze). If that has not connected within 10 s, or the socket is down too, the reconnect below takes over with
 * a new media session.
 */
const iceRestart = {
  /** Ends the wait for a restart to connect. */
  timer: null,
  /** A disconnected connection's wait before it restarts. */
  pending: null,

  soon() {
    if (this.pending === null) {
      const pc = media.peerConnection;
      this.pending = setTimeout(() => {
        this.pending = null;
        if (media.peerConnection === pc && pc.connectionState === 'disconnected') this.start();
      }, 5_000);
    }
  },

  start() {
    if (this.timer !== null || reconnect.running || leaving || window.videoroom.participantId === null) {
      return;
    }
    if (!signaling.open) {
      reconnect.start(true);
      return;
    }
    window.videoroom.iceRestarts = (window.videoroom.iceRestarts ?? 0) + 1;
    reconnect.note('ice restart');
    const pc = media.peerConnection;
    media.restartIce().catch((e) => console.warn('ICE restart failed', e));
    // Only about this peer connection: a reconnect may have replaced it meanwhile.
    this.timer = setTimeout(() => {
      this.timer = null;
      if (media.peerConnection === pc && pc.connectionState !== 'connected') reconnect.start(true);
    }, 10_000);
  },

  /** Done waiting: connected, or a reconnect took over. */
  connected() {
    clearTimeout(this.pending);
    this.pending = null;
    clearTimeout(this.timer);
    this.timer = null;
  },
};

/**
 * Reconnecting (docs/protocol.md, "Reconnecting"): when the signaling socket drops, or the media connection fails,
 * the page connects again by itself and resumes its participant with the token of its `joined`, within the
 * server's grace period; the others see a freeze, not a leave and a join. The media session goes on when it is
 * still connected (only the socket dropped), and is replaced by a new one otherwise.
 */
const reconnect = {
  running: false,
  token: null,
  /** A little under the server's default grace period of 20 s: after it, the participant is gone anyway. */
  windowMs: 18_000,
  /** Whether the page asked for a new media session in its last resume. */
  newMedia: false,
  /** Ends the wait for the answer to a resume: true once joined, false when the socket dropped first. */
  settle: null,

  /** What the reconnects did, for tests and the console. */
  log: [],

  note(what) {
    if (this.log.length < 50) this.log.push(`${Math.round(performance.now())} ${what}`);
  },

  async start(newMedia) {
    this.note(`start newMedia=${newMedia} running=${this.running} leaving=${leaving}`);
    if (this.running || leaving || window.videoroom.participantId === null) {
      return;
    }
    this.running = true;
    this.newMedia = newMedia;
    iceRestart.connected();
    setStatus('Reconnecting…');
    showNotice('The connection to the server dropped. Reconnecting…');
    signaling.close(SignalingClient.RECONNECTING, 'reconnecting');
    const deadline = Date.now() + this.windowMs;
    let delay = 250;
    while (!leaving && Date.now() < deadline) {
      try {
        // Short: a server that is up answers a handshake at once.
        await signaling.connect(5_000);
        this.note('socket open');
        const state = media.peerConnection.connectionState;
        this.newMedia ||= state === 'failed' || state === 'closed';
        const join = { type: 'join', name, resume: {
          participantId: window.videoroom.participantId, token: this.token, media: this.newMedia ? 'new' : 'keep' } };
        if (joinToken) join.token = joinToken;
        const password = document.getElementById('prejoin-password').value;
        if (password) join.password = password;
        // The answer is `joined` (rejoined() then runs) or a refusal; a socket that drops first is tried again.
        const answered = await new Promise((resolve) => {
          this.settle = resolve;
          signaling.send(join);
          setTimeout(() => resolve(false), 5_000);
        });
        this.settle = null;
        this.note(`answered=${answered}`);
        if (answered || !this.running) {
          return;
        }
        signaling.close(SignalingClient.RECONNECTING, 'reconnecting');
      } catch (e) {
        this.note(`connect failed: ${e?.message}`);
        await new Promise((resolve) => { setTimeout(resolve, delay); });
        delay = Math.min(delay * 2, 2_000);
      }
    }
    this.running = false;
    if (!leaving) {
      setStatus('Connection lost');
      showNotice('The connection to the server was lost. Reload the page to join again.');
      media.close();
      roster.clear();
    }
  },

  /** The server's `joined` after a reconnect: the same participant (resumed) or, past its grace, a new one. */
  rejoined(message) {
    const resumed = message.participantId === window.videoroom.participantId;
    const renewMedia = !resumed || this.newMedia;
    this.running = false;
    this.settle?.(true);
    this.newMedia = false;
    window.videoroom.reconnects = (window.videoroom.reconnects ?? 0) + 1;
    window.videoroom.participantId = message.participantId;
    if (!resumed) {
      roster.clear();
      chat.log.replaceChildren();
      (message.chat ?? []).forEach((line) => chat.add(line));
    }
    const present = new Set(message.participants.map((p) => p.id));
    for (const id of roster.ids()) {
      if (!present.has(id)) {
        media.unsubscribeParticipant(id);
        roster.remove(id);
      }
    }
    for (const p of message.participants) {
      roster.add(p);
      roster.setState(p.id, p.state);
    }
    if (renewMedia) {
      controls.screenStopped();
      media.stopScreen().catch(() => {}); // the capture must not go on with nobody receiving it
      media.close();
      roster.dropMedia();
      media = newMediaSession();
      window.videoroom.media = media;
      quality.use(media.peerConnection);
      if (message.iceServers?.length) {
        media.useIceServers(message.iceServers);
      }
      media.subscribe(message.tracks);
      // The devices picked now, not those of the first join (another camera may have replaced them).
      localMedia.then(() => {
        media.publish(preview.stream);
        controls.restore(preview.stream, !resumed);
      });
    } else {
      // An offer in flight when the socket dropped has no answer coming: give it up, and offer what is wanted now.
      media.offerRefused();
      media.retain(message.tracks.map((t) => t.trackId));
      media.subscribe(message.tracks);
      media.negotiate();
    }
    window.videoroom.viewport?.resend();
    setStatus(media.peerConnection.connectionState === 'connected' ? 'Connected' : 'Joined, connecting media…');
    showNotice('');
  },
};

signaling
  .on('joined', (message) => {
    mark('joined');
    reconnect.token = message.resumeToken ?? null;
    if (window.videoroom.participantId !== null && reconnect.running) {
      reconnect.rejoined(message);
      return;
    }
    window.videoroom.participantId = message.participantId;
    message.participants.forEach((p) => roster.add(p));
    (message.chat ?? []).forEach((line) => chat.add(line));
    setStatus('Joined, connecting media…');
    if (message.iceServers?.length) {
      media.useIceServers(message.iceServers);
    }
    controls.handReady();
    controls.screenReady();
    quality.start();
    window.videoroom.viewport ??= new ViewportReporter(document.getElementById('tiles'),
      (m) => signaling.send(m));
    media.subscribe(message.tracks);
    localMedia.then((stream) => {
      media.publish(stream);
      controls.ready(stream);
    });
  })
  .on('participantJoined', (message) => roster.add(message.participant))
  .on('participantState', (message) => roster.setState(message.participant.id, message.participant.state))
  .on('chat', (message) => chat.add(message))
  .on('participantLeft', (message) => {
    media.unsubscribeParticipant(message.participantId);
    roster.remove(message.participantId);
  })
  .on('tracksAdded', (message) => media.subscribe(message.tracks))
  .on('tracksRemoved', (message) => {
    for (const dropped of media.unsubscribe(message.trackIds)) {
      if (dropped.source === 'screen') {
        roster.removeScreen(dropped.participantId);
      } else {
        // Its participant may publish it again (a new media session of theirs): the old track must not stay.
        roster.detach(dropped.participantId, dropped.transceiver.receiver.track);
      }
    }
  })
  .on('error', (message) => {
    if (window.videoroom.participantId === null && JOIN_REFUSALS.has(message.code)) {
      backToPrejoin(message);
      return;
    }
    if (reconnect.running && JOIN_REFUSALS.has(message.code)) {
      // Past the grace period, and now the room is full or asks for what the page no longer has.
      reconnect.running = false;
      reconnect.settle?.(true);
      setStatus('Connection lost');
      showNotice(`Could not rejoin the room: ${message.message}. Reload the page to try again.`);
      media.close();
      roster.clear();
      return;
    }
    if (message.code === 'bad-sdp' || message.code === 'too-large') {
      media.offerRefused();
    }
    if (message.code === 'rate-limited' || message.code === 'invalid-chat') {
      showNotice(message.message);
      return;
    }
    showNotice(`The server refused a request: ${message.message} (${message.code})`);
  })
  .on('close', (event) => {
    if (window.videoroom.participantId === null && !document.getElementById('prejoin').hidden) {
      socketOpen = false; // refused, then left idle at the form: the next Join connects again
      return;
    }
    if (reconnect.settle) {
      reconnect.settle(false); // a resume under way lost its socket: it tries again
    } else if (!leaving && event.reason !== 'replaced') {
      reconnect.start(false);
    }
  });

// The room's chat: every line is rendered with textContent, never as HTML.
const chat = {
  log: document.getElementById('chat-log'),
  add({ name: who, text, at }) {
    const item = document.createElement('li');
    const time = document.createElement('time');
    const when = new Date(at);
    time.dateTime = when.toISOString();
    time.textContent = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const author = document.createElement('span');
    author.className = 'who';
    author.textContent = who;
    const body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    item.append(time, author, body);
    this.log.append(item);
    this.log.scrollTop = this.log.scrollHeight;
  },
};
document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('chat-input');
  const text = input.value.trim();
  if (text && signaling.send({ type: 'chat', text })) {
    input.value = '';
  }
});

// Microphone and camera toggles: the track leaves the sender (no packets), the others are told at once.
const controls = {
  mic: document.getElementById('mic'),
  camera: document.getElementById('camera'),
  state: { audioMuted: false, videoMuted: false, handRaised: false },
  /** The hand needs no device: anyone who joined may raise it, receive-only participants too. */
  handReady() {
    const button = document.getElementById('hand');
    if (!button.disabled) {
      return;
    }
    button.disabled = false;
    button.addEventListener('click', () => {
      const raised = !this.state.handRaised;
      this.state.handRaised = raised;
      button.setAttribute('aria-pressed', String(raised));
      button.textContent = raised ? 'Lower hand' : 'Raise hand';
      signaling.send({ type: 'state', handRaised: raised });
    });
  },
  /** The media session was replaced: a screen share of the old one ended with it. */
  screenStopped() {
    const button = document.getElementById('screen');
    button.setAttribute('aria-pressed', 'false');
    button.textContent = 'Share screen';
  },

  /**
   * A new media session publishes the camera and microphone again: what was muted stays muted, and a new
   * participant (not resumed) tells the room its state again.
   */
  async restore(stream, announce) {
    const audio = stream?.getAudioTracks()[0];
    const video = stream?.getVideoTracks()[0];
    if (this.state.audioMuted) await media.setMuted('audio', true, audio);
    if (this.state.videoMuted) await media.setMuted('video', true, video);
    if (announce && (this.state.audioMuted || this.state.videoMuted || this.state.handRaised)) {
      signaling.send({ type: 'state', ...this.state });
    }
  },

  /** Screen sharing needs getDisplayMedia (not on phones); it needs no camera, so it is ready on joining. */
  screenReady() {
    const button = document.getElementById('screen');
    if (!button.disabled || !navigator.mediaDevices?.getDisplayMedia) {
      return;
    }
    button.disabled = false;
    const shown = (sharing) => {
      button.setAttribute('aria-pressed', String(sharing));
      button.textContent = sharing ? 'Stop sharing' : 'Share screen';
    };
    const stop = async () => {
      shown(false);
      await media.stopScreen();
    };
    button.addEventListener('click', async () => {
      if (media.sharingScreen) {
        await stop();
        return;
      }
      let capture;
      try {
        capture = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
      } catch (e) {
        if (e?.name !== 'NotAllowedError') {
          showNotice(`The screen cannot be shared (${e?.name ?? 'unknown error'}).`);
        }
        return; // the person cancelled the picker
      }
      const [track] = capture.getVideoTracks();
      // The browser's own "Stop sharing" bar ends the track: the share ends everywhere then too.
      track.addEventListener('ended', () => { if (media.sharingScreen) stop(); });
      shown(true);
      await media.shareScreen(track);
    });
  },
  ready(stream) {
    this.bind(this.mic, 'audio', stream?.getAudioTracks()[0], 'audioMuted', ['Mute', 'Unmute']);
    this.bind(this.camera, 'video', stream?.getVideoTracks()[0], 'videoMuted', ['Stop video', 'Start video']);
  },
  bind(button, kind, track, field, labels) {
    if (!track) {
      return;
    }
    button.disabled = false;
    button.addEventListener('click', async () => {
      // The current track of that kind: another device may have been picked since joining.
      const current = (kind === 'audio' ? preview.stream?.getAudioTracks() : preview.stream?.getVideoTracks())?.[0];
      const muted = !this.state[field];
      this.state[field] = muted;
      if (current) current.enabled = !muted;
      button.setAttribute('aria-pressed', String(muted));
      button.textContent = labels[muted ? 1 : 0];
      signaling.send({ type: 'state', [field]: muted });
      await media.setMuted(kind, muted, current);
    });
  },
};

/** Tells the server this page is done (the others get participantLeft at once) and closes the socket. */
function sayLeave() {
  leaving = true;
  signaling.send({ type: 'leave' });
  signaling.close();
}

document.getElementById('leave').addEventListener('click', () => {
  sayLeave();
  media.close();
});

// A tab closed or navigated away from leaves at once: without this the others would wait out the reconnect grace.
window.addEventListener('pagehide', () => {
  if (!leaving) sayLeave();
});
// Back from the back/forward cache it has left already: a fresh page joins again.
window.addEventListener('pageshow', (event) => {
  if (event.persisted && leaving) location.reload();
});

// A small handle for tests and the browser console.
window.videoroom = { roster, signaling, media, quality, gallery, participantId: null, timeline,
  /** What the page does when its socket drops (false) or its media connection fails (true). */
  reconnect: (newMedia) => reconnect.start(newMedia), reconnectLog: reconnect.log,
  /** What the page does when its media connection fails while the socket is up. */
  restartIce: () => iceRestart.start() };

let joinedOnce = false;
let localMedia = null;
let socketOpen = false;
const previewing = preview.start();

/** Refusals of a join (docs/protocol.md): the page goes back to the pre-join form, the socket stays open. */
const JOIN_REFUSALS = new Set(['password-required', 'wrong-password', 'invalid-password', 'rate-limited',
  'unauthorized', 'room-full', 'server-full', 'invalid-name', 'invalid-room']);

/** A signed join token from the embedding application (docs/protocol.md "Join tokens"), if the link has one. */
const joinToken = new URLSearchParams(window.location.search).get('token');

/** The display name a join token carries (its fourth part, base64url UTF-8); the server checks the signature. */
function tokenName(token) {
  const part = token.split('.')[3];
  if (!part) {
    return null;
  }
  try {
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

if (joinToken && tokenName(joinToken)) {
  // The application that signed the token chose the name: the server lets in only that one.
  const input = document.getElementById('prejoin-name');
  input.value = tokenName(joinToken);
  input.readOnly = true;
}

function backToPrejoin(refusal) {
  const texts = {
    'password-required': 'This room has a password. Type it and join again.',
    'wrong-password': "That is not this room's password.",
    unauthorized: 'This room is entered through an invitation link of the application that hosts it.',
  };
  const message = document.getElementById('prejoin-message');
  message.textContent = texts[refusal.code] ?? refusal.message;
  message.hidden = false;
  document.getElementById('prejoin-message').before(document.getElementById('devices'));
  stage.hidden = true;
  document.getElementById('prejoin').hidden = false;
  setStatus('Not joined yet');
  if (refusal.code.includes('password')) {
    document.getElementById('prejoin-password').focus();
  }
}

document.getElementById('join-room').addEventListener('click', async () => {
  const input = document.getElementById('prejoin-name');
  const message = document.getElementById('prejoin-message');
  const typed = input.value.trim();
  if (!typed || typed.length > input.maxLength) {
    message.textContent = `Type your name (1 to ${input.maxLength} characters) to join.`;
    message.hidden = false;
    input.focus();
    return;
  }
  name = typed;
  document.querySelectorAll('#localTile .name, #participants .self .name').forEach((e) => { e.textContent = name; });
  // The device pickers go along into the room: another camera or microphone can be picked during the call.
  document.querySelector('.people').append(document.getElementById('devices'));
  document.getElementById('prejoin').hidden = true;
  stage.hidden = false;
  joinedOnce = true;
  setStatus('Connecting…');
  message.hidden = true;
  localMedia ??= previewing.then(() => preview.stream);
  const join = { type: 'join', name };
  const password = document.getElementById('prejoin-password').value;
  if (password) {
    join.password = password;
  }
  if (joinToken) {
    join.token = joinToken;
  }
  try {
    if (!socketOpen) {
      await signaling.connect();
      socketOpen = true;
    }
    mark('joinSent');
    signaling.send(join);
  } catch {
    setStatus('Cannot reach the server');
    showNotice('The signaling connection failed. Check that the server is running and reload the page.');
  }
});
setStatus('Not joined yet');
