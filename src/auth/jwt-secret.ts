import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../common/config/config';

/**
 * The configured secret, else one generated on first start and kept in DATA_DIR, so that tokens
 * survive restarts in development. Production refuses to start without JWT_SECRET (see config).
 */
export function resolveJwtSecret(config: Pick<AppConfig, 'jwtSecret' | 'dataDir'>): string {
  if (config.jwtSecret) {
    return config.jwtSecret;
  }
  const path = join(config.dataDir, 'jwt-secret');
  if (existsSync(path)) {
    return readFileSync(path, 'utf8').trim();
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(path, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    // Another process wrote it first: use theirs.
    return readFileSync(path, 'utf8').trim();
  }
}
