/**
 * W11, the REST side of the soak: members post (with client_ids, a few sent twice), react and take
 * reactions back, edit and delete some of their messages, mark messages seen, read room lists, pages,
 * members and single messages, search now and then, and upload small images and fetch them back.
 */
import sharp from 'sharp';
import type { AckedMessage, SoakRestResult, WorkerCommand } from '../lib/messages';
import { paced } from '../lib/pacing';
import { SOAK_WORDS, soakBody, Tally } from '../lib/soak';
import { nowMs } from '../lib/stats';

/** Shares of the posts that are sent twice, later deleted, edited (some twice), and reacted to. */
const REPEATED = 0.05;
const DELETED = 0.05;
const EDITED = 0.1;
const EDITED_AGAIN = 0.3;
const REACTED = 0.3;
/** Share of the reactions taken back. */
const UNREACTED = 0.2;
const REACTIONS = ['+', '👍', '🎉', '❤️'];
/** Messages per room kept to react to, mark seen and read (none of them is deleted). */
const RECENT = 50;

type Reply = { status: number; json: any } | null;

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const between = (min: number, max: number) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A few small images, PNG and JPEG, each of its own colour and size. */
function makeImages(): Promise<{ data: Buffer; type: string; name: string }[]> {
  return Promise.all(
    [0, 1, 2, 3].map(async (n) => {
      const png = n % 2 === 0;
      const image = sharp({
        create: {
          width: 48 + 16 * n,
          height: 32 + 8 * n,
          channels: 3,
          background: { r: 60 * n, g: 200 - 40 * n, b: 90 },
        },
      });
      return {
        data: await (png ? image.png() : image.jpeg({ quality: 80 })).toBuffer(),
        type: png ? 'image/png' : 'image/jpeg',
        name: `soak-${n}.${png ? 'png' : 'jpg'}`,
      };
    }),
  );
}

export async function soakRest(command: Extract<WorkerCommand, { type: 'soakRest' }>): Promise<SoakRestResult> {
  const tally = new Tally();
  const acked: AckedMessage[] = [];
  const deleted: string[] = [];
  const recent: string[][] = command.rooms.map(() => []);
  const images = await makeImages();
  let repeats = 0;
  let repeatMismatches = 0;
  const end = nowMs() + command.durationSeconds * 1000;
  const pending = new Set<Promise<unknown>>();

  const call = async (kind: string, method: string, path: string, token: string, body?: unknown): Promise<Reply> => {
    const started = nowMs();
    try {
      const response = await fetch(path.startsWith('http') ? path : `${command.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined || body instanceof FormData ? body : JSON.stringify(body),
      });
      const json = (response.headers.get('content-type') ?? '').includes('json')
        ? await response.json()
        : await response.arrayBuffer().then(() => undefined);
      tally.record(kind, response.status, nowMs() - started);
      return { status: response.status, json };
    } catch {
      tally.record(kind, 'error', nowMs() - started);
      return null;
    }
  };
  /** Runs `work` after `ms`, unless that is past the end of the soak. */
  const later = (ms: number, work: () => Promise<unknown>) => {
    if (nowMs() + ms >= end) {
      return;
    }
    const running = sleep(ms)
      .then(work)
      .catch(() => undefined);
    pending.add(running);
    void running.finally(() => pending.delete(running));
  };
  const remember = (room: number, id: string) => {
    recent[room].push(id);
    if (recent[room].length > RECENT) {
      recent[room].shift();
    }
  };

  const react = async (room: number, id: string) => {
    const path = `/api/v1/chat/rooms/${command.rooms[room].id}/messages/`;
    const token = pick(command.rooms[room].tokens);
    const reply = await call('react', 'POST', path, token, { body: pick(REACTIONS), parent_id: id, is_reaction: true });
    if (reply?.status === 201 && Math.random() < UNREACTED) {
      later(between(1000, 20_000), () => call('unreact', 'DELETE', `${path}${reply.json.id}/`, token));
    }
  };

  const post = async (n: number) => {
    const room = Math.floor(Math.random() * command.rooms.length);
    const { id: roomId, tokens } = command.rooms[room];
    const token = pick(tokens);
    const path = `/api/v1/chat/rooms/${roomId}/messages/`;
    const body = { body: soakBody(n), client_id: `${command.tag}-${n}` };
    const reply = await call('post', 'POST', path, token, body);
    if (reply?.status !== 201) {
      return;
    }
    const id = reply.json.id as string;
    acked.push({ id, roomId, via: 'rest' });
    if (Math.random() < REPEATED) {
      const again = await call('post (repeat)', 'POST', path, token, body);
      if (again?.status === 200 && again.json.id === id) {
        repeats++;
      } else {
        repeatMismatches++;
      }
    }
    const fate = Math.random();
    if (fate < DELETED) {
      later(between(2000, 20_000), async () => {
        if ((await call('delete', 'DELETE', `${path}${id}/`, token))?.status === 204) {
          deleted.push(id);
        }
      });
      return;
    }
    remember(room, id);
    if (fate < DELETED + EDITED) {
      const edit = () => call('edit', 'PATCH', `${path}${id}/`, token, { body: `${soakBody(n)} edited ${nowMs()}` });
      later(between(1000, 10_000), async () => {
        await edit();
        if (Math.random() < EDITED_AGAIN) {
          later(between(1000, 20_000), edit);
        }
      });
    }
    if (Math.random() < REACTED) {
      later(between(500, 30_000), () => react(room, id));
    }
  };

  const markSeen = async () => {
    const room = Math.floor(Math.random() * command.rooms.length);
    if (recent[room].length > 0) {
      const { id, tokens } = command.rooms[room];
      await call('seen', 'POST', `/api/v1/chat/rooms/${id}/messages/seen/`, pick(tokens), {
        message_ids: recent[room].slice(-1 - Math.floor(Math.random() * 5)),
      });
    }
  };

  const read = async (n: number) => {
    const room = Math.floor(Math.random() * command.rooms.length);
    const { id, tokens } = command.rooms[room];
    const token = pick(tokens);
    switch (n % 4) {
      case 0:
        return call('read rooms', 'GET', '/api/v1/chat/rooms/?limit=20', token);
      case 1:
        return call('read messages', 'GET', `/api/v1/chat/rooms/${id}/messages/?limit=50`, token);
      case 2:
        return call('read room users', 'GET', `/api/v1/chat/rooms/${id}/users/`, token);
      default:
        return recent[room].length > 0
          ? call('read message', 'GET', `/api/v1/chat/rooms/${id}/messages/${pick(recent[room])}/`, token)
          : call('read room', 'GET', `/api/v1/chat/rooms/${id}/`, token);
    }
  };

  const search = async (n: number) => {
    const { id, tokens } = pick(command.rooms);
    const q = new URLSearchParams({ q: SOAK_WORDS[n % SOAK_WORDS.length], limit: '20' });
    await call(
      'search',
      'GET',
      `/api/v1/chat/search/?${q.toString()}${n % 2 === 0 ? `&room_id=${id}` : ''}`,
      pick(tokens),
    );
  };

  // Each uploader is a member of one room; they take turns, so that each uploads every 60 / perMinute s.
  const upload = async (n: number) => {
    const uploader = n % command.uploaders;
    const { id: roomId, tokens } = command.rooms[uploader % command.rooms.length];
    const token = tokens[Math.floor(uploader / command.rooms.length) % tokens.length];
    const image = images[n % images.length];
    const form = new FormData();
    form.append('room_id', roomId);
    form.append('image', new Blob([image.data], { type: image.type }), image.name);
    const reply = await call('upload image', 'POST', '/api/v1/chat/images/', token, form);
    if (reply?.status !== 201) {
      return;
    }
    acked.push({ id: reply.json.message_id, roomId, via: 'image' });
    await call('fetch image', 'GET', reply.json.image, token);
    if (reply.json.thumbnail) {
      await call('fetch thumbnail', 'GET', reply.json.thumbnail, token);
    }
  };

  await Promise.all([
    paced(command.postsPerSecond, command.durationSeconds, post),
    paced(command.seenPerSecond, command.durationSeconds, markSeen),
    paced(command.readsPerSecond, command.durationSeconds, read),
    paced(command.searchesPerSecond, command.durationSeconds, search),
    paced((command.uploaders * command.uploadsPerMinute) / 60, command.durationSeconds, upload),
  ]);
  while (pending.size > 0) {
    await Promise.all([...pending]);
  }
  return { requests: tally.figures(), acked, deleted, repeats, repeatMismatches };
}
