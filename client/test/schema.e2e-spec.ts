import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

describe('generated REST types', () => {
  it('should match a fresh generation from the built app (npm run generate in client/ updates them)', () => {
    const script = resolve(__dirname, '..', 'scripts', 'schema.mjs');
    const result = spawnSync(process.execPath, [script, 'check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
