import type { MessageDto } from '../messages/dto/message.dto';
import type { RoomUserDto } from '../room-users/dto/room-user.dto';
import type { RoomDto } from '../rooms/dto/room.dto';
import {
  AVATAR_HUES,
  bodyParts,
  hueOf,
  initialOf,
  previewOf,
  toMemberViews,
  toMessageViews,
  toRoomViews,
} from './page-view';

const member = (id: string, name: string, extra: Partial<RoomUserDto> = {}): RoomUserDto => ({
  id,
  user_id: `user-${id}`,
  room_id: 'room',
  name,
  image: null,
  is_me: false,
  is_online: false,
  last_seen: null,
  status: '',
  is_active: true,
  ...extra,
});

const message = (id: string, roomUserId: string, created: string, extra: Partial<MessageDto> = {}): MessageDto => ({
  id,
  created,
  modified: created,
  room_id: 'room',
  room_user_id: roomUserId,
  user_id: `user-${roomUserId}`,
  body: `body ${id}`,
  parent_id: null,
  is_reaction: false,
  client_id: null,
  is_me: false,
  is_seen_by_me: false,
  images: [],
  reactions: [],
  reaction_counts: [],
  mentions: [],
  ...extra,
});

const reaction = (id: string, userId: string, body: string): MessageDto =>
  message(id, 'x', '2026-01-01T00:00:00.000Z', { user_id: userId, body, is_reaction: true, parent_id: 'parent' });

describe('page views', () => {
  it('should give every id a stable avatar colour and every name a letter', () => {
    expect(hueOf('abc')).toBe(hueOf('abc'));
    const hues = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((id) => hueOf(`user-${id}`)));
    expect(hues.size).toBeGreaterThan(3);
    expect([...hues].every((hue) => hue >= 0 && hue < AVATAR_HUES)).toBe(true);
    expect(hueOf(null)).toBe(0);
    expect(initialOf('alice')).toBe('A');
    expect(initialOf('<script>')).toBe('S');
    expect(initialOf('  ')).toBe('?');
    expect(initialOf('élodie')).toBe('É');
  });

  it('should group runs of one author, take reaction counts as given and find the viewer’s own', () => {
    const members = [member('a', 'Alice'), member('b', 'Bob', { is_active: false })];
    const views = toMessageViews(
      [
        message('1', 'a', '2026-01-01T10:00:00.000Z', {
          // The counts cover every reaction, also those older than the latest listed.
          reactions: [reaction('r1', 'me', '+'), reaction('r3', 'user-b', 'wow')],
          reaction_counts: [
            { body: 'wow', count: 3, is_mine: false },
            { body: '+', count: 2, is_mine: true },
          ],
        }),
        message('2', 'a', '2026-01-01T10:01:00.000Z', { modified: '2026-01-01T10:02:00.000Z' }),
        message('3', 'a', '2026-01-01T10:30:00.000Z'),
        message('4', 'b', '2026-01-01T10:31:00.000Z', { is_me: true, is_seen_by_me: true }),
        message('5', 'gone', '2026-01-01T10:32:00.000Z'),
      ],
      members,
      { userId: 'me', isRoomAdmin: false },
    );
    expect(views.map((view) => view.continued)).toEqual([false, true, false, false, false]);
    expect(views.map((view) => view.author)).toEqual(['Alice', 'Alice', 'Alice', 'Bob', 'Someone']);
    expect(views[0].like).toEqual({ body: '+', label: 'Like', count: 2, mine: true, mineId: 'r1' });
    expect(views[0].reactions).toEqual([{ body: 'wow', label: 'wow', count: 3, mine: false, mineId: '' }]);
    expect(views[1].like.count).toBe(0);
    expect(views.map((view) => view.edited)).toEqual([false, true, false, false, false]);
    expect(views[3]).toMatchObject({ mine: true, seen: true, canEdit: true, canDelete: true });
    expect(views[0]).toMatchObject({ mine: false, canEdit: false, canDelete: false, timeLabel: '10:00' });
  });

  it('should let room admins delete anyone’s message but edit only their own', () => {
    const [view] = toMessageViews([message('1', 'a', '2026-01-01T10:00:00.000Z')], [member('a', 'Alice')], {
      userId: 'me',
      isRoomAdmin: true,
    });
    expect(view).toMatchObject({ canEdit: false, canDelete: true });
  });

  it('should show the thumbnail over its placeholder in a box fitted to 320x280, and open the full image', () => {
    const image = (width: number, height: number, thumbnail: string | null) => ({
      id: 'i',
      message_id: '1',
      room_id: 'room',
      image: '/full.jpg',
      width,
      height,
      name: 'p.jpg',
      size: 1,
      thumbnail,
      placeholder: thumbnail ? 'data:image/webp;base64,UklGRg==' : null,
    });
    const [view] = toMessageViews(
      [
        message('1', 'a', '2026-01-01T10:00:00.000Z', {
          images: [image(2000, 1500, '/thumb.webp'), image(500, 4000, '/tall.webp'), image(30, 20, null)],
        }),
      ],
      [member('a', 'Alice')],
      { userId: 'me', isRoomAdmin: false },
    );
    expect(view.images).toEqual([
      {
        url: '/full.jpg',
        src: '/thumb.webp',
        placeholder: 'data:image/webp;base64,UklGRg==',
        width: 320,
        height: 240,
        name: 'p.jpg',
      },
      { url: '/full.jpg', src: '/tall.webp', placeholder: expect.any(String), width: 35, height: 280, name: 'p.jpg' },
      { url: '/full.jpg', src: '/full.jpg', placeholder: null, width: 30, height: 20, name: 'p.jpg' },
    ]);
  });

  it('should list active members, online first, then by name', () => {
    const views = toMemberViews([
      member('1', 'Zed', { is_online: true }),
      member('2', 'Amy'),
      member('3', 'Bea', { is_online: true, is_me: true }),
      member('4', 'Gone', { is_active: false }),
      member('5', 'system', { user_id: null }),
    ]);
    expect(views.map((view) => [view.name, view.isOnline, view.isMe])).toEqual([
      ['Bea', true, true],
      ['Zed', true, false],
      ['Amy', false, false],
    ]);
  });

  it('should preview the last message in one short line', () => {
    expect(previewOf(null)).toBe('No messages yet');
    expect(previewOf(message('1', 'a', '2026-01-01T10:00:00.000Z', { body: ' two\n lines ' }))).toBe('two lines');
    expect(previewOf(message('1', 'a', '2026-01-01T10:00:00.000Z', { body: 'x'.repeat(300) }))).toHaveLength(120);
    const photo = message('1', 'a', '2026-01-01T10:00:00.000Z', {
      body: '',
      images: [
        {
          id: 'i',
          message_id: '1',
          room_id: 'room',
          image: '/m',
          width: 1,
          height: 1,
          name: 'p.png',
          size: 1,
          thumbnail: null,
          placeholder: null,
        },
      ],
    });
    expect(previewOf(photo)).toBe('Photo');
  });

  it('should show a room with its unread count and last activity', () => {
    const room: RoomDto = {
      id: 'room',
      created: '2026-01-01T09:00:00.000Z',
      modified: '2026-01-01T09:00:00.000Z',
      creator_id: 'me',
      title: 'Plans',
      description: '',
      is_public: false,
      image: null,
      users: [],
      admins: [],
      message_total_count: 3,
      message_new_count: 2,
      mention_new_count: 0,
      last_message: message('9', 'a', '2026-01-01T11:00:00.000Z', { is_me: true }),
      is_muted: true,
    };
    expect(toRoomViews([room])[0]).toMatchObject({
      newCount: 2,
      lastId: '9',
      lastActivity: '2026-01-01T11:00:00.000Z',
      previewMine: true,
      isPublic: false,
      isMuted: true,
      initial: 'P',
    });
    expect(toRoomViews([{ ...room, last_message: null }])[0]).toMatchObject({
      lastId: '',
      lastCreated: '',
      lastActivity: '2026-01-01T09:00:00.000Z',
    });
  });
});

describe('bodyParts', () => {
  it('should cut http(s) links out of a body, leaving the sentence marks after them', () => {
    expect(bodyParts('see https://example.com/a?b=1, and http://x.test/(y).')).toEqual([
      { text: 'see ' },
      { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { text: ', and ' },
      { text: 'http://x.test/(y', href: 'http://x.test/(y' },
      { text: ').' },
    ]);
  });

  it('should make nothing but http(s) addresses links', () => {
    for (const body of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://files.test/a', 'https://', 'plain']) {
      expect(bodyParts(body).filter((part) => part.href)).toEqual([]);
    }
    expect(bodyParts('')).toEqual([]);
  });
});
