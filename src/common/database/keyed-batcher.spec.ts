import { KeyedBatcher } from './keyed-batcher';

/** A run that records its batches and finishes when told to. */
function recorder() {
  const runs: { key: string; items: number[]; finish: (error?: Error) => void }[] = [];
  const run = (key: string, items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      runs.push({
        key,
        items,
        finish: (error) => (error ? reject(error) : resolve(items.map((item) => `${key}:${item}`))),
      });
    });
  return { runs, run };
}

const tick = () => new Promise((done) => setImmediate(done));

describe('KeyedBatcher', () => {
  it('should run an item at once when nothing runs for its key', async () => {
    const { runs, run } = recorder();
    const batcher = new KeyedBatcher(run);
    const answer = batcher.submit('a', 1);
    expect(runs.map((r) => r.items)).toEqual([[1]]);
    runs[0].finish();
    await expect(answer).resolves.toBe('a:1');
    await tick();
    expect(batcher.busyKeys).toBe(0);
  });

  it('should store what comes while a run is in flight together in the next run, in order', async () => {
    const { runs, run } = recorder();
    const batcher = new KeyedBatcher(run);
    const answers = [1, 2, 3, 4].map((item) => batcher.submit('a', item));
    expect(runs.map((r) => r.items)).toEqual([[1]]);
    runs[0].finish();
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2, 3, 4]]);
    runs[1].finish();
    await expect(Promise.all(answers)).resolves.toEqual(['a:1', 'a:2', 'a:3', 'a:4']);
  });

  it('should run different keys side by side', () => {
    const { runs, run } = recorder();
    const batcher = new KeyedBatcher(run);
    void batcher.submit('a', 1);
    void batcher.submit('b', 2);
    void batcher.submit('a', 3);
    expect(runs.map((r) => [r.key, r.items])).toEqual([
      ['a', [1]],
      ['b', [2]],
    ]);
    expect(batcher.busyKeys).toBe(2);
  });

  it('should split a long queue into runs of at most maxBatch items', async () => {
    const { runs, run } = recorder();
    const batcher = new KeyedBatcher(run, 2);
    const answers = [1, 2, 3, 4, 5, 6].map((item) => batcher.submit('a', item));
    for (let index = 0; index < 4; index++) {
      runs[index].finish();
      await tick();
    }
    expect(runs.map((r) => r.items)).toEqual([[1], [2, 3], [4, 5], [6]]);
    await expect(Promise.all(answers)).resolves.toHaveLength(6);
  });

  it('should run a failed batch again item by item, so that only the failing item fails', async () => {
    const batches: number[][] = [];
    const batcher = new KeyedBatcher<string, number, number>(async (_key, items) => {
      batches.push(items);
      await tick();
      if (items.includes(3)) {
        throw new Error('three');
      }
      return items.map((item) => item * 10);
    });
    const answers = [1, 2, 3, 4].map((item) => batcher.submit('a', item).catch((error: Error) => error.message));
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 'three', 40]);
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('should reject a batch whose run answers the wrong number of results, and go on with the next', async () => {
    let calls = 0;
    const batcher = new KeyedBatcher<string, number, number>(async (_key, items) => {
      await tick();
      calls++;
      return calls === 1 ? [] : items;
    });
    await expect(batcher.submit('a', 1)).rejects.toThrow('a batch of 1 answered 0 results');
    await expect(batcher.submit('a', 2)).resolves.toBe(2);
  });
});
