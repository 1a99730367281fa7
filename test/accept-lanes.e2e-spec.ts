import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { startIsolatedApp, TestApp } from './helpers/app';
import { newUser } from './helpers/factories';
import { connect } from './helpers/ws';

/** The descriptors of this process that are the socket listening on the port (Linux /proc). */
function listeningDescriptors(pid: number, port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set(
    readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
      .map((fields) => fields[9]),
  );
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

/** The processes whose parent is this one. */
function childrenOf(pid: number): string[] {
  return readdirSync('/proc').filter((entry) => {
    try {
      // pid (comm) state ppid ...: the command may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      return /^\d+$/.test(entry) && stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(pid);
    } catch {
      return false;
    }
  });
}

const portOf = (app: TestApp) => Number(new URL(app.url).port);

describe('accept lanes', () => {
  let app: TestApp | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  const startLanes = async (lanes: string): Promise<TestApp> => (app = await startIsolatedApp({ ACCEPT_LANES: lanes }));

  it('should listen on ACCEPT_LANES descriptors of one socket, and serve what each accepts', async () => {
    const app = await startLanes('6');
    expect(app.output()).toMatch(/"accept_lanes":6,"msg":"listening"/);
    expect(listeningDescriptors(app.process.pid!, portOf(app))).toBe(6);
    // The process that copied the descriptors is gone.
    expect(childrenOf(app.process.pid!)).toEqual([]);

    // A crowd at once: requests and websockets alike are answered, whichever descriptor accepted them.
    const user = await newUser(app);
    const answers = await Promise.all(
      Array.from({ length: 120 }, () =>
        fetch(`${app.url}/api/v1/chat/rooms/`, { headers: { authorization: `Bearer ${user.token}` } }).then(
          (response) => response.status,
        ),
      ),
    );
    expect(answers).toEqual(answers.map(() => 200));
    const sockets = await Promise.all(Array.from({ length: 40 }, () => connect(app, user.token)));
    const acks = await Promise.all(sockets.map((socket) => socket.act({ action: 'ping' })));
    expect(acks).toEqual(sockets.map(() => ({ ack: expect.any(String) })));
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('should close what every descriptor accepted, and stop listening on all, when it shuts down', async () => {
    const stopping = await startIsolatedApp({ ACCEPT_LANES: '16' });
    const port = portOf(stopping);
    const user = await newUser(stopping);
    // Sockets spread over the descriptors: each must be closed as the server's own are (1001).
    const sockets = await Promise.all(Array.from({ length: 30 }, () => connect(stopping, user.token)));
    expect(await stopping.stop()).toBe(0);
    expect((await Promise.all(sockets.map((socket) => socket.closed))).map(({ code }) => code)).toEqual(
      sockets.map(() => 1001),
    );
    const refused = await new Promise<string>((done) => {
      const socket = connectTcp(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('should accept on the one socket alone with ACCEPT_LANES=1', async () => {
    const app = await startLanes('1');
    expect(app.output()).toMatch(/"accept_lanes":1,"msg":"listening"/);
    expect(listeningDescriptors(app.process.pid!, portOf(app))).toBe(1);
    expect((await fetch(`${app.url}/api/v1/chat/rooms/`)).status).toBe(401);
  });
});
