import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const noDotEnv = join(tmpdir(), 'df-chat-no-such-file.env');

describe('loadConfig', () => {
  it('should give the documented defaults with no configuration at all', () => {
    const config = loadConfig({}, noDotEnv);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      databasePoolSize: 10,
      databasePreparedStatements: true,
      redisUrl: null,
      redisPrefix: 'dfchat',
      jwtSecret: null,
      publicUrl: '',
      signupEnabled: true,
      limits: {
        messageBodyLength: 10_000,
        jsonBodyBytes: 1048576,
        uploadBytes: 10485760,
        imagePixels: 40_000_000,
        seenIdsPerCall: 1000,
      },
    });
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', 'many'],
    ['DATABASE_PREPARED_STATEMENTS', 'sometimes'],
    ['REDIS_URL', 'http://localhost'],
    ['REDIS_PREFIX', 'has space'],
    ['SIGNUP_ENABLED', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['JWT_SECRET', 'short'],
    ['NODE_ENV', 'staging'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGINS', 'ftp://files.example.com'],
  ])('should refuse %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value }, noDotEnv)).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, noDotEnv)).toThrow(name);
  });

  it('should list every bad variable at once, one line each', () => {
    const env = {
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://u:hunter2@localhost/db',
      SIGNUP_ENABLED: 'maybe',
    };
    let problems: string[] = [];
    try {
      loadConfig(env, noDotEnv);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      'PORT must be a whole number from 0 to 65535, got "abc"',
      'DATABASE_URL must be a postgres:// or postgresql:// URL with a host',
      'SIGNUP_ENABLED must be true or false, got "maybe"',
      'LOG_LEVEL must be one of debug, info, warn, error, got "loud"',
    ]);
    // A URL may hold a password: it is never repeated.
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('should read CORS_ORIGINS as a list of origins', () => {
    expect(loadConfig({}, noDotEnv).corsOrigins).toEqual([]);
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/' }, noDotEnv).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('should require JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, noDotEnv)).toThrow('JWT_SECRET');
    const secret = 'x'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }, noDotEnv).jwtSecret).toBe(secret);
  });

  it('should read .env, with the environment taking precedence', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dfchat-env-')), '.env');
    writeFileSync(path, '# comment\nPORT=4000\nHOST="0.0.0.0"\nLOG_LEVEL=warn\n');
    const config = loadConfig({ LOG_LEVEL: 'error' }, path);
    expect(config).toMatchObject({ port: 4000, host: '0.0.0.0', logLevel: 'error' });
  });
});
