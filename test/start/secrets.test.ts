// The secrets that sign access tokens and web sessions are long enough, or nothing starts: a
// server given a short one ends with one paragraph naming it and how to make a good one, while
// `npm start` on embedded defaults makes its own, long enough.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generateSecret } from '../../api/auth/passwords.js';
import { checkSecrets, ConfigError, loadConfig, MIN_SECRET_LENGTH } from '../../config/env.js';
import { explainStartFailure } from '../../scripts/start-failure.js';

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', LIBRELOG_JWT_SECRET: '', LIBRELOG_SESSION_SECRET: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const oneParagraph = (output: string) => {
  const lines = output.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(output).not.toMatch(/^\s+at /m);
};

describe('the secrets', () => {
  it('must be at least 32 characters; the refusal names the variable, why, and how to make one', () => {
    const long = 'x'.repeat(MIN_SECRET_LENGTH);
    expect(MIN_SECRET_LENGTH).toBe(32);
    expect(() => checkSecrets({ jwtSecret: long, sessionSecret: long }, ['jwtSecret', 'sessionSecret'])).not.toThrow();
    expect(() => checkSecrets({ jwtSecret: 'short', sessionSecret: long }, ['jwtSecret', 'sessionSecret'])).toThrow(ConfigError);
    expect(() => checkSecrets({ jwtSecret: 'short', sessionSecret: long }, ['sessionSecret'])).not.toThrow();
    const said = (() => {
      try {
        checkSecrets({ jwtSecret: undefined, sessionSecret: 'x'.repeat(31) }, ['sessionSecret']);
      } catch (error) {
        return explainStartFailure(error);
      }
      return '';
    })();
    expect(said).toMatch(/^LibreLog could not start: LIBRELOG_SESSION_SECRET is only 31 characters long\. .*at least 32 characters.*openssl rand -hex 32/);
    expect(said).not.toContain('\n');
    expect(() => checkSecrets({ jwtSecret: undefined, sessionSecret: long }, ['jwtSecret'])).toThrow(/LIBRELOG_JWT_SECRET is not set/);
  });

  it('npm start makes secrets long enough when none is given', () => {
    // scripts/start.ts keeps generateSecret(32) in the data folder.
    expect(generateSecret(32).length).toBeGreaterThanOrEqual(MIN_SECRET_LENGTH);
  });

  it('npm run api refuses a short LIBRELOG_JWT_SECRET in one paragraph, before it connects to anything', async () => {
    const { code, output } = await run('api/server.ts', { DATABASE_URL: 'postgres://librelog:x@127.0.0.1:1/librelog', TEMPORAL_ADDRESS: '127.0.0.1:1', LIBRELOG_JWT_SECRET: 'changeme' });
    expect(code).toBe(1);
    expect(output).toMatch(/^LibreLog could not start: LIBRELOG_JWT_SECRET is only 8 characters long\./);
    oneParagraph(output);
  }, 60_000);

  it('npm run web refuses a short LIBRELOG_SESSION_SECRET, and says it needs DATABASE_URL for its sessions', async () => {
    const short = await run('web/server.ts', { LIBRELOG_SESSION_SECRET: 'secret', DATABASE_URL: 'postgres://librelog:x@127.0.0.1:1/librelog' });
    expect(short.code).toBe(1);
    expect(short.output).toMatch(/^LibreLog could not start: LIBRELOG_SESSION_SECRET is only 6 characters long\./);
    oneParagraph(short.output);
    const noDatabase = await run('web/server.ts', { LIBRELOG_SESSION_SECRET: 'y'.repeat(40) });
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.output).toMatch(/^LibreLog could not start: DATABASE_URL is not set: the web app keeps its sessions in PostgreSQL/);
  }, 60_000);

  it('npm start refuses a short secret given in the environment before it starts anything', async () => {
    const { code, output } = await run('scripts/start.ts', { LIBRELOG_DATA_DIR: '/nonexistent/librelog-secrets-test', LIBRELOG_SESSION_SECRET: 'too short' });
    expect(code).toBe(1);
    expect(output).toMatch(/LibreLog could not start: LIBRELOG_SESSION_SECRET is only 9 characters long\./);
    expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);
});

describe('the settings of the front door', () => {
  it('trusts no proxy unless told, and says which entry of LIBRELOG_TRUSTED_PROXIES it cannot read', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ LIBRELOG_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8, 172.18.0.5,fd00::/8' }).trustedProxies).toEqual(['loopback', '10.0.0.0/8', '172.18.0.5', 'fd00::/8']);
    expect(() => loadConfig({ LIBRELOG_TRUSTED_PROXIES: 'nginx' })).toThrow(/LIBRELOG_TRUSTED_PROXIES .*"nginx"/);
    expect(() => loadConfig({ LIBRELOG_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(ConfigError);
  });

  it('marks cookies Secure by LIBRELOG_COOKIE_SECURE, else by an https LIBRELOG_PUBLIC_URL', () => {
    expect(loadConfig({}).cookieSecure).toBe(false);
    expect(loadConfig({ LIBRELOG_PUBLIC_URL: 'https://librelog.example.org/' })).toMatchObject({ cookieSecure: true, publicUrl: 'https://librelog.example.org' });
    expect(loadConfig({ LIBRELOG_PUBLIC_URL: 'http://192.168.1.5:3000' }).cookieSecure).toBe(false);
    expect(loadConfig({ LIBRELOG_PUBLIC_URL: 'https://librelog.example.org', LIBRELOG_COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
    expect(loadConfig({ LIBRELOG_COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
    expect(() => loadConfig({ LIBRELOG_PUBLIC_URL: 'librelog.example.org' })).toThrow(/LIBRELOG_PUBLIC_URL/);
  });
});
