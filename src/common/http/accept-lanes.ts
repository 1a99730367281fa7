import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Server, Socket } from 'node:net';

/** What the lanes' child is sent, with the listening handle. */
export interface LaneRequest {
  copies: number;
}

/**
 * More ways into one listening socket. Node 20's libuv accepts a single connection per event-loop turn
 * (libuv ≥ 1.45, nodejs/node#57364), so a busy process drains its accept queue at the pace of its turns:
 * under a fan-out, 50–100 connections a second, and a crowd reconnecting at once (a network blip, a
 * deploy) waits seconds for its sockets to be accepted. With `lanes` copies of the socket's descriptor
 * each turn accepts up to one connection per copy (what SO_REUSEPORT gives elsewhere; Node 20 has none).
 *
 * A copy is made by passing the handle to a short-lived child process and back over the IPC channel,
 * which duplicates a descriptor it carries. The copies hand their connections to `server`, as the
 * `'connection'` event of an HTTP server is meant to be fed. Answers the copies, to close with the server;
 * none when `lanes` is 1 or the copies could not be made (the server accepts alone, as before).
 */
export async function addAcceptLanes(
  server: Server,
  lanes: number,
  backlog: number,
  onError: (error: Error) => void,
): Promise<Server[]> {
  const copies = lanes - 1;
  if (copies <= 0) {
    return [];
  }
  const handle = (server as unknown as { _handle?: object })._handle;
  if (!handle) {
    return [];
  }
  try {
    const received = await copiesOf(handle, copies);
    return received.map((copy) => {
      // The options an HTTP server gives its own sockets.
      const lane = new Server({ allowHalfOpen: true, noDelay: true });
      lane.on('connection', (socket: Socket) => server.emit('connection', socket));
      lane.on('error', onError);
      lane.listen(copy, backlog);
      return lane;
    });
  } catch (error) {
    onError(error instanceof Error ? error : new Error(String(error)));
    return [];
  }
}

/**
 * Stops accepting on the lanes at once; resolves when the connections they accepted have ended, as the
 * server's own are waited for when it closes (at most `waitMs`).
 */
export function closeAcceptLanes(lanes: Server[], waitMs: number): Promise<void> {
  const drained = Promise.all(lanes.map((lane) => new Promise<void>((done) => lane.close(() => done()))));
  return Promise.race([drained.then(() => undefined), new Promise<void>((done) => setTimeout(done, waitMs).unref())]);
}

function copiesOf(handle: object, copies: number): Promise<object[]> {
  return new Promise((resolve, reject) => {
    // No flags of this process (a profiler, an inspector port) for a child that only echoes.
    const child = fork(join(__dirname, 'accept-lanes.child.js'), [], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const received: object[] = [];
    const timer = setTimeout(() => fail(new Error('the accept lanes were not ready within 10 s')), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill();
      // The copies that did come would otherwise stay open, unused, for the life of the process.
      received.splice(0).forEach((copy) => (copy as { close(): void }).close());
      reject(error);
    };
    child.on('error', fail);
    // Answered once the child is gone, so that no process of ours outlives the start.
    child.on('exit', (code) => {
      if (received.length < copies) {
        fail(new Error(`the accept lanes' process ended (code ${code}) with ${received.length} of ${copies} copies`));
        return;
      }
      clearTimeout(timer);
      resolve(received);
    });
    child.on('message', (_message, copy) => {
      if (copy && received.push(copy) === copies) {
        child.disconnect(); // the child ends when its channel closes
      }
    });
    child.send({ copies } satisfies LaneRequest, handle as Parameters<typeof child.send>[1]);
  });
}
