// The signaling connection of docs/protocol.md: JSON messages with a "type", over one WebSocket.

export class SignalingClient {
  #socket;
  #handlers = new Map();

  /** @param {string} url ws:// or wss:// URL of /ws/rooms/{room} */
  constructor(url) {
    this.url = url;
  }

  /**
   * Opens the socket; resolves once it is open, rejects when it fails or is not open within {@code timeoutMs}
   * (a network that drops packets silently would otherwise keep a reconnect waiting).
   */
  connect(timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      this.#socket = socket;
      const timer = setTimeout(() => {
        reject(new Error('signaling connection timed out'));
        socket.close();
      }, timeoutMs);
      socket.addEventListener('open', () => { clearTimeout(timer); resolve(); }, { once: true });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new Error('signaling connection failed'));
      }, { once: true });
      socket.addEventListener('message', (event) => {
        if (socket === this.#socket) this.#dispatch(event.data);
      });
      // Only the current socket's end is news: an older one closing late must not end its successor.
      socket.addEventListener('close', (event) => {
        if (socket === this.#socket) this.#emit('close', { code: event.code, reason: event.reason });
      });
    });
  }

  /** Registers a handler for messages of one type ("joined", "error", …) or for "close". */
  on(type, handler) {
    const list = this.#handlers.get(type) ?? [];
    list.push(handler);
    this.#handlers.set(type, list);
    return this;
  }

  /** Sends a message; false when the socket is not open (the message is dropped). */
  send(message) {
    if (this.#socket?.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  /**
   * Closes the socket. A page that is done sends `leave` first; a reconnecting page closes its old socket with
   * {@link SignalingClient.RECONNECTING}, so no server takes it for a page that went away.
   */
  close(code = 1000, reason = 'bye') {
    this.#socket?.close(code, reason);
  }

  /** The close code of a socket given up for a new one (docs/protocol.md, "Reconnecting"). */
  static RECONNECTING = 4000;

  /** Whether the socket is open now. */
  get open() {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  #dispatch(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      console.warn('ignoring a signaling message that is not JSON');
      return;
    }
    this.#emit(message.type, message);
  }

  #emit(type, message) {
    for (const handler of this.#handlers.get(type) ?? []) {
      try {
        handler(message);
      } catch (e) {
        console.error(`handler for ${type} failed`, e);
      }
    }
  }
}
