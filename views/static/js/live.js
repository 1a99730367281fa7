// The live connection: one websocket, reconnected with exponential backoff after any drop.

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/**
 * Connects to the chat websocket and keeps it connected.
 * - onFrame(frame): each `{messages, users, deleted_messages?}` frame.
 * - onState(state): 'connecting' | 'open' | 'down'.
 * - onReconnect(): after the connection came back, to fetch what was missed.
 */
export function connectLive(token, { onFrame, onState = () => {}, onReconnect = () => {} }) {
  let socket = null;
  let attempt = 0;
  let timer = null;
  let opened = false;
  let stopped = false;

  const address = () => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/api/v1/chat/ws/?token=${encodeURIComponent(token)}`;
  };

  function open() {
    clearTimeout(timer);
    timer = null;
    onState('connecting');
    const current = new WebSocket(address());
    socket = current;
    current.addEventListener('open', () => {
      attempt = 0;
      onState('open');
      if (opened) {
        onReconnect();
      }
      opened = true;
    });
    current.addEventListener('message', (event) => {
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
    current.addEventListener('close', () => {
      if (socket !== current || stopped) {
        return;
      }
      onState('down');
      retry();
    });
  }

  function retry() {
    if (timer !== null || stopped) {
      return;
    }
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    attempt += 1;
    timer = setTimeout(open, delay);
  }

  // The browser may not notice a dead network for minutes: act on what it does know.
  window.addEventListener('offline', () => socket?.close());
  window.addEventListener('online', () => {
    if (!socket || socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) {
      attempt = 0;
      open();
    }
  });

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
