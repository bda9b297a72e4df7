// The room page: local preview, signaling, and the roster of the others.
import { SignalingClient } from './signaling.js';
import { Roster } from './roster.js';

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
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
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

const signaling = new SignalingClient(signalingUrl());
let leaving = false;

signaling
  .on('joined', (message) => {
    window.videoroom.participantId = message.participantId;
    message.participants.forEach((p) => roster.add(p));
    setStatus('Connected');
  })
  .on('participantJoined', (message) => roster.add(message.participant))
  .on('participantLeft', (message) => roster.remove(message.participantId))
  .on('error', (message) => showNotice(`The server refused a request: ${message.message} (${message.code})`))
  .on('close', () => {
    if (!leaving) {
      setStatus('Connection lost');
      showNotice('The connection to the server was lost. Reload the page to join again.');
      roster.clear();
    }
  });

document.getElementById('leave').addEventListener('click', () => {
  leaving = true;
  signaling.send({ type: 'leave' });
  signaling.close();
});

// A small, read-only handle for tests and the browser console.
window.videoroom = { roster, signaling, participantId: null };

startLocalMedia();
signaling.connect()
  .then(() => signaling.send({ type: 'join', name }))
  .catch(() => {
    setStatus('Cannot reach the server');
    showNotice('The signaling connection failed. Check that the server is running and reload the page.');
  });
