import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs embedded with no configuration at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 3000,
      database: { kind: 'sqlite' },
      demo: true,
      challenge: true,
      checkRateLimit: 120,
      trustProxy: false,
    });
    expect(config.database.kind === 'sqlite' && config.database.file).toMatch(/data\/cekrek\.db$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '8080',
      DATA_DIR: '/tmp/x',
      DATABASE_URL: 'postgres://u@db:5432/cekrek',
      REDIS_URL: 'redis://cache:6379',
      CEKREK_SECRET_KEY: 'k'.repeat(40),
      CHECK_RATE_LIMIT: '0',
      CEKREK_DEMO: 'off',
      CEKREK_CHALLENGE: 'off',
      SMTP_URL: 'smtp://mail:25',
      PUBLIC_BASE_URL: 'https://cekrek.example',
      CONTACT_PHONES: '159 , 0811-111',
      CONTACT_EMAIL: 'help@cekrek.example',
      TRUST_PROXY: '10.0.0.0/8, loopback',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/tmp/x',
      database: { kind: 'postgres', url: 'postgres://u@db:5432/cekrek' },
      redisUrl: 'redis://cache:6379',
      checkRateLimit: 0,
      demo: false,
      challenge: false,
      contact: { phones: ['159', '0811-111'], email: 'help@cekrek.example' },
      trustProxy: ['10.0.0.0/8', 'loopback'],
    });
  });

  it('puts every connection on a clock by default, and reads the HTTP limits', () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 30_000,
      uploadBodyTimeoutMs: 300_000,
      idleTimeoutMs: 60_000,
      keepAliveTimeoutMs: 72_000,
      maxConnections: 10_000,
    });
    const config = loadConfig({
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_BODY_TIMEOUT_MS: '3000',
      UPLOAD_BODY_TIMEOUT_MS: '4000',
      HTTP_IDLE_TIMEOUT_MS: '5000',
      HTTP_KEEPALIVE_TIMEOUT_MS: '6000',
      HTTP_MAX_CONNECTIONS: '70',
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 2000,
      bodyTimeoutMs: 3000,
      uploadBodyTimeoutMs: 4000,
      idleTimeoutMs: 5000,
      keepAliveTimeoutMs: 6000,
      maxConnections: 70,
    });
    // No deadline can be switched off: 0 is refused, not read as "none".
    for (const name of [
      'HTTP_HEADERS_TIMEOUT_MS',
      'HTTP_BODY_TIMEOUT_MS',
      'HTTP_MAX_CONNECTIONS',
    ]) {
      expect(() => loadConfig({ [name]: '0' }), name).toThrow(new RegExp(name));
    }
  });

  it('stops on a wrong value, naming the variable', () => {
    const cases: Record<string, string> = {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      CHECK_RATE_LIMIT: '-1',
      CEKREK_DEMO: 'maybe',
      CEKREK_SECRET_KEY: 'short',
      CONTACT_EMAIL: 'not-an-email',
      TRUST_PROXY: '2',
    };
    for (const [name, value] of Object.entries(cases)) {
      expect(() => loadConfig({ [name]: value }), name).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value }), name).toThrow(new RegExp(name));
    }
  });

  it('reads the four-eyes period and the second admin for operator changes', () => {
    expect(loadConfig({})).toMatchObject({
      fourEyesIndependenceDays: 30,
      operatorChangeApproval: false,
    });
    expect(
      loadConfig({ FOUR_EYES_INDEPENDENCE_DAYS: '0', OPERATOR_CHANGE_APPROVAL: 'on' }),
    ).toMatchObject({ fourEyesIndependenceDays: 0, operatorChangeApproval: true });
    for (const [name, value] of [
      ['FOUR_EYES_INDEPENDENCE_DAYS', '-1'],
      ['OPERATOR_CHANGE_APPROVAL', 'sometimes'],
    ] as const) {
      expect(() => loadConfig({ [name]: value }), name).toThrow(new RegExp(name));
    }
  });

  it('limits forms sent without the proof of work more tightly than the others', () => {
    const defaults = loadConfig({});
    expect(defaults.noJsSubmissionRateLimit).toBe(3);
    expect(defaults.noJsSubmissionRateLimit).toBeLessThan(defaults.reportRateLimit);
    expect(loadConfig({ NOJS_SUBMISSION_RATE_LIMIT: '0' }).noJsSubmissionRateLimit).toBe(0);
    expect(() => loadConfig({ NOJS_SUBMISSION_RATE_LIMIT: '-1' })).toThrow(
      /NOJS_SUBMISSION_RATE_LIMIT/,
    );
  });

  it('keeps files on the local disk by default, or in the S3 bucket FILE_STORE_URL names', () => {
    expect(loadConfig({}).fileStore).toEqual({ kind: 'disk' });
    expect(loadConfig({ FILE_STORE_URL: 'disk' }).fileStore).toEqual({ kind: 'disk' });
    const s3 = {
      S3_ENDPOINT: 'http://garage.internal:3900',
      S3_ACCESS_KEY_ID: 'GK31c2f218a2e44f485b94239e',
      S3_SECRET_ACCESS_KEY: 'b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835',
      S3_FORCE_PATH_STYLE: 'on',
    };
    expect(loadConfig({ ...s3, FILE_STORE_URL: 's3://cekrek-files/evidence/' }).fileStore).toEqual({
      kind: 's3',
      bucket: 'cekrek-files',
      prefix: 'evidence/',
      endpoint: 'http://garage.internal:3900',
      region: 'us-east-1',
      accessKeyId: s3.S3_ACCESS_KEY_ID,
      secretAccessKey: s3.S3_SECRET_ACCESS_KEY,
      forcePathStyle: true,
    });
    expect(loadConfig({ ...s3, FILE_STORE_URL: 's3://cekrek-files' }).fileStore).toMatchObject({
      prefix: '',
    });
    expect(
      loadConfig({ ...s3, FILE_STORE_URL: 's3://cekrek-files/a//b', S3_REGION: 'ap-southeast-3' })
        .fileStore,
    ).toMatchObject({ prefix: 'a/b/', region: 'ap-southeast-3' });
    expect(() => loadConfig({ FILE_STORE_URL: 's3://cekrek-files' })).toThrow(
      /S3_ACCESS_KEY_ID: required.*S3_SECRET_ACCESS_KEY: required/,
    );
    for (const [name, value] of [
      ['FILE_STORE_URL', 's3://Upper_Case'],
      ['FILE_STORE_URL', 'gs://bucket'],
      ['FILE_STORE_URL', '/var/lib/cekrek'],
      ['S3_ENDPOINT', 'garage.internal:3900'],
      ['S3_FORCE_PATH_STYLE', 'maybe'],
    ] as const) {
      expect(() => loadConfig({ ...s3, [name]: value }), name).toThrow(new RegExp(name));
    }
  });

  it('names no S3 secret when it refuses a configuration', () => {
    const secret = 'b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835';
    expect(() =>
      loadConfig({ FILE_STORE_URL: 's3://cekrek-files', S3_SECRET_ACCESS_KEY: secret }),
    ).toThrow(/^(?!.*b892c066).*S3_ACCESS_KEY_ID/s);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({
      port: 3000,
      database: { kind: 'sqlite' },
    });
  });
});
