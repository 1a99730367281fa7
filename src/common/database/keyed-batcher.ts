/** Runs a batch of items for one key; answers one result per item, in the items' order. */
export type BatchRun<K, I, O> = (key: K, items: I[]) => Promise<O[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: one run at a time per key, and what is submitted for a key while its run is in flight
 * goes into that key's next run, all together (up to `maxBatch` items). An item submitted when nothing
 * runs for its key starts a run at once, so a quiet key waits for nothing; under load, one statement
 * stores many items instead of each taking its own statement, commit and lock.
 *
 * A run that fails with several items is run again item by item, so that each item gets its own answer
 * (one failing item does not fail the others).
 */
export class KeyedBatcher<K, I, O> {
  private readonly queues = new Map<K, Waiting<I, O>[]>();

  constructor(
    private readonly run: BatchRun<K, I, O>,
    private readonly maxBatch = 200,
  ) {}

  submit(key: K, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(key, []);
      void this.drain(key, [{ item, resolve, reject }]);
    });
  }

  /** Keys with a run in flight. */
  get busyKeys(): number {
    return this.queues.size;
  }

  private async drain(key: K, first: Waiting<I, O>[]): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      await this.settle(key, batch);
      const queue = this.queues.get(key)!;
      batch = queue.splice(0, this.maxBatch);
    }
    this.queues.delete(key);
  }

  private async settle(key: K, batch: Waiting<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await this.run(
        key,
        batch.map((waiting) => waiting.item),
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const waiting of batch) {
        await this.settle(key, [waiting]);
      }
      return;
    }
    if (results.length !== batch.length) {
      const error = new Error(`a batch of ${batch.length} answered ${results.length} results`);
      batch.forEach((waiting) => waiting.reject(error));
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index]));
  }
}
