import fc from 'fast-check';
import { Client } from 'pg';
import { startApp, TestApp } from './helpers/app';
import { api, ApiResponse, errorCodes, request } from './helpers/api';
import { createTestDatabase, TestDatabase, usingPostgres } from './helpers/database';
import { newMessage, newRoom, newUsers, TestUser } from './helpers/factories';
import { connect, ServerFrame, TestSocket } from './helpers/ws';

/**
 * Property-based bad input over every operation of the OpenAPI document and every socket action:
 * random and adversarial ids, queries, bodies, content types and multipart parts. Whatever comes, the
 * answer is never a 5xx, an error is always in the contract's shape, and (on PostgreSQL, where the test
 * can read the database beside the app) a rejected request leaves the database as it was.
 */

const RUNS_PER_OPERATION = 60;
const UPLOAD_RUNS = 150;
const SOCKET_RUNS = 400;
/** A fixed seed keeps CI repeatable; `FUZZ_SEED=<n>` explores elsewhere (a failure prints its seed and path). */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

interface Operation {
  method: string;
  template: string;
  operationId: string;
  parameters: { name: string; in: string }[];
  json: boolean;
  multipart: boolean;
}

/** What the database holds, in a few numbers; equal before and after a refused request. */
const FINGERPRINT = `
  SELECT (SELECT count(*) FROM users) AS users,
         (SELECT coalesce(sum(hashtext(username || first_name || token_version::text)), 0) FROM users) AS users_hash,
         (SELECT count(*) FROM rooms) AS rooms,
         (SELECT coalesce(sum(hashtext(title || description || is_public::text)), 0) FROM rooms) AS rooms_hash,
         (SELECT count(*) FILTER (WHERE is_active) FROM room_users) AS members,
         (SELECT count(*) FROM messages) AS messages,
         (SELECT coalesce(sum(hashtext(body || modified::text)), 0) FROM messages) AS messages_hash,
         (SELECT count(*) FROM message_images) AS images,
         (SELECT coalesce(sum(hashtext(message_id::text)), 0) FROM message_images) AS images_hash,
         (SELECT count(*) FROM room_admins) AS admins,
         (SELECT count(*) FROM room_muted_by) AS mutes,
         (SELECT count(*) FROM message_seen_by) AS seen,
         (SELECT count(*) FROM room_changes) AS changes`;

const ADVERSARIAL_STRINGS = [
  '',
  ' ',
  '..',
  '%00',
  '%2e%2e%2f',
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  '9'.repeat(40),
  'x'.repeat(2000),
  '00000000-0000-0000-0000-000000000000',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '\u0000',
  '\ud800',
  '𝕏😀',
];

/** Percent-encodes, a lone surrogate included (as U+FFFD, which is what a client's URL would carry). */
const encode = (value: string): string =>
  encodeURIComponent(
    value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );

describe('fuzzing every route and socket action', () => {
  let app: TestApp;
  let database: TestDatabase | undefined;
  let sql: Client | undefined;
  let owner: TestUser;
  let member: TestUser;
  let ids: Record<string, string>;
  let operations: Operation[];

  const fingerprint = async (): Promise<unknown> => (sql ? (await sql.query(FINGERPRINT)).rows[0] : null);

  beforeAll(async () => {
    database = usingPostgres() ? await createTestDatabase() : undefined;
    app = await startApp({
      database,
      env: {
        RATE_WS_FRAMES_PER_SECOND: '100000',
        RATE_WS_FRAMES_BURST: '100000',
        RATE_MESSAGES_PER_SECOND: '100000',
        RATE_MESSAGES_BURST: '100000',
      },
    });
    if (database) {
      sql = new Client({ connectionString: database.url });
      await sql.connect();
    }
    [owner, member] = await newUsers(app, 2);
    const room = await newRoom(app, owner, { is_public: false, users: [member] });
    const message = await newMessage(app, owner, room.id, { body: 'hello' });
    ids = { roomId: room.id, messageId: message.id, userId: member.id };
    const document = (await api(app).get('/api/v1/schema/')).body as {
      paths: Record<string, Record<string, any>>;
    };
    operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        operationId: operation.operationId as string,
        parameters: (operation.parameters ?? []) as { name: string; in: string }[],
        json: Boolean(operation.requestBody?.content?.['application/json']),
        multipart: Boolean(operation.requestBody?.content?.['multipart/form-data']),
      })),
    );
  });

  afterAll(async () => {
    await sql?.end();
    await app?.stop();
    await database?.drop();
  });

  /** No 5xx, and every 4xx in the error shape with a known code. */
  function expectHandled(response: ApiResponse, what: unknown): void {
    if (response.status >= 500 || (response.status >= 400 && !Array.isArray(response.body?.errors))) {
      throw new Error(
        `${JSON.stringify(what).slice(0, 400)} answered ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
      );
    }
    if (response.status >= 400) {
      errorCodes(response);
    }
  }

  /** Runs a request; when it is refused, the database must be as it was. */
  async function refusedChangesNothing(send: () => Promise<ApiResponse>, what: unknown): Promise<ApiResponse> {
    const before = await fingerprint();
    const response = await send();
    expectHandled(response, what);
    if (response.status >= 400) {
      expect({ what, after: await fingerprint() }).toEqual({ what, after: before });
    }
    return response;
  }

  const segment = (real: string | undefined) =>
    fc.oneof(
      ...(real ? [fc.constant(real), fc.constant(real.toUpperCase())] : []),
      fc.uuid().map((id) => id),
      fc.string({ maxLength: 40 }).map(encode),
      fc.constantFrom(...ADVERSARIAL_STRINGS).map((value) => (value.startsWith('%') ? value : encode(value))),
    );

  const queryValue = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer().map(String),
    fc.constantFrom(...ADVERSARIAL_STRINGS),
  );

  const jsonBody = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'body',
        'title',
        'users',
        'user_id',
        'message_ids',
        'is_active',
        'is_public',
        'parent_id',
        'is_reaction',
        'client_id',
        'message_id',
        'username',
        'password',
        'description',
        'first_name',
        'status',
      ),
      fc.oneof(
        fc.anything({ maxDepth: 2 }),
        fc.constantFrom(...ADVERSARIAL_STRINGS),
        fc.array(fc.oneof(fc.uuid(), fc.string()), { maxLength: 5 }),
      ),
      { maxKeys: 4 },
    ),
  );

  it('should answer any ids, query and JSON body of every operation without a server error, changing nothing when refused', async () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const operation of operations) {
      const pathParams = operation.parameters.filter((p) => p.in === 'path');
      const queryNames = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      // Deleting the fixtures would leave the later runs nothing to reach: deletes get made-up ids only.
      const realIds = operation.method !== 'DELETE';
      const request$ = fc.record({
        path: fc.tuple(...pathParams.map((p) => segment(realIds ? ids[p.name] : undefined))),
        query: fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...(queryNames.length ? queryNames : ['x'])), fc.string({ maxLength: 8 })),
            queryValue,
          ),
          {
            maxLength: 4,
          },
        ),
        body: jsonBody,
        raw: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"a":', '[]', 'null', '"x"')), {
          freq: 4,
        }),
        as: fc.constantFrom(owner, member),
      });
      await fc.assert(
        fc.asyncProperty(request$, async (input) => {
          let path = operation.template;
          pathParams.forEach((param, index) => {
            path = path.replace(`{${param.name}}`, input.path[index]);
          });
          const search = input.query.map(([key, value]) => `${encode(key)}=${encode(value)}`);
          const url = `${path}/${search.length ? `?${search.join('&')}` : ''}`;
          const what = { operation: operation.operationId, url, body: input.body, raw: input.raw };
          await refusedChangesNothing(
            () =>
              request(app, operation.method, url, {
                token: input.as.token,
                ...(operation.json || operation.method !== 'GET'
                  ? input.raw !== null
                    ? { raw: input.raw, headers: { 'content-type': 'application/json' } }
                    : { body: input.body }
                  : {}),
              }),
            what,
          );
        }),
        { numRuns: RUNS_PER_OPERATION, seed: SEED, endOnFailure: true },
      );
    }
  }, 600_000);

  it('should answer any multipart upload without a server error, changing nothing when refused', async () => {
    const part$ = fc.record({
      fields: fc.dictionary(
        fc.constantFrom('room_id', 'message_id', 'image', 'name', 'x'),
        fc.oneof(
          fc.constant(ids.roomId),
          fc.constant(ids.messageId),
          fc.uuid(),
          fc.constantFrom(...ADVERSARIAL_STRINGS),
        ),
        { maxKeys: 3 },
      ),
      files: fc.array(
        fc.record({
          field: fc.constantFrom('image', 'image', 'file', 'room_id'),
          bytes: fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            fc.constant(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])),
            fc.constant(new TextEncoder().encode('GIF89a' + 'x'.repeat(50))),
          ),
          name: fc.oneof(
            fc.string({ maxLength: 30 }),
            fc.constantFrom('../../etc/passwd', 'a.png', '', 'x'.repeat(300)),
          ),
          type: fc.constantFrom('image/png', 'image/jpeg', 'text/plain', 'application/octet-stream', ''),
        }),
        { maxLength: 3 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(part$, async (input) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(input.fields)) {
          form.append(name, value);
        }
        for (const file of input.files) {
          form.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
        }
        await refusedChangesNothing(
          () => request(app, 'POST', '/api/v1/chat/images/', { token: owner.token, raw: form }),
          { fields: input.fields, files: input.files.map((file) => ({ ...file, bytes: file.bytes.length })) },
        );
      }),
      { numRuns: UPLOAD_RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);

  it('should answer any client frame with an ack or an error, never closing the socket, changing nothing when refused', async () => {
    const socket: TestSocket = await connect(app, owner.token);
    const actionFrame = fc.record(
      {
        action: fc.oneof(fc.constantFrom('send', 'seen', 'typing', 'resume', 'ping'), fc.string({ maxLength: 10 })),
        ref: fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.constant(null)),
        room_id: fc.oneof(fc.constant(ids.roomId), fc.uuid(), fc.constantFrom(...ADVERSARIAL_STRINGS), fc.anything()),
        body: fc.oneof(fc.string({ maxLength: 50 }), fc.anything()),
        message_ids: fc.oneof(fc.array(fc.oneof(fc.uuid(), fc.constant(ids.messageId), fc.string())), fc.anything()),
        rooms: fc.oneof(
          fc.dictionary(
            fc.oneof(fc.uuid(), fc.string(), fc.constant(ids.roomId)),
            fc.oneof(fc.integer(), fc.anything()),
          ),
          fc.anything(),
        ),
        parent_id: fc.oneof(fc.uuid(), fc.constant(ids.messageId), fc.anything()),
        client_id: fc.oneof(fc.string({ maxLength: 70 }), fc.anything()),
      },
      { requiredKeys: ['action'] },
    );
    const frame$ = fc.oneof(
      actionFrame.map((frame) => JSON.stringify(frame)),
      fc.string({ maxLength: 200 }),
      fc.json(),
      fc.constantFrom('{', '[]', 'null', '""', '{"action":"ping"}', '{"action":"ping","ref":""}'),
    );
    try {
      await fc.assert(
        fc.asyncProperty(frame$, async (text) => {
          const before = await fingerprint();
          const from = socket.frames.length;
          socket.raw.send(text);
          // Every frame is answered: an ack, or an error (with a null ref when the frame had no usable one).
          const answer: ServerFrame = await socket.waitFor(
            (frame) => frame.ack !== undefined || frame.error !== undefined,
            5000,
            from,
          );
          expect(socket.raw.readyState).toBe(socket.raw.OPEN);
          if (answer.error) {
            expect(typeof answer.error.code).toBe('string');
            expect(typeof answer.error.message).toBe('string');
            expect(answer.error.code).not.toBe('server_error');
            expect({ text, after: await fingerprint() }).toEqual({ text, after: before });
          }
        }),
        { numRuns: SOCKET_RUNS, seed: SEED, endOnFailure: true },
      );
    } finally {
      await socket.close();
    }
  }, 300_000);
});
