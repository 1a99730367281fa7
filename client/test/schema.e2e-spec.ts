import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLOSE_CODES, MAX_RESUME_ROOMS } from '../src/protocol';

describe('generated REST and websocket types', () => {
  it('should match a fresh generation from the built app (npm run generate in client/ updates them)', () => {
    const script = resolve(__dirname, '..', 'scripts', 'schema.mjs');
    const result = spawnSync(process.execPath, [script, 'check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it("should know the AsyncAPI document's close codes and resume limit", () => {
    const document = JSON.parse(readFileSync(resolve(__dirname, '..', 'asyncapi.json'), 'utf8')) as {
      channels: { chat: { 'x-close-codes': { code: number }[] } };
      components: { messages: { resumeAction: { payload: { properties: { rooms: { maxProperties: number } } } } } };
    };
    expect(Object.values(CLOSE_CODES).sort()).toEqual(
      document.channels.chat['x-close-codes'].map(({ code }) => code).sort(),
    );
    expect(MAX_RESUME_ROOMS).toBe(document.components.messages.resumeAction.payload.properties.rooms.maxProperties);
  });
});
