import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const noDotEnv = join(tmpdir(), 'df-chat-no-such-file.env');

describe('loadConfig', () => {
  it('should give the documented defaults with no configuration at all', () => {
    const config = loadConfig({}, noDotEnv);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      acceptLanes: 32,
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
    ['ACCEPT_LANES', '0'],
    ['ACCEPT_LANES', '257'],
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
    ['STORAGE', 'ftp'],
    ['MEDIA_BASE_URL', 'cdn.example.com'],
    ['S3_BUCKET', 'Not_A_Bucket'],
    ['S3_ENDPOINT', 'ftp://s3.example.com'],
    ['S3_FORCE_PATH_STYLE', 'perhaps'],
    ['S3_PREFIX', 'media prefix'],
    ['TRUST_PROXY', 'maybe'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'loopback, 300.1.1.1'],
    ['COOKIE_SECURE', 'sometimes'],
    ['RATE_MESSAGES_PER_SECOND', '0'],
    ['RATE_MESSAGES_BURST', '5'],
    ['RATE_UPLOADS', 'lots'],
    ['IMAGE_CONCURRENCY', '0'],
    ['IMAGE_TIMEOUT', '0'],
    ['MAX_PALETTE_PIXELS', '-1'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGINS', 'ftp://files.example.com'],
  ])('should refuse %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value }, noDotEnv)).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, noDotEnv)).toThrow(name);
  });

  it('should search in simple by default and take a configuration name, not SQL', () => {
    expect(loadConfig({}, noDotEnv).searchLanguage).toBe('simple');
    expect(loadConfig({ SEARCH_LANGUAGE: 'English' }, noDotEnv).searchLanguage).toBe('english');
    for (const value of ["english'); DROP TABLE messages; --", 'pg_catalog.english', 'a-b']) {
      expect(() => loadConfig({ SEARCH_LANGUAGE: value }, noDotEnv)).toThrow(
        `SEARCH_LANGUAGE must be a text search configuration name, got "${value}"`,
      );
    }
  });

  it('should take for TRUST_PROXY what Express takes: a flag, a hop count or addresses', () => {
    const trustProxy = (value: string) => loadConfig({ TRUST_PROXY: value }, noDotEnv).trustProxy;
    expect(loadConfig({}, noDotEnv).trustProxy).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('true')).toBe(true);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('loopback, 10.0.0.0/8, 192.168.1.1, fd00::/8, 172.16.0.0/255.240.0.0')).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.1',
      'fd00::/8',
      '172.16.0.0/255.240.0.0',
    ]);
  });

  it('should give the documented abuse limits by default', () => {
    expect(loadConfig({}, noDotEnv)).toMatchObject({
      cookieSecure: false,
      rateLimits: {
        messagesPerSecond: 10,
        messagesBurst: 30,
        uploadsPerWindow: 30,
        uploadWindowSeconds: 60,
        registrationsPerWindow: 20,
        registrationWindowSeconds: 3600,
        connectionsPerUser: 20,
      },
      images: { concurrency: availableParallelism(), queueLength: 2 * availableParallelism(), timeoutSeconds: 5 },
    });
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

  it('should keep files on the local disk and serve them from the app unless told otherwise', () => {
    expect(loadConfig({}, noDotEnv).storage).toEqual({ driver: 'local', mediaBaseUrl: null, s3: null });
  });

  it('should read the S3 settings, and require a bucket for the s3 driver', () => {
    expect(() => loadConfig({ STORAGE: 's3' }, noDotEnv)).toThrow('S3_BUCKET is required when STORAGE=s3');
    expect(() => loadConfig({ S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'key' }, noDotEnv)).toThrow('S3_SECRET_ACCESS_KEY');
    const config = loadConfig(
      {
        STORAGE: 's3',
        MEDIA_BASE_URL: 'https://cdn.example.com/media/',
        S3_BUCKET: 'chat-media',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_ACCESS_KEY_ID: 'key',
        S3_SECRET_ACCESS_KEY: 'secret',
        S3_FORCE_PATH_STYLE: 'true',
        S3_PREFIX: 'media/',
      },
      noDotEnv,
    );
    expect(config.storage).toEqual({
      driver: 's3',
      mediaBaseUrl: 'https://cdn.example.com/media',
      s3: {
        bucket: 'chat-media',
        endpoint: 'http://127.0.0.1:9000',
        region: 'us-east-1',
        accessKeyId: 'key',
        secretAccessKey: 'secret',
        forcePathStyle: true,
        prefix: 'media/',
      },
    });
  });

  it('should read .env, with the environment taking precedence', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dfchat-env-')), '.env');
    writeFileSync(path, '# comment\nPORT=4000\nHOST="0.0.0.0"\nLOG_LEVEL=warn\n');
    const config = loadConfig({ LOG_LEVEL: 'error' }, path);
    expect(config).toMatchObject({ port: 4000, host: '0.0.0.0', logLevel: 'error' });
  });
});
