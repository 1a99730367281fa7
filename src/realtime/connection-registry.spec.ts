import { ConnectionRegistry } from './connection-registry';

/** Reads a user's rooms as the gateway does: recording changes from the start of the read. */
function readRooms(registry: ConnectionRegistry<string>, userId: string, roomIds: string[]): void {
  registry.setRooms(userId, roomIds, registry.startReading([userId]).get(userId)!);
}

describe('ConnectionRegistry', () => {
  it('should route a room only to the users subscribed to it', () => {
    const registry = new ConnectionRegistry<string>();
    expect(registry.add('alice', 'a1')).toBe(true);
    expect(registry.add('alice', 'a2')).toBe(false);
    registry.add('bob', 'b1');
    readRooms(registry, 'alice', ['r1', 'r2']);
    readRooms(registry, 'bob', ['r2']);
    expect(new Map(registry.recipients('r1')).get('alice')).toEqual(new Set(['a1', 'a2']));
    expect([...registry.recipients('r2')].map(([user]) => user).sort()).toEqual(['alice', 'bob']);
    expect(registry.hasRoom('r3')).toBe(false);
  });

  it('should forget a user and their rooms after their last connection closes', () => {
    const registry = new ConnectionRegistry<string>();
    registry.add('alice', 'a1');
    registry.add('alice', 'a2');
    readRooms(registry, 'alice', ['r1']);
    expect(registry.remove('a1')).toEqual({ userId: 'alice', last: false });
    expect(registry.hasRoom('r1')).toBe(true);
    expect(registry.remove('a2')).toEqual({ userId: 'alice', last: true });
    expect(registry.hasRoom('r1')).toBe(false);
    expect(registry.remove('a2')).toBeNull();
  });

  it('should not resubscribe a room the user left while their rooms were being read', () => {
    const registry = new ConnectionRegistry<string>();
    registry.add('alice', 'a1');
    const read = registry.startReading(['alice']).get('alice')!;
    registry.leave('alice', 'r1');
    registry.join('alice', 'r3');
    registry.setRooms('alice', ['r1', 'r2'], read);
    expect(registry.roomsOf('alice').sort()).toEqual(['r2', 'r3']);
  });

  it('should apply joins and leaves live, and drop deleted rooms', () => {
    const registry = new ConnectionRegistry<string>();
    registry.add('alice', 'a1');
    readRooms(registry, 'alice', []);
    registry.join('alice', 'r1');
    expect(registry.hasRoom('r1')).toBe(true);
    registry.leave('alice', 'r1');
    expect(registry.hasRoom('r1')).toBe(false);
    registry.join('alice', 'r2');
    registry.dropRoom('r2');
    expect(registry.roomsOf('alice')).toEqual([]);
    registry.join('nobody', 'r1');
    expect(registry.hasRoom('r1')).toBe(false);
  });

  it('should make a recheck drop rooms left unseen and add rooms joined unseen, keeping changes made while reading', () => {
    const registry = new ConnectionRegistry<string>();
    registry.add('alice', 'a1');
    readRooms(registry, 'alice', ['r1', 'r2', 'r3']);
    const reads = registry.startReading(['alice', 'nobody']);
    expect([...reads.keys()]).toEqual(['alice']);
    // While the database is read: r4 joined and r2 left, as events.
    registry.join('alice', 'r4');
    registry.leave('alice', 'r2');
    // What was read: r1 and r2 (r3 was left without an event reaching here; r5 joined likewise).
    registry.setRooms('alice', ['r1', 'r2', 'r5'], reads.get('alice')!);
    expect(registry.roomsOf('alice').sort()).toEqual(['r1', 'r4', 'r5']);
    expect(registry.hasRoom('r3')).toBe(false);
    expect(registry.hasRoom('r2')).toBe(false);
  });

  it('should not apply a recheck read before the user reconnected', () => {
    const registry = new ConnectionRegistry<string>();
    registry.add('alice', 'a1');
    readRooms(registry, 'alice', ['r1']);
    const stale = registry.startReading(['alice']).get('alice');
    registry.remove('a1');
    registry.add('alice', 'a2');
    const fresh = registry.startReading(['alice']).get('alice');
    registry.setRooms('alice', ['r1', 'r9'], stale!);
    expect(registry.roomsOf('alice')).toEqual([]);
    registry.setRooms('alice', ['r2'], fresh!);
    expect(registry.roomsOf('alice')).toEqual(['r2']);
  });
});
