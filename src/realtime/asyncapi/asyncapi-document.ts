import type { Type } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { WS_PATH } from '../chat.gateway';
import {
  ACTION_PAYLOADS,
  ACTIONS,
  ActionName,
  AckFrame,
  ChangeFrameDto,
  CLOSE_CODES,
  DeletedMessageDto,
  ErrorFrame,
  MAX_CLIENT_FRAME_BYTES,
  PresenceFrame,
  REF_PATTERN,
  SeenFrame,
  TypingFrame,
} from '../protocol';
import type { WebSocketServer } from './websocket-server';

/**
 * The AsyncAPI 3 document of the chat websocket (contract, "Realtime v2"), made from the protocol's
 * types: the objects a frame carries (messages, rooms, room users, errors), the change frame and the
 * actions' payloads are the OpenAPI document's schemas, so the two documents cannot disagree; the
 * records below are keyed by the protocol's names, so an action or close code added there and not
 * described here does not compile.
 */

type JsonSchema = Record<string, unknown>;
/** The OpenAPI document's component schemas, by name. */
type OpenApiSchemas = Record<string, SchemaObject>;

/** What the AsyncAPI document needs from the OpenAPI document: these classes' schemas and all they refer to. */
export const ASYNCAPI_MODELS: Type[] = [ChangeFrameDto, DeletedMessageDto, ...Object.values(ACTION_PAYLOADS)];

const SCHEMAS = '#/components/schemas/';
const ref = (name: string): JsonSchema => ({ $ref: `${SCHEMAS}${name}` });
const id = (description?: string): JsonSchema => ({ type: 'string', format: 'uuid', description });
const ids = (description?: string): JsonSchema => ({
  type: 'array',
  items: { type: 'string', format: 'uuid' },
  description,
});

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/**
 * An object schema that describes every field of `T` (a field added to the frame's type must be
 * described here). Open to other keys, as the REST responses are: clients ignore keys they do not know.
 */
function objectSchema<T>(properties: { [K in keyof T]-?: JsonSchema }, required: RequiredKeys<T>[]): JsonSchema {
  return { type: 'object', required, properties };
}

const CLOSE_CODE_REASONS: Record<keyof typeof CLOSE_CODES, string> = {
  goingAway: 'The server is going away (shutting down): reconnect, then resume.',
  policy:
    'Policy: too many connections of one user (WS_MAX_CONNECTIONS_PER_USER), client frames faster than ' +
    'allowed, or a client that does not read its frames.',
  tooBig: `A client frame larger than ${MAX_CLIENT_FRAME_BYTES} bytes.`,
  serverError: 'The server could not set the connection up: reconnect.',
  tokenEnded:
    "The token expired, or was revoked (the user's password changed, or they signed out of the pages): " +
    'sign in again and reconnect.',
};

/** The answers to an action: an ack of one of these shapes, or an error frame. */
type AckName = 'ack' | 'sendAck' | 'seenAck' | 'resumeAck';

const ACTION_DOCS: Record<ActionName, { summary: string; description: string; ack: AckName; example: object }> = {
  send: {
    summary: 'Send a message, a reply or a reaction',
    description:
      'As `POST /api/v1/chat/rooms/{room_id}/messages/`, with its rules and limits; a repeated `client_id` ' +
      'answers the message first stored with it and stores nothing.',
    ack: 'sendAck',
    example: { room_id: '8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11', body: 'Hello!', client_id: 'c-7f3a' },
  },
  seen: {
    summary: 'Mark messages seen',
    description:
      "As `POST /api/v1/chat/rooms/{room_id}/messages/seen/`; the user's other connections get a seen frame.",
    ack: 'seenAck',
    example: {
      room_id: '8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11',
      message_ids: ['0b7e6a52-6d53-4f1e-8a0c-3f1f4c1d2e3a'],
    },
  },
  typing: {
    summary: 'Say the user is typing in a room',
    description:
      "The room's other connected members get a typing frame (at most one per user and room every 2 s); " +
      'it expires after 6 s without a repeat.',
    ack: 'ack',
    example: { room_id: '8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11' },
  },
  resume: {
    summary: 'Catch up after a reconnect (send it first)',
    description:
      'For each named room the user can still see, every change frame after the given seq is sent first, in ' +
      'order, exactly once; then the ack, whose `resync` lists the rooms whose gap is older than what the ' +
      'server keeps (reload those over REST). Live frames arriving meanwhile follow the replay, without ' +
      'duplicates. Rooms not named are not replayed.',
    ack: 'resumeAck',
    example: { rooms: { '8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11': 41 } },
  },
  ping: {
    summary: 'Check the connection',
    description: 'Answered with an ack.',
    ack: 'ack',
    example: {},
  },
};

/** The properties of an action's payload besides `action` and `ref`; every field the gateway validates must have one. */
function actionProperties(action: ActionName, schemas: OpenApiSchemas): JsonSchema {
  const model = ACTION_PAYLOADS[action];
  // The REST request's schema has the configured limits (MAX_MESSAGE_LENGTH, MAX_SEEN_IDS), the action's the caps.
  const parent = schemas[(Object.getPrototypeOf(model) as Type).name];
  const properties = { ...schemas[model.name]?.properties, ...parent?.properties };
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(model, '', true, false)
    .map((metadata) => metadata.propertyName);
  const undocumented = validated.filter((name) => !(name in properties));
  if (undocumented.length > 0) {
    throw new Error(`the ${action} action's ${undocumented.join(', ')} has no schema (@ApiProperty)`);
  }
  return properties;
}

function actionMessage(action: ActionName, schemas: OpenApiSchemas): JsonSchema {
  const { summary, description, example } = ACTION_DOCS[action];
  const required = schemas[ACTION_PAYLOADS[action].name]?.required ?? [];
  return {
    name: action,
    title: `${action} (client action)`,
    summary,
    description,
    correlationId: { $ref: '#/components/correlationIds/ref' },
    payload: {
      type: 'object',
      required: ['action', 'ref', ...required],
      properties: {
        action: { type: 'string', const: action },
        ref: {
          type: 'string',
          pattern: REF_PATTERN.source,
          description: "The client's id for this action, echoed in its ack or error frame",
        },
        ...actionProperties(action, schemas),
      },
      additionalProperties: false,
    },
    examples: [{ payload: { action, ref: `${action}-1`, ...example } }],
  };
}

const ackProperty = { type: 'string', description: 'The `ref` of the action answered' };

function serverMessages(): Record<string, JsonSchema> {
  const typingUser: { [K in keyof TypingFrame['typing'][number]]-?: JsonSchema } = {
    user_id: id(),
    name: { type: 'string', description: 'Their display name' },
  };
  const seen: { [K in keyof SeenFrame['seen']]-?: JsonSchema } = {
    message_ids: ids('The messages marked seen'),
    message_new_count: { type: 'integer', minimum: 0, description: 'Messages of the room the user has still not seen' },
    mention_new_count: {
      type: 'integer',
      minimum: 0,
      description: 'Of those, the messages that mention the user',
    },
  };
  return {
    changeFrame: {
      title: 'Change frame',
      summary: 'A stored change of one room, numbered by its seq',
      description:
        'A message created, edited, deleted or given an image; a reaction added or removed; a member added, ' +
        'removed or changed; the room changed or deleted. Frames of one room arrive in seq order, each at most ' +
        'once, and are replayed by `resume`. `messages` and `users` are always there (maybe empty).',
      payload: ref(ChangeFrameDto.name),
    },
    presenceFrame: {
      title: 'Presence frame',
      summary: 'Members of a room going online or offline',
      description: 'Coalesced per room (at most one a second); no seq, never replayed.',
      payload: objectSchema<PresenceFrame>(
        {
          room_id: id(),
          messages: { type: 'array', maxItems: 0, items: ref('MessageDto') },
          users: {
            type: 'array',
            items: ref('RoomUserDto'),
            description: 'The members whose is_online or status changed',
          },
        },
        ['room_id', 'messages', 'users'],
      ),
    },
    typingFrame: {
      title: 'Typing frame',
      summary: 'Who is typing in a room',
      description: 'Ephemeral: a user in it stops typing 6 s after their last `typing` action.',
      payload: objectSchema<TypingFrame>(
        {
          room_id: id(),
          typing: {
            type: 'array',
            items: objectSchema<TypingFrame['typing'][number]>(typingUser, ['user_id', 'name']),
          },
        },
        ['room_id', 'typing'],
      ),
      examples: [
        {
          payload: {
            room_id: '8d7c1c9e-0d51-4d6c-9a55-6f0c2b1c8e11',
            typing: [{ user_id: '0b7e6a52-6d53-4f1e-8a0c-3f1f4c1d2e3a', name: 'Alice' }],
          } satisfies TypingFrame,
        },
      ],
    },
    seenFrame: {
      title: 'Seen frame',
      summary: "The user marked messages seen (sent to the user's other connections)",
      payload: objectSchema<SeenFrame>(
        {
          room_id: id(),
          seen: objectSchema<SeenFrame['seen']>(seen, ['message_ids', 'message_new_count', 'mention_new_count']),
        },
        ['room_id', 'seen'],
      ),
    },
    ack: {
      title: 'Ack',
      summary: 'The answer to a typing or ping action',
      correlationId: { $ref: '#/components/correlationIds/ack' },
      payload: objectSchema<Pick<AckFrame, 'ack'>>({ ack: ackProperty }, ['ack']),
      examples: [{ payload: { ack: 'ping-1' } satisfies AckFrame }],
    },
    sendAck: {
      title: 'Ack of send',
      summary: 'The message stored (or first stored with the same client_id)',
      correlationId: { $ref: '#/components/correlationIds/ack' },
      payload: objectSchema<Required<Pick<AckFrame, 'ack' | 'message'>>>(
        { ack: ackProperty, message: ref('MessageDto') },
        ['ack', 'message'],
      ),
    },
    seenAck: {
      title: 'Ack of seen',
      summary: 'The ids marked: only those of messages in the room count',
      correlationId: { $ref: '#/components/correlationIds/ack' },
      payload: objectSchema<Required<Pick<AckFrame, 'ack' | 'message_ids'>>>(
        { ack: ackProperty, message_ids: ids('The ids marked seen') },
        ['ack', 'message_ids'],
      ),
    },
    resumeAck: {
      title: 'Ack of resume',
      summary: 'The replay is complete',
      correlationId: { $ref: '#/components/correlationIds/ack' },
      payload: objectSchema<Required<Pick<AckFrame, 'ack' | 'resync'>>>(
        { ack: ackProperty, resync: ids('Rooms whose gap is older than what the server keeps: reload them over REST') },
        ['ack', 'resync'],
      ),
      examples: [{ payload: { ack: 'resume-1', resync: [] } satisfies AckFrame }],
    },
    errorFrame: {
      title: 'Error frame',
      summary: 'An action refused, with the REST error codes; the connection stays open',
      description:
        'Also the answer to a frame that is not JSON, names no known action or misses a field (code `invalid`, ' +
        '`ref` null when it could not be read); over the frame rate, code `throttled`.',
      correlationId: { $ref: '#/components/correlationIds/error' },
      payload: objectSchema<ErrorFrame>(
        {
          error: {
            allOf: [
              ref('ErrorEntryDto'),
              {
                type: 'object',
                required: ['ref'],
                properties: { ref: { type: ['string', 'null'], description: 'The `ref` of the action refused' } },
              },
            ],
          },
        },
        ['error'],
      ),
      examples: [
        {
          payload: {
            error: { ref: 'send-1', code: 'not_found', message: 'Room not found' },
          } satisfies ErrorFrame,
        },
      ],
    },
  };
}

/** The schemas that `roots` refer to, directly or through one another. */
function referencedSchemas(roots: unknown, schemas: OpenApiSchemas): OpenApiSchemas {
  const found: OpenApiSchemas = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMAS)) {
          const name = value.slice(SCHEMAS.length);
          if (!found[name]) {
            if (!schemas[name]) {
              throw new Error(`the OpenAPI document has no schema ${name}`);
            }
            found[name] = schemas[name];
            visit(schemas[name]);
          }
        } else {
          visit(value);
        }
      }
    }
  };
  visit(roots);
  return found;
}

const channelMessage = (name: string) => ({ $ref: `#/channels/chat/messages/${name}` });

/**
 * `schemas`: the OpenAPI document's component schemas, ASYNCAPI_MODELS included (with the configured
 * limits); `server`: where this deployment's socket is.
 */
export function buildAsyncApiDocument(schemas: OpenApiSchemas, server: WebSocketServer): JsonSchema {
  const messages: Record<string, JsonSchema> = {
    ...serverMessages(),
    ...Object.fromEntries(ACTIONS.map((action) => [`${action}Action`, actionMessage(action, schemas)])),
  };
  const closeCodes = (Object.keys(CLOSE_CODES) as (keyof typeof CLOSE_CODES)[]).map((name) => ({
    code: CLOSE_CODES[name],
    reason: CLOSE_CODE_REASONS[name],
  }));
  const pushed = (message: string, summary: string) => ({
    action: 'send',
    channel: { $ref: '#/channels/chat' },
    summary,
    messages: [channelMessage(message)],
  });
  const actionOperations = ACTIONS.map((action) => [
    action,
    {
      action: 'receive',
      channel: { $ref: '#/channels/chat' },
      title: `The ${action} action`,
      summary: ACTION_DOCS[action].summary,
      messages: [channelMessage(`${action}Action`)],
      reply: {
        channel: { $ref: '#/channels/chat' },
        messages: [channelMessage(ACTION_DOCS[action].ack), channelMessage('errorFrame')],
      },
    },
  ]);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'df-chat websocket',
      version: '2',
      description:
        'Realtime push of every change to the rooms the user is a member of, and actions a client may send. ' +
        'Every frame is a JSON object; a client ignores keys it does not know. The REST API is described by ' +
        'the OpenAPI document at `/api/v1/schema/`, whose schemas this document shares.\n\n' +
        `Close codes: ${closeCodes.map(({ code, reason }) => `\`${code}\` ${reason}`).join(' ')}`,
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    },
    defaultContentType: 'application/json',
    servers: {
      chat: {
        host: server.host,
        protocol: server.protocol,
        ...(server.pathname ? { pathname: server.pathname } : {}),
        description: 'This deployment',
        security: [
          { $ref: '#/components/securitySchemes/queryToken' },
          { $ref: '#/components/securitySchemes/bearer' },
        ],
      },
    },
    channels: {
      chat: {
        address: `${WS_PATH}/`,
        title: 'The chat socket',
        description:
          'One connection per client (also without the trailing slash). The upgrade carries a JWT, in the ' +
          '`token` query parameter or an `Authorization: Bearer` header (a header that is there is used, and ' +
          'refused when malformed); without a valid one the upgrade is answered `401` and no socket opens. ' +
          `Client frames are at most ${MAX_CLIENT_FRAME_BYTES} bytes. The server pings; a connection that ` +
          'misses a pong is dropped.',
        messages: Object.fromEntries(
          Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }]),
        ),
        bindings: {
          ws: {
            method: 'GET',
            query: {
              type: 'object',
              properties: { token: { type: 'string', description: 'The JWT, unless sent in Authorization' } },
            },
            headers: {
              type: 'object',
              properties: {
                Authorization: {
                  type: 'string',
                  pattern: '^Bearer +\\S+ *$',
                  description: 'The JWT, for clients that can set headers',
                },
              },
            },
            bindingVersion: '0.1.0',
          },
        },
        'x-close-codes': closeCodes,
      },
    },
    operations: {
      pushChange: pushed('changeFrame', 'A stored change of one of the rooms the user is a member of'),
      pushPresence: pushed('presenceFrame', 'Members of a room going online or offline'),
      pushTyping: pushed('typingFrame', 'Who is typing in a room'),
      pushSeen: pushed('seenFrame', 'Messages the user marked seen on another connection'),
      ...Object.fromEntries(actionOperations),
    },
    components: {
      schemas: referencedSchemas(messages, schemas),
      messages,
      securitySchemes: {
        queryToken: {
          type: 'httpApiKey',
          in: 'query',
          name: 'token',
          description: 'The JWT of `POST /api/v1/auth/token/`',
        },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
      correlationIds: {
        ref: { description: "The client's id for an action", location: '$message.payload#/ref' },
        ack: { description: 'The ref of the action acknowledged', location: '$message.payload#/ack' },
        error: { description: 'The ref of the action refused', location: '$message.payload#/error/ref' },
      },
    },
  };
}
