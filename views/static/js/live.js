// The live connection: one websocket, reconnected with exponential backoff after any drop.

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** The server closes with this code when the token stopped being valid (e.g. the password changed). */
const TOKEN_REJECTED = 4401;

/**
 * Connects to the chat websocket and keeps it connected.
 * - onFrame(frame): each `{messages, users, deleted_messages?}` frame.
 * - onState(state): 'connecting' (the first time), 'open', or 'down' (dropped, until it is open again);
 *   also shown as `data-live` on <body>.
 * - onReconnect(): after the connection came back, to fetch what was missed.
 * - onRejected(): the token is no longer accepted; reconnecting would not help.
 * - onFailing(): the server keeps refusing (a refused upgrade looks like a network error): a chance
 *   to check the token some other way.
 */
export function connectLive(
  token,
  { onFrame, onState = () => {}, onReconnect = () => {}, onRejected = () => location.reload(), onFailing = () => {} },
) {
  let socket = null;
  let attempt = 0;
  let timer = null;
  let opened = false;
  let stopped = false;

  const address = () => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/api/v1/chat/ws/?token=${encodeURIComponent(token)}`;
  };

  const setState = (state) => {
    document.body.dataset.live = state;
    onState(state);
  };

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
      setState('open');
      if (opened) {
        onReconnect();
      }
      opened = true;
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
      if (frame && typeof frame === 'object') {
        onFrame(frame);
      }
    });
    current.addEventListener('close', (event) => {
      if (socket !== current || stopped) {
        return;
      }
      setState('down');
      if (event.code === TOKEN_REJECTED) {
        stopped = true;
        onRejected();
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

  /** Gives up on the current socket: its late `close` (if any) is ignored. */
  function abandon() {
    const dropped = socket;
    socket = null;
    clearTimeout(timer);
    timer = null;
    dropped?.close();
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
  return {
    close() {
      stopped = true;
      abandon();
    },
  };
}
