import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const RUN = resolve(__dirname, '..', 'dist', 'bench', 'run.js');
const RESULTS = resolve(__dirname, '..', 'bench', 'results', 'smoke');

/** Runs `npm run bench -- --smoke` (on the built bench) so that every workload keeps working. */
describe('bench smoke', () => {
  let stdout = '';
  let exitCode: number | null = null;

  beforeAll(async () => {
    await new Promise<void>((done) => {
      const child = execFile(
        process.execPath,
        [RUN, '--smoke'],
        { env: process.env, maxBuffer: 16 * 1024 * 1024 },
        (_, out) => {
          stdout = out;
          done();
        },
      );
      child.once('exit', (code) => {
        exitCode = code;
      });
    });
    // Seconds of load, but it starts several app instances (W7 alone starts six on fresh data).
  }, 300_000);

  it('should run every workload and print one table', () => {
    expect(exitCode).toBe(0);
    expect(stdout).toContain('| workload');
    for (const workload of ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9', 'W10', 'W11', 'W12']) {
      expect(stdout).toMatch(new RegExp(`\\| ${workload} `));
    }
  });

  it('should deliver every fan-out frame even when tiny', () => {
    expect(stdout).toMatch(/W3 [^\n]*\| 100% delivered/);
  });

  it('should resume every dropped client with every message exactly once', () => {
    expect(stdout).toMatch(/W8 [^\n]*\| (\d+)\/\1 clients with all/);
  });

  it('should bring every member of the soak every message once, as stored, without a 5xx', () => {
    expect(stdout).toMatch(
      /W11 [^\n]*\| [\d,]+ requests, 0 5xx, 0 other failed; [\d,]+ messages acked, ([\d,]+)\/\1 delivered, 0 lost, 0 duplicated, 0 stale;/,
    );
  });

  it('should write the results and the latency chart', () => {
    const results = JSON.parse(readFileSync(resolve(RESULTS, 'results.json'), 'utf8')) as { rows: unknown[] };
    expect(results.rows).toHaveLength(12);
    expect(readFileSync(resolve(RESULTS, 'latency.svg'), 'utf8')).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
  });
});
