import { ApiResponse, errorCodes } from './api';

/** ISO-8601 in UTC with milliseconds, as every timestamp of the API. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Asserts a 4xx in the contract's error shape, naming `field` when given; returns the codes. */
export function expectError(response: ApiResponse, status: number, field?: string): string[] {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  const codes = errorCodes(response);
  if (field !== undefined) {
    expect(response.body.errors.map((error: { field?: string }) => error.field)).toContain(field);
  }
  return codes;
}

export const ROOM_KEYS = [
  'admins',
  'created',
  'creator_id',
  'description',
  'id',
  'image',
  'is_muted',
  'is_public',
  'last_message',
  'mention_new_count',
  'message_new_count',
  'message_total_count',
  'modified',
  'title',
  'users',
];

export const MESSAGE_KEYS = [
  'body',
  'client_id',
  'created',
  'id',
  'images',
  'is_me',
  'is_reaction',
  'is_seen_by_me',
  'mentions',
  'modified',
  'parent_id',
  'reaction_counts',
  'reactions',
  'room_id',
  'room_user_id',
  'user_id',
];

export const ROOM_USER_KEYS = [
  'id',
  'image',
  'is_active',
  'is_me',
  'is_online',
  'last_seen',
  'name',
  'room_id',
  'status',
  'user_id',
];

/** Exactly the keys and types of a Message, its reactions included. */
export function expectMessageShape(message: any): void {
  expect(Object.keys(message).sort()).toEqual(MESSAGE_KEYS);
  expect(message).toEqual({
    id: expect.any(String),
    created: expect.stringMatching(ISO_UTC),
    modified: expect.stringMatching(ISO_UTC),
    room_id: expect.any(String),
    room_user_id: expect.any(String),
    user_id: message.user_id === null ? null : expect.any(String),
    body: expect.any(String),
    parent_id: message.parent_id === null ? null : expect.any(String),
    is_reaction: expect.any(Boolean),
    client_id: message.client_id === null ? null : expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    is_me: message.user_id === null ? null : expect.any(Boolean),
    is_seen_by_me: expect.any(Boolean),
    images: expect.any(Array),
    reactions: expect.any(Array),
    reaction_counts: expect.any(Array),
    mentions: expect.any(Array),
  });
  for (const id of message.mentions) {
    expect(typeof id).toBe('string');
  }
  for (const count of message.reaction_counts) {
    expect(count).toEqual({ body: expect.any(String), count: expect.any(Number), is_mine: expect.any(Boolean) });
  }
  for (const reaction of message.reactions) {
    expectMessageShape(reaction);
    expect(reaction).toMatchObject({
      is_reaction: true,
      parent_id: message.id,
      reactions: [],
      reaction_counts: [],
      mentions: [],
    });
  }
}

/** Exactly the keys and types of a Room. */
export function expectRoomShape(room: any): void {
  expect(Object.keys(room).sort()).toEqual(ROOM_KEYS);
  expect(room).toEqual({
    id: expect.any(String),
    created: expect.stringMatching(ISO_UTC),
    modified: expect.stringMatching(ISO_UTC),
    creator_id: room.creator_id === null ? null : expect.any(String),
    title: expect.any(String),
    description: expect.any(String),
    is_public: expect.any(Boolean),
    image: room.image === null ? null : expect.any(String),
    users: expect.any(Array),
    admins: expect.any(Array),
    message_total_count: expect.any(Number),
    message_new_count: expect.any(Number),
    mention_new_count: expect.any(Number),
    last_message: room.last_message === null ? null : expect.any(Object),
    is_muted: expect.any(Boolean),
  });
  for (const id of [...room.users, ...room.admins]) {
    expect(typeof id).toBe('string');
  }
  expect(
    [room.message_total_count, room.message_new_count, room.mention_new_count].every((count) =>
      Number.isInteger(count),
    ),
  ).toBe(true);
  if (room.last_message !== null) {
    expectMessageShape(room.last_message);
  }
}

/** Exactly the keys and types of a RoomUser. */
export function expectRoomUserShape(roomUser: any): void {
  expect(Object.keys(roomUser).sort()).toEqual(ROOM_USER_KEYS);
  expect(roomUser).toEqual({
    id: expect.any(String),
    user_id: roomUser.user_id === null ? null : expect.any(String),
    room_id: expect.any(String),
    name: expect.any(String),
    image: roomUser.image === null ? null : expect.any(String),
    is_me: roomUser.user_id === null ? null : expect.any(Boolean),
    is_online: expect.any(Boolean),
    last_seen: roomUser.last_seen === null ? null : expect.stringMatching(ISO_UTC),
    status: expect.any(String),
    is_active: expect.any(Boolean),
  });
}

/** The path of a `next`/`previous` link, to follow it against the app under test. */
export function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}
