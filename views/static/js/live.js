// The live connection: one websocket, reconnected with exponential backoff after any drop, and the
// actions a page sends on it (`{action, ref, ...}`, each answered by `{ack: ref}` or an error frame).

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** An action not answered in this time counts as unanswered, as if the connection had dropped. */
const ANSWER_TIMEOUT_MS = 10_000;
/** A ping every so often: a socket that does not answer it is dead, whatever the browser thinks. */
const PING_EVERY_MS = 25_000;

/** The server closes with this code when the token stopped being valid (e.g. the password changed). */
const TOKEN_REJECTED = 4401;

/**
 * Why an action failed. `answered` is true when the server refused it (an error frame, with the REST
 * error `code`); false when no answer came (not connected, dropped, timed out), so that the caller
 * may try the same thing over REST.
 */
export class LiveError extends Error {
  constructor(message, { code = 'unavailable', field, answered = false } = {}) {
    super(message);
    this.code = code;
    this.field = field;
    this.answered = answered;
  }
}

/**
 * Connects to the chat websocket and keeps it connected.
 * - onFrame(frame): each frame that is not an answer to an action (change, presence, typing, seen).
 * - onOpen(connection, reconnected): the socket just opened; what is sent here is its first frame
 *   (a `resume`).
 * - onState(state): 'connecting' (the first time), 'open', or 'down' (dropped, until it is open again);
 *   also shown as `data-live` on <body>.
 * - onReconnect(): after the connection came back, to fetch what no frame will tell.
 * - renewToken(): on a 4401 close (the token expired or was revoked), a fresh token to reconnect with,
 *   or null; `token` may be a function answering the current one.
 * - onRejected(): the token is no longer accepted and no fresh one came; reconnecting would not help.
 * - onFailing(): the server keeps refusing (a refused upgrade looks like a network error): a chance
 *   to check the token some other way.
 * Answers `{isOpen(), request(action, fields), close()}`: `request` resolves with the ack frame and
 * rejects with a LiveError.
 */
export function connectLive(
  token,
  {
    onFrame,
    onOpen = () => {},
    onState = () => {},
    onReconnect = () => {},
    renewToken = async () => null,
    onRejected = () => location.reload(),
    onFailing = () => {},
  },
) {
  let socket = null;
  let attempt = 0;
  let timer = null;
  let pinger = null;
  let opened = false;
  let stopped = false;
  let refs = 0;
  /** Actions sent on the current socket and not answered yet, by ref. */
  const waiting = new Map();

  const address = () => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const current = typeof token === 'function' ? token() : token;
    return `${scheme}//${location.host}/api/v1/chat/ws/?token=${encodeURIComponent(current)}`;
  };

  const setState = (state) => {
    document.body.dataset.live = state;
    onState(state);
  };

  const isOpen = () => !stopped && socket?.readyState === WebSocket.OPEN;

  function answer(frame) {
    const ref = 'ack' in frame ? frame.ack : frame.error?.ref;
    const entry = waiting.get(ref);
    if (!entry) {
      return;
    }
    waiting.delete(ref);
    clearTimeout(entry.timer);
    if ('ack' in frame) {
      entry.resolve(frame);
    } else {
      const { message, code, field } = frame.error;
      entry.reject(new LiveError(message ?? 'The server refused this.', { code, field, answered: true }));
    }
  }

  function failWaiting(reason) {
    for (const entry of waiting.values()) {
      clearTimeout(entry.timer);
      entry.reject(new LiveError(reason));
    }
    waiting.clear();
  }

  function request(action, fields = {}) {
    if (!isOpen()) {
      return Promise.reject(new LiveError('Not connected.'));
    }
    refs += 1;
    const ref = `${action}-${refs}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(ref);
        reject(new LiveError('No answer from the server.'));
      }, ANSWER_TIMEOUT_MS);
      waiting.set(ref, { resolve, reject, timer });
      socket.send(JSON.stringify({ ...fields, action, ref }));
    });
  }

  const connection = { isOpen, request, close: stop };

  /** A socket that cannot answer a ping is replaced; one that answers with an error is alive. */
  function ping() {
    const current = socket;
    request('ping').catch((error) => {
      if (!error.answered && socket === current && !stopped) {
        abandon();
        setState('down');
        retry();
      }
    });
  }

  function open() {
    clearTimeout(timer);
    timer = null;
    if (!opened) {
      setState('connecting');
    }
    const current = new WebSocket(address());
    socket = current;
    current.addEventListener('open', () => {
      if (socket !== current) {
        return;
      }
      attempt = 0;
      const reconnected = opened;
      opened = true;
      onOpen(connection, reconnected);
      setState('open');
      if (reconnected) {
        onReconnect();
      }
      clearInterval(pinger);
      pinger = setInterval(ping, PING_EVERY_MS);
    });
    current.addEventListener('message', (event) => {
      if (socket !== current) {
        return;
      }
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object') {
        return;
      }
      if ('ack' in frame || 'error' in frame) {
        answer(frame);
      } else {
        onFrame(frame);
      }
    });
    current.addEventListener('close', (event) => {
      if (socket !== current || stopped) {
        return;
      }
      clearInterval(pinger);
      failWaiting('The connection dropped.');
      setState('down');
      if (event.code === TOKEN_REJECTED) {
        // A page token lives minutes: renew it from the session and carry on (resuming what was missed).
        renewToken().then(
          (fresh) => (fresh && !stopped ? retry() : ((stopped = true), onRejected())),
          () => ((stopped = true), onRejected()),
        );
        return;
      }
      retry();
    });
  }

  function retry() {
    if (timer !== null || stopped) {
      return;
    }
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    attempt += 1;
    if (attempt % 3 === 0) {
      onFailing();
    }
    timer = setTimeout(open, delay);
  }

  /** Gives up on the current socket: its late `close` (if any) is ignored, its actions fail now. */
  function abandon() {
    const dropped = socket;
    socket = null;
    clearTimeout(timer);
    timer = null;
    clearInterval(pinger);
    failWaiting('The connection dropped.');
    dropped?.close();
  }

  function stop() {
    stopped = true;
    abandon();
  }

  // The browser may not notice a dead network for minutes: act on what it does know. Offline, a
  // closing handshake cannot complete, so the connection is down now, not when `close` would fire.
  window.addEventListener('offline', () => {
    if (stopped) {
      return;
    }
    abandon();
    setState('down');
    retry();
  });
  window.addEventListener('online', () => {
    if (stopped || socket?.readyState === WebSocket.OPEN) {
      return;
    }
    abandon();
    attempt = 0;
    open();
  });

  open();
  return connection;
}
