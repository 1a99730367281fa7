import type { ChangeEvent } from './chat-events';
import { RoomStreams } from './room-streams';

const change = (seq: number, roomId = 'room'): ChangeEvent => ({
  type: 'change',
  roomId,
  seq,
  messages: [],
  roomUsers: [],
  deletedMessageIds: [],
  roomChanged: false,
  deletedRoom: false,
  lostAccess: [],
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RoomStreams', () => {
  const setUp = (watched = () => true) => {
    const delivered: number[] = [];
    const fills: [number, number][] = [];
    const streams = new RoomStreams({
      watched,
      fill: (roomId, after, upTo) => {
        fills.push([after, upTo]);
        return Promise.resolve(Array.from({ length: upTo - after }, (_, i) => change(after + 1 + i, roomId)));
      },
      deliver: (event) => {
        delivered.push(event.seq);
      },
      onError: (error) => {
        throw error;
      },
    });
    return { streams, delivered, fills };
  };

  it('should deliver in seq order, each once, filling a gap from the log', async () => {
    const { streams, delivered, fills } = setUp();
    for (const seq of [3, 4, 4, 2, 7, 5, 8]) {
      streams.accept(change(seq));
    }
    await settle();
    expect(delivered).toEqual([3, 4, 5, 6, 7, 8]);
    expect(fills).toEqual([[4, 6]]);
  });

  it('should skip rooms nobody here receives, and start afresh when someone does', async () => {
    let watched = false;
    const { streams, delivered, fills } = setUp(() => watched);
    streams.accept(change(1));
    await settle();
    watched = true;
    streams.accept(change(5));
    await settle();
    expect(delivered).toEqual([5]);
    expect(fills).toEqual([]);
  });
});
