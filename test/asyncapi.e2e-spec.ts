import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startIsolatedApp, TestApp } from './helpers/app';
import { request } from './helpers/api';

const LIMITS = { MAX_MESSAGE_LENGTH: 500, MAX_SEEN_IDS: 5 };

/** The protocol's names as the built app has them (Jest cannot load the NestJS modules protocol.ts imports). */
function protocolOfTheBuild(): { actions: string[]; closeCodes: Record<string, number> } {
  const protocol = resolve(__dirname, '..', 'dist', 'src', 'realtime', 'protocol.js');
  const script = `const p = require(${JSON.stringify(protocol)});
    process.stdout.write(JSON.stringify({ actions: p.ACTIONS, closeCodes: p.CLOSE_CODES }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

/** Follows a local `$ref` of the document. */
function resolveRef(document: any, node: any): any {
  if (!node?.$ref) {
    return node;
  }
  return resolveRef(
    document,
    (node.$ref as string)
      .slice(2)
      .split('/')
      .reduce((value: any, key: string) => value[key.replace(/~1/g, '/').replace(/~0/g, '~')], document),
  );
}

describe('the AsyncAPI document of the websocket', () => {
  let app: TestApp;
  let document: any;
  let openApi: any;
  const protocol = protocolOfTheBuild();

  /** The messages of an operation, or of its reply, with their payloads resolved. */
  const messagesOf = (operation: { messages: unknown[] }) =>
    operation.messages.map((message) => resolveRef(document, message));

  beforeAll(async () => {
    app = await startIsolatedApp(Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, String(v)])));
    const served = await request(app, 'GET', '/api/v1/asyncapi/');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^application\/json/);
    document = served.body;
    openApi = (await request(app, 'GET', '/api/v1/schema/')).body;
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should be AsyncAPI 3.0.0 that @asyncapi/parser finds no error in, also without the trailing slash', async () => {
    expect(document.asyncapi).toBe('3.0.0');
    const parser = new Parser();
    const diagnostics = await parser.validate(JSON.stringify(document));
    const problems = diagnostics
      .filter((diagnostic) => [DiagnosticSeverity.Error, DiagnosticSeverity.Warning].includes(diagnostic.severity))
      .map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`);
    expect(problems).toEqual([]);
    const { document: parsed } = await parser.parse(JSON.stringify(document));
    expect(parsed?.operations().length).toBeGreaterThan(protocol.actions.length);

    const bare = await request(app, 'GET', '/api/v1/asyncapi');
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual(document);
  });

  it('should say where to connect and how to authenticate', () => {
    expect(document.servers.chat).toMatchObject({ host: new URL(app.url).host, protocol: 'ws' });
    expect(document.channels.chat.address).toBe('/api/v1/chat/ws/');
    const schemes = document.servers.chat.security.map((scheme: unknown) => resolveRef(document, scheme));
    expect(schemes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'httpApiKey', in: 'query', name: 'token' }),
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      ]),
    );
    expect(document.channels.chat.description).toContain('401');
  });

  it('should describe every action of protocol.ts, with its payload and its answers', () => {
    expect(protocol.actions).toEqual(expect.arrayContaining(['send', 'seen', 'typing', 'resume', 'ping']));
    const received = Object.values<any>(document.operations).filter((operation) => operation.action === 'receive');
    for (const action of protocol.actions) {
      const operation = received.find((candidate) =>
        messagesOf(candidate).some((message) => message.payload.properties.action?.const === action),
      );
      expect([action, operation !== undefined]).toEqual([action, true]);
      const [message] = messagesOf(operation);
      expect(message.payload.required).toEqual(expect.arrayContaining(['action', 'ref']));
      const answers = messagesOf(operation.reply).map((reply) => reply.payload);
      expect(answers.some((payload) => payload.required.includes('ack'))).toBe(true);
      expect(answers.some((payload) => payload.required.includes('error'))).toBe(true);
    }
    expect(received).toHaveLength(protocol.actions.length);
  });

  it('should give each action the rules of the REST request it mirrors, configured limits included', () => {
    const payloadOf = (action: string) => document.components.messages[`${action}Action`].payload;
    expect(payloadOf('send').properties.body).toEqual(openApi.components.schemas.CreateMessageDto.properties.body);
    expect(payloadOf('send').properties.body.maxLength).toBe(LIMITS.MAX_MESSAGE_LENGTH);
    expect(payloadOf('send').required).toEqual(expect.arrayContaining(['room_id', 'body']));
    expect(payloadOf('seen').properties.message_ids.maxItems).toBe(LIMITS.MAX_SEEN_IDS);
    expect(payloadOf('resume').properties.rooms).toMatchObject({ type: 'object', maxProperties: 1000 });
    expect(Object.keys(payloadOf('ping').properties).sort()).toEqual(['action', 'ref']);
  });

  it('should have a message for each kind of server frame', () => {
    const sent = Object.values<any>(document.operations)
      .filter((operation) => operation.action === 'send')
      .flatMap(messagesOf);
    const replies = Object.values<any>(document.operations)
      .filter((operation) => operation.reply)
      .flatMap((operation) => messagesOf(operation.reply));
    const payloads = [...sent, ...replies].map((message) => resolveRef(document, message.payload));
    const has = (...fields: string[]) => payloads.some((payload) => fields.every((f) => payload.properties?.[f]));

    expect(has('room_id', 'seq', 'messages', 'users', 'deleted_messages', 'room', 'deleted_room')).toBe(true);
    const presence = payloads.find((payload) => payload.properties?.messages?.maxItems === 0);
    expect(presence?.required).toEqual(expect.arrayContaining(['room_id', 'users']));
    expect(has('room_id', 'typing')).toBe(true);
    expect(has('room_id', 'seen')).toBe(true);
    for (const field of ['message', 'message_ids', 'resync']) {
      expect([field, has('ack', field)]).toEqual([field, true]);
    }
    expect(has('error')).toBe(true);
  });

  it('should list every close code of protocol.ts', () => {
    const codes = Object.values(protocol.closeCodes);
    expect(codes).toEqual(expect.arrayContaining([1001, 1008, 1009, 1011, 4401]));
    const listed = document.channels.chat['x-close-codes'];
    expect(listed.map(({ code }: { code: number }) => code).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      expect(document.info.description).toContain(`\`${code}\``);
    }
  });

  it('should share the schemas of the OpenAPI document, and match its own examples', () => {
    const { schemas } = document.components;
    for (const name of ['MessageDto', 'RoomDto', 'RoomUserDto', 'ErrorEntryDto', 'ErrorCode']) {
      expect([name, schemas[name]]).toEqual([name, openApi.components.schemas[name]]);
    }
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: 'asyncapi.json' });
    let checked = 0;
    for (const [name, message] of Object.entries<any>(document.components.messages)) {
      for (const example of message.examples ?? []) {
        const validate = ajv.getSchema(`asyncapi.json#/components/messages/${name}/payload`)!;
        expect([name, validate(example.payload), validate.errors]).toEqual([name, true, null]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(protocol.actions.length);
  });

  it('should be linked from the OpenAPI document, and not be one of its operations', () => {
    expect(openApi.info.description).toContain('/api/v1/asyncapi/');
    expect(Object.keys(openApi.paths).filter((path) => path.includes('asyncapi'))).toEqual([]);
  });
});
