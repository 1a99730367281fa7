import { TypingRooms } from './typing-rooms';

describe('TypingRooms', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should list who is typing, and drop each after the time to live without a repeat', () => {
    const changes: [string, string[], string][] = [];
    const typing = new TypingRooms((roomId, typists, concerning) => {
      changes.push([roomId, typists.map((typist) => typist.name), concerning]);
    }, 6000);
    typing.typed('room', 'a', 'Alice');
    jest.advanceTimersByTime(3000);
    typing.typed('room', 'b', 'Bob');
    jest.advanceTimersByTime(3000);
    expect(changes).toEqual([
      ['room', ['Alice'], 'a'],
      ['room', ['Alice', 'Bob'], 'b'],
      ['room', ['Bob'], 'a'],
    ]);
    typing.typed('room', 'b', 'Bob');
    jest.advanceTimersByTime(5999);
    expect(changes).toHaveLength(4);
    jest.advanceTimersByTime(1);
    expect(changes.at(-1)).toEqual(['room', [], 'b']);
    typing.stop();
  });
});
