// The room page: local preview, signaling, the roster of the others, and the media session with the SFU.
import { SignalingClient } from './signaling.js';
import { Roster } from './roster.js';
import { MediaSession } from './media.js';
import { ViewportReporter } from './viewport.js';

const stage = document.getElementById('stage');
const room = stage.dataset.room;
const name = stage.dataset.name;
const contextPath = stage.dataset.context ?? '';
const status = document.getElementById('status');
const notice = document.getElementById('notice');

const roster = new Roster({
  list: document.getElementById('participants'),
  tiles: document.getElementById('tiles'),
});

function setStatus(text) {
  status.textContent = text;
}

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

async function startLocalMedia() {
  try {
    // Ask for 720p: the camera is then published as three simulcast layers, and each subscriber gets the one its
    // link and its tile can take (docs/protocol.md, "Simulcast").
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
    });
    document.getElementById('localVideo').srcObject = stream;
    return stream;
  } catch (e) {
    const denied = e?.name === 'NotAllowedError' || e?.name === 'SecurityError';
    showNotice(denied
      ? 'Camera and microphone are blocked. Others cannot see or hear you, but you can still see and hear them.'
      : `No camera or microphone available (${e?.name ?? 'unknown error'}). You can still see and hear the others.`);
    return null;
  }
}

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
  onTrack: (participantId, track) => {
    mark('firstRemoteTrack');
    roster.attach(participantId, track);
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

signaling
  .on('joined', (message) => {
    mark('joined');
    window.videoroom.participantId = message.participantId;
    message.participants.forEach((p) => roster.add(p));
    (message.chat ?? []).forEach((line) => chat.add(line));
    setStatus('Joined, connecting media…');
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
  .on('tracksRemoved', (message) => media.unsubscribe(message.trackIds))
  .on('error', (message) => {
    if (message.code === 'bad-sdp') {
      media.offerRefused();
    }
    if (message.code === 'rate-limited' || message.code === 'invalid-chat') {
      showNotice(message.message);
      return;
    }
    showNotice(`The server refused a request: ${message.message} (${message.code})`);
  })
  .on('close', (event) => {
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
  state: { audioMuted: false, videoMuted: false },
  ready(stream) {
    const audio = stream?.getAudioTracks()[0];
    const video = stream?.getVideoTracks()[0];
    this.bind(this.mic, 'audio', audio, 'audioMuted', ['Mute', 'Unmute']);
    this.bind(this.camera, 'video', video, 'videoMuted', ['Stop video', 'Start video']);
  },
  bind(button, kind, track, field, labels) {
    if (!track) {
      return;
    }
    button.disabled = false;
    button.addEventListener('click', async () => {
      const muted = !this.state[field];
      this.state[field] = muted;
      track.enabled = !muted;
      button.setAttribute('aria-pressed', String(muted));
      button.textContent = labels[muted ? 1 : 0];
      signaling.send({ type: 'state', [field]: muted });
      await media.setMuted(kind, muted, track);
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
window.videoroom = { roster, signaling, media, participantId: null, timeline };

const localMedia = startLocalMedia();
signaling.connect()
  .then(() => {
    mark('joinSent');
    signaling.send({ type: 'join', name });
  })
  .catch(() => {
    setStatus('Cannot reach the server');
    showNotice('The signaling connection failed. Check that the server is running and reload the page.');
  });
