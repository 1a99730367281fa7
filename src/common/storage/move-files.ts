import type { Readable } from 'node:stream';
import { FileStorage } from './file-storage';

export interface MoveReport {
  /** Files the source has. */
  found: number;
  /** Copied to the target by this run. */
  copied: number;
  /** In the target already (an earlier run, or both drivers on one store), so left alone. */
  present: number;
  /** Removed from the source once in the target (with `deleteSource`). */
  deleted: number;
  /** Could not be copied; a later run tries them again. */
  failed: { key: string; error: string }[];
}

/** Files in flight at once: enough to hide an object store's latency, few enough for a small machine. */
const PARALLEL = 4;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Copies every file of one driver that the other lacks, and with `deleteSource` removes it from the
 * first once it is safely in the second. Running it again does nothing more than what is left to do.
 */
export async function moveFiles(
  source: FileStorage,
  target: FileStorage,
  options: { deleteSource: boolean; onFile?: (report: MoveReport) => void },
): Promise<MoveReport> {
  const report: MoveReport = { found: 0, copied: 0, present: 0, deleted: 0, failed: [] };
  const keys = source.keys()[Symbol.asyncIterator]();
  const moveOne = async (key: string): Promise<void> => {
    if (await target.has(key)) {
      report.present++;
    } else {
      const stream = await source.open(key);
      if (!stream) {
        // Deleted since it was listed: nothing left to move.
        return;
      }
      await target.put(key, await readAll(stream));
      report.copied++;
    }
    if (options.deleteSource) {
      await source.delete(key);
      report.deleted++;
    }
  };
  const worker = async (): Promise<void> => {
    for (let next = await keys.next(); !next.done; next = await keys.next()) {
      const key = next.value;
      report.found++;
      try {
        await moveOne(key);
      } catch (error) {
        report.failed.push({ key, error: error instanceof Error ? error.message : String(error) });
      }
      options.onFile?.(report);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return report;
}
