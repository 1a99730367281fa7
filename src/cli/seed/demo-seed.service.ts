import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../auth/auth-user';
import { toAuthUser } from '../../auth/auth.service';
import { MessagesService } from '../../messages/messages.service';
import { RoomsService } from '../../rooms/rooms.service';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { renderDemoPng } from './demo-image';
import { ImagesService } from '../../images/images.service';

type DemoName = 'alice' | 'bob' | 'carol' | 'admin';

interface DemoUser {
  username: DemoName;
  password: string;
  firstName: string;
  isAdmin: boolean;
}

/** One step of a room's conversation; `as` names a message so that later steps can point at it. */
type Step =
  | { by: DemoName; say: string; as?: string; replyTo?: string }
  | { by: DemoName; react: string; to: string }
  | { by: DemoName; postsImage: true }
  | { by: DemoName; seesAll: true };

interface DemoRoom {
  title: string;
  description: string;
  owner: DemoName;
  isPublic: boolean;
  members: DemoName[];
  conversation: Step[];
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'alice', password: 'alice-password', firstName: 'Alice', isAdmin: false },
  { username: 'bob', password: 'bob-password', firstName: 'Bob', isAdmin: false },
  { username: 'carol', password: 'carol-password', firstName: 'Carol', isAdmin: false },
  { username: 'admin', password: 'admin-password', firstName: 'Admin', isAdmin: true },
];

export const DEMO_ROOMS: DemoRoom[] = [
  {
    title: 'General',
    description: 'Everyone can read this room.',
    owner: 'alice',
    isPublic: true,
    members: ['bob', 'carol'],
    conversation: [
      { by: 'alice', say: 'Welcome to df-chat! This is the public General room.', as: 'welcome' },
      { by: 'bob', say: 'Hi Alice, glad to be here.' },
      { by: 'carol', say: 'Hello everyone!', as: 'hello' },
      { by: 'bob', say: 'Where do we talk about Project X?', replyTo: 'welcome' },
      { by: 'alice', say: 'In its private room: only its members can see it.', replyTo: 'welcome' },
      { by: 'bob', react: '👍', to: 'welcome' },
      { by: 'carol', react: '❤️', to: 'welcome' },
      { by: 'alice', react: '+', to: 'hello' },
      { by: 'carol', postsImage: true },
      { by: 'carol', say: 'That is the new logo, by the way.' },
      { by: 'bob', seesAll: true },
    ],
  },
  {
    title: 'Random',
    description: 'Anything goes.',
    owner: 'bob',
    isPublic: true,
    members: [],
    conversation: [
      { by: 'bob', say: 'Anything goes in here.' },
      { by: 'alice', say: 'Tabs or spaces?', as: 'question' },
      { by: 'carol', say: 'Spaces. Obviously.', replyTo: 'question', as: 'answer' },
      { by: 'bob', react: '😂', to: 'answer' },
    ],
  },
  {
    title: 'Project X',
    description: 'Private: members only.',
    owner: 'alice',
    isPublic: false,
    members: ['bob'],
    conversation: [
      { by: 'alice', say: 'Kick-off is tomorrow at 10:00.', as: 'kickoff' },
      { by: 'bob', say: 'I will bring the slides.', as: 'slides' },
      { by: 'alice', say: 'Thanks, Bob!', replyTo: 'slides' },
      { by: 'bob', react: '👍', to: 'kickoff' },
    ],
  },
];

export interface DemoSeedReport {
  users: { username: string; password: string; isAdmin: boolean; created: boolean }[];
  rooms: { id: string; title: string; isPublic: boolean; created: boolean }[];
}

/**
 * Demo data made through the same services as the API, so that it obeys every rule a client's data
 * does. Idempotent: users are recognised by username and rooms by title and owner, and what exists
 * is left alone.
 */
@Injectable()
export class DemoSeeder {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly images: ImagesService,
  ) {}

  async seed(): Promise<DemoSeedReport> {
    const report: DemoSeedReport = { users: [], rooms: [] };
    const users = new Map<DemoName, User>();
    for (const demo of DEMO_USERS) {
      const existing = await this.users.findByUsername(demo.username);
      const user =
        existing ??
        (await this.users.create({
          username: demo.username,
          password: demo.password,
          firstName: demo.firstName,
          email: `${demo.username}@example.com`,
          isAdmin: demo.isAdmin,
        }));
      users.set(demo.username, user);
      report.users.push({
        username: user.username,
        password: demo.password,
        isAdmin: user.isAdmin,
        created: !existing,
      });
    }
    const authOf = (name: DemoName) => toAuthUser(users.get(name)!);
    for (const demo of DEMO_ROOMS) {
      const owner = authOf(demo.owner);
      const existingId = await this.rooms.findIdByTitle(demo.title, owner.id);
      if (existingId) {
        report.rooms.push({ id: existingId, title: demo.title, isPublic: demo.isPublic, created: false });
        continue;
      }
      const room = await this.rooms.create(owner, {
        title: demo.title,
        description: demo.description,
        is_public: demo.isPublic,
        users: demo.members.map((name) => users.get(name)!.id),
      });
      await this.converse(room.id, demo.conversation, authOf);
      report.rooms.push({ id: room.id, title: room.title, isPublic: room.is_public, created: true });
    }
    return report;
  }

  private async converse(roomId: string, steps: Step[], authOf: (name: DemoName) => AuthUser): Promise<void> {
    const named = new Map<string, string>();
    const posted: string[] = [];
    for (const step of steps) {
      const author = authOf(step.by);
      if ('say' in step) {
        const message = await this.messages.create(author, roomId, {
          body: step.say,
          parent_id: step.replyTo === undefined ? null : named.get(step.replyTo)!,
        });
        posted.push(message.id);
        if (step.as) {
          named.set(step.as, message.id);
        }
      } else if ('react' in step) {
        await this.messages.create(author, roomId, {
          body: step.react,
          parent_id: named.get(step.to)!,
          is_reaction: true,
        });
      } else if ('postsImage' in step) {
        const image = await this.images.upload(
          author,
          { room_id: roomId },
          { buffer: await renderDemoPng(), originalname: 'df-chat-demo.png' },
        );
        posted.push(image.message_id);
      } else {
        await this.messages.seen(author, roomId, { message_ids: posted });
      }
    }
  }
}
