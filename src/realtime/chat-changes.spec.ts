import { canReplay, ChatChange, logEntriesOf, MessageRecord } from './chat-changes';

const message = (id: string, fields: Partial<MessageRecord> = {}): MessageRecord => ({
  id,
  created: new Date(0),
  modified: new Date(0),
  roomId: 'room',
  roomUserId: 'ru',
  userId: 'u',
  body: 'hi',
  parentId: null,
  isReaction: false,
  clientId: null,
  mentions: [],
  ...fields,
});

describe('logEntriesOf', () => {
  it('should make one entry per object changed, in order, the latest kind winning for a deletion', () => {
    const changes: ChatChange[] = [
      { type: 'room_user_changed', roomUserId: 'ru', roomId: 'room' },
      { type: 'message_created', message: message('m1') },
      { type: 'message_updated', message: message('m1') },
      { type: 'message_updated', message: message('m2') },
      { type: 'message_deleted', message: message('m2') },
    ];
    expect(logEntriesOf(changes)).toEqual([
      { roomId: 'room', kind: 'room_user', entityId: 'ru' },
      { roomId: 'room', kind: 'message_created', entityId: 'm1' },
      { roomId: 'room', kind: 'message_deleted', entityId: 'm2' },
    ]);
  });

  it('should log a reaction as a change of its parent, and not when the parent goes too', () => {
    const reaction = (id: string, parentId: string) => message(id, { isReaction: true, parentId, body: '+' });
    expect(
      logEntriesOf([
        { type: 'message_created', message: reaction('r1', 'p1') },
        { type: 'message_created', message: reaction('r2', 'p1') },
        { type: 'message_deleted', message: reaction('r3', 'p2') },
        { type: 'message_deleted', message: message('p2') },
      ]),
    ).toEqual([
      { roomId: 'room', kind: 'reaction_changed', entityId: 'p1' },
      { roomId: 'room', kind: 'message_deleted', entityId: 'p2' },
    ]);
  });

  it('should announce a message created empty by its image, and log nothing members are not told of', () => {
    expect(
      logEntriesOf([
        { type: 'message_created', message: message('m', { body: '' }) },
        { type: 'image_changed', messageId: 'm' },
        { type: 'message_seen', messageId: 'm', userId: 'u', origin: null },
        { type: 'mute_changed', roomId: 'room', userId: 'u' },
        { type: 'online_changed', userId: 'u' },
        { type: 'room_created', roomId: 'room' },
      ]),
    ).toEqual([{ roomId: null, kind: 'message_updated', entityId: 'm' }]);
  });

  it('should log a room edit and an admin change once, and only the deletion of a room deleted', () => {
    expect(
      logEntriesOf([
        { type: 'room_updated', roomId: 'room' },
        { type: 'admins_changed', roomId: 'room', userId: 'u' },
      ]),
    ).toEqual([{ roomId: 'room', kind: 'room_updated', entityId: 'room' }]);
    expect(
      logEntriesOf([
        { type: 'message_deleted', message: message('m') },
        { type: 'room_user_changed', roomUserId: 'ru', roomId: 'room' },
        { type: 'room_deleted', roomId: 'room' },
      ]),
    ).toEqual([{ roomId: 'room', kind: 'room_deleted', entityId: 'room' }]);
  });
});

describe('canReplay', () => {
  it('should replay when every change after since is kept', () => {
    expect(canReplay({ latest: 10, oldestKept: 1 }, 0)).toBe(true);
    expect(canReplay({ latest: 10, oldestKept: 5 }, 4)).toBe(true);
    expect(canReplay({ latest: 10, oldestKept: null }, 10)).toBe(true);
    expect(canReplay({ latest: 0, oldestKept: null }, 0)).toBe(true);
  });

  it('should not when some were pruned, or since is past the latest', () => {
    expect(canReplay({ latest: 10, oldestKept: 5 }, 3)).toBe(false);
    expect(canReplay({ latest: 10, oldestKept: null }, 9)).toBe(false);
    expect(canReplay({ latest: 10, oldestKept: 1 }, 11)).toBe(false);
  });
});
