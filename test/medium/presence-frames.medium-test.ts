import { expect } from 'expect';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { mapRoomUser, RoomUserView } from '../../src/room-users/dto/room-user.dto';
import { EventFrames } from '../../src/realtime/server-frames';

const roomId = randomUUID();
const view = (name: string, userId: string | null = randomUUID()): RoomUserView => ({
  id: randomUUID(),
  userId,
  roomId,
  name,
  isOnline: true,
  lastSeen: null,
  status: 'ünïcode ✓ "quoted"',
  isActive: true,
});

/** Pure, but the DTOs it maps with carry OpenAPI decorators, which load only in compiled code. */
describe('EventFrames of a presence event', () => {
  // Names of several byte lengths, so that an entry found by character rather than byte offset would show.
  const roomUsers = [view('Zoë'), view('système', null), view('ascii'), view('日本語の名前'), view('last 🙂')];
  const frames = new EventFrames({ type: 'presence', roomId, roomUsers });
  const expected = (userId: string) =>
    JSON.stringify({ room_id: roomId, messages: [], users: roomUsers.map((user) => mapRoomUser(user, userId)) });

  it('should give each listed recipient the list with their own entry as is_me', () => {
    for (const user of roomUsers.filter((user) => user.userId !== null)) {
      const frame = frames.frameFor(user.userId!).toString();
      expect(frame).toBe(expected(user.userId!));
      const parsed = JSON.parse(frame) as { users: { user_id: string | null; is_me: boolean | null }[] };
      expect(parsed.users.filter((entry) => entry.is_me).map((entry) => entry.user_id)).toEqual([user.userId]);
    }
  });

  it('should give everyone else one frame with no entry as is_me, encoded once', () => {
    const outsider = randomUUID();
    expect(frames.frameFor(outsider).toString()).toBe(expected(outsider));
    expect(frames.frameFor(randomUUID())).toBe(frames.frameFor(outsider));
  });
});
