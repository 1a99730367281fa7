import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { startIsolatedApp, TestApp } from '../../test/helpers/app';
import { createChatClient } from '../src';

/** The typed REST client against the real app: every call below is checked by the compiler. */
describe('createChatClient', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp();
  });

  afterAll(async () => {
    await app.stop();
  });

  const signUp = async () => {
    const anonymous = createChatClient({ baseUrl: app.url });
    const username = `client_${randomBytes(4).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const registered = await anonymous.POST('/api/v1/auth/users', {
      body: { username, password, first_name: 'Ada' },
    });
    expect(registered.response.status).toBe(201);
    const signedIn = await anonymous.POST('/api/v1/auth/token', { body: { username, password } });
    if (!signedIn.data) {
      throw new Error(`sign-in failed: ${JSON.stringify(signedIn.error)}`);
    }
    return { user: registered.data!, token: signedIn.data.token };
  };

  it('should sign up, create a room, post, list and upload an image', async () => {
    const { user, token } = await signUp();
    const chat = createChatClient({ baseUrl: app.url, token });

    const me = await chat.GET('/api/v1/auth/users/me');
    expect(me.data).toMatchObject({ id: user.id, first_name: 'Ada' });

    const created = await chat.POST('/api/v1/chat/rooms', { body: { title: 'Typed', is_public: false } });
    expect(created.response.status).toBe(201);
    const room = created.data!;
    expect(room).toMatchObject({ title: 'Typed', creator_id: user.id, users: [user.id] });

    const posted = await chat.POST('/api/v1/chat/rooms/{roomId}/messages', {
      params: { path: { roomId: room.id } },
      body: { body: 'Hello from the client', client_id: 'typed-1' },
    });
    expect(posted.response.status).toBe(201);
    expect(posted.data).toMatchObject({ body: 'Hello from the client', is_me: true, client_id: 'typed-1' });

    const image = new File([new Uint8Array(await samplePng())], 'dot.png', { type: 'image/png' });
    const uploaded = await chat.POST('/api/v1/chat/images', { body: { image, room_id: room.id } });
    expect(uploaded.error).toBeUndefined();
    expect(uploaded.response.status).toBe(201);
    expect(uploaded.data).toMatchObject({ room_id: room.id, width: 12, height: 8, name: 'dot.png' });

    const attached = await chat.POST('/api/v1/chat/images', {
      body: { image: new Blob([new Uint8Array(await samplePng())]), message_id: posted.data!.id },
    });
    expect(attached.data).toMatchObject({ message_id: posted.data!.id });

    const list = await chat.GET('/api/v1/chat/rooms/{roomId}/messages', {
      params: { path: { roomId: room.id }, query: { limit: 10 } },
    });
    expect(list.data!.count).toBe(2);
    const [imageMessage, textMessage] = list.data!.results;
    expect(imageMessage).toMatchObject({ id: uploaded.data!.message_id, body: '', images: [{ name: 'dot.png' }] });
    expect(textMessage).toMatchObject({ id: posted.data!.id, images: [{ id: attached.data!.id }] });

    const rooms = await chat.GET('/api/v1/chat/rooms');
    expect(rooms.data!.results.map((listed) => listed.id)).toEqual([room.id]);
  });

  it('should answer errors in the contract shape, typed, and take the token from a function', async () => {
    const { token } = await signUp();
    const session: { token?: string } = {};
    const chat = createChatClient({ baseUrl: app.url, token: () => session.token });

    const anonymous = await chat.GET('/api/v1/chat/rooms');
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error?.errors[0].code).toBe('not_authenticated');

    session.token = token;
    const invalid = await chat.POST('/api/v1/chat/rooms', { body: { title: '' } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.errors[0]).toMatchObject({ code: 'invalid', field: 'title' });

    const notImage = await chat.POST('/api/v1/chat/images', {
      body: {
        image: new Blob(['not a picture']),
        room_id: (await chat.POST('/api/v1/chat/rooms', { body: { title: 'x' } })).data!.id,
      },
    });
    expect(notImage.response.status).toBe(400);
    expect(notImage.error?.errors[0].field).toBe('image');
  });
});

const samplePng = () =>
  sharp({ create: { width: 12, height: 8, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();
