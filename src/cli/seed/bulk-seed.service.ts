import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hashPassword } from '../../auth/password';
import { ProgressBar } from '../cli-output';
import { BulkMessage, BulkRoom, BulkWriter } from './bulk-writer';

export interface BulkSeedOptions {
  users: number;
  rooms: number;
  messages: number;
  /** Members per room (capped at the number of users). */
  membersPerRoom: number;
  password: string;
}

export interface BulkSeedReport {
  tag: string;
  passwordHash: string;
  users: number;
  rooms: number;
  messages: number;
  seconds: number;
}

const USER_BATCH = 5_000;
const MEMBERSHIPS_PER_BATCH = 20_000;
const MESSAGE_BATCH = 5_000;
/** Messages are spread over the last 30 days, oldest first, ending just before now. */
const HISTORY_MS = 30 * 24 * 3600 * 1000;
/** One message in ten answers a recent message of its room. */
const REPLY_RATIO = 0.1;
const RECENT_PER_ROOM = 20;

const WORDS = (
  'the a chat room message reply thread team lunch meeting today tomorrow review deploy build test ' +
  'coffee idea plan release bug fix ship great thanks sure maybe later now please look here there ' +
  'design draft notes update question answer weekend morning evening soon done'
).split(' ');

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];

function sentence(): string {
  const words = Array.from({ length: 3 + Math.floor(Math.random() * 12) }, () => pick(WORDS));
  const text = words.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function* batches(total: number, size: number): Generator<[number, number]> {
  for (let start = 0; start < total; start += size) {
    yield [start, Math.min(total, start + size)];
  }
}

/**
 * Large volumes for benchmarks, loaded in batches of multi-row statements (`BulkWriter`). Each batch is
 * atomic. Names carry a random tag, so that runs add to each other.
 */
@Injectable()
export class BulkSeeder {
  constructor(private readonly writer: BulkWriter) {}

  async seed(options: BulkSeedOptions): Promise<BulkSeedReport> {
    const started = Date.now();
    const tag = randomBytes(3).toString('hex');
    // Hashing is deliberately slow: once for everyone.
    const passwordHash = await hashPassword(options.password);
    const userIds = await this.seedUsers(tag, options.users, passwordHash);
    const historyStart = new Date(Date.now() - HISTORY_MS);
    const rooms = await this.seedRooms(tag, options.rooms, userIds, options.membersPerRoom, historyStart);
    await this.seedMessages(options.messages, rooms, historyStart);
    return {
      tag,
      passwordHash,
      users: userIds.length,
      rooms: rooms.length,
      messages: options.messages,
      seconds: (Date.now() - started) / 1000,
    };
  }

  private async seedUsers(tag: string, count: number, passwordHash: string): Promise<string[]> {
    const ids: string[] = [];
    const progress = new ProgressBar('users', count);
    for (const [start, end] of batches(count, USER_BATCH)) {
      const batch = Array.from({ length: end - start }, (_, offset) => ({
        username: `bulk_${tag}_${start + offset + 1}`,
        firstName: `User ${start + offset + 1}`,
      }));
      const inserted = await this.writer.insertUsers(batch, passwordHash);
      ids.push(...batch.map((user) => inserted.get(user.username)!));
      progress.tick(batch.length);
    }
    progress.finish();
    return ids;
  }

  /** Room r gets `membersPerRoom` consecutive users (wrapping around), the first of whom creates it. */
  private async seedRooms(
    tag: string,
    count: number,
    userIds: string[],
    membersPerRoom: number,
    created: Date,
  ): Promise<BulkRoom[]> {
    const size = Math.max(1, Math.min(membersPerRoom, userIds.length));
    const rooms: BulkRoom[] = [];
    const progress = new ProgressBar('rooms', count);
    for (const [start, end] of batches(count, Math.max(1, Math.floor(MEMBERSHIPS_PER_BATCH / size)))) {
      const batch = Array.from({ length: end - start }, (_, offset) => {
        const index = start + offset;
        const memberIds = Array.from({ length: size }, (__, k) => userIds[(index * size + k) % userIds.length]);
        return {
          creatorId: memberIds[0],
          title: `Bulk ${tag} room ${index + 1}`,
          // One room in four is private.
          isPublic: index % 4 !== 3,
          created,
          memberIds,
        };
      });
      rooms.push(...(await this.writer.insertRooms(batch)));
      progress.tick(batch.length);
    }
    progress.finish();
    return rooms;
  }

  private async seedMessages(count: number, rooms: BulkRoom[], historyStart: Date): Promise<void> {
    const recent = rooms.map((): string[] => []);
    const step = HISTORY_MS / (count + 1);
    const progress = new ProgressBar('messages', count);
    for (const [start, end] of batches(count, MESSAGE_BATCH)) {
      const rows: BulkMessage[] = [];
      for (let index = start; index < end; index++) {
        const roomIndex = Math.floor(Math.random() * rooms.length);
        const room = rooms[roomIndex];
        const author = pick(room.roomUsers);
        const earlier = recent[roomIndex];
        const id = randomUUID();
        rows.push({
          id,
          roomId: room.id,
          roomUserId: author.id,
          userId: author.userId,
          parentId: earlier.length > 0 && Math.random() < REPLY_RATIO ? pick(earlier) : null,
          body: sentence(),
          created: new Date(historyStart.getTime() + step * (index + 1)),
        });
        earlier.push(id);
        if (earlier.length > RECENT_PER_ROOM) {
          earlier.shift();
        }
      }
      await this.writer.insertMessages(rows);
      progress.tick(rows.length);
    }
    progress.finish();
  }
}
