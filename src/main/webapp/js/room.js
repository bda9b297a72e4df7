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
const media = new MediaSession({
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
      setStatus('Connected');
    } else if (state === 'failed') {
      setStatus('Media connection failed');
      showNotice('The media connection to the server failed. Reload the page to try again.');
    } else if (state === 'disconnected') {
      setStatus('Reconnecting…');
    }
  },
});
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

signaling
  .on('joined', (message) => {
    mark('joined');
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
      }
    }
  })
  .on('error', (message) => {
    if (window.videoroom.participantId === null && JOIN_REFUSALS.has(message.code)) {
      backToPrejoin(message);
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
    if (!leaving) {
      setStatus('Connection lost');
      showNotice(`The connection to the server was lost${event.reason ? ` (${event.reason})` : ''}. `
        + 'Reload the page to join again.');
      media.close();
      roster.clear();
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

document.getElementById('leave').addEventListener('click', () => {
  leaving = true;
  signaling.send({ type: 'leave' });
  signaling.close();
  media.close();
});

// A small handle for tests and the browser console.
window.videoroom = { roster, signaling, media, quality, gallery, participantId: null, timeline };

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
