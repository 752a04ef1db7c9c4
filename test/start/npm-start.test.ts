// The promise of the README's first command: `npm start` on an empty data folder brings up
// everything healthy, stops cleanly on Ctrl-C, and a second start keeps the data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../support/ports.js';

interface Started {
  child: ChildProcess;
  output: () => string;
}

async function startLibreLog(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!output.includes('LibreLog is running.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not get ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => output };
}

async function interrupt({ child }: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start on an empty data folder', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-start-'));
  const [webPort, apiPort, temporalPort, temporalUiPort, pgPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const env = {
    LIBRELOG_DATA_DIR: dataDir,
    WEB_PORT: String(webPort),
    API_PORT: String(apiPort),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(temporalUiPort),
    PG_PORT: String(pgPort),
    TEMPORAL_CLI: inject('temporalCli'),
    LIBRELOG_ADMIN_EMAIL: 'traffic@gayphx.example',
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
  };
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('comes up healthy with the demo station, stops cleanly on Ctrl-C, and keeps its data for the next start', async () => {
    const first = await startLibreLog(env);
    expect(first.output()).toContain('created the first admin user traffic@gayphx.example — password:');
    expect(first.output()).toContain('imported the demo station "demo"');
    expect(first.output()).toMatch(/station GayPHX Radio \(demo, America\/Phoenix\): \d+ MUS/);
    for (const where of [`http://localhost:${webPort}`, `http://localhost:${apiPort}/api/docs`, `http://localhost:${temporalUiPort}`]) {
      expect(first.output()).toContain(where);
    }

    const health = await fetch(`http://localhost:${apiPort}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { ok: true }, temporal: { ok: true } });
    // The web app asks to sign in; the first admin's printed password works.
    const password = /password: (\S+)/.exec(first.output())![1]!;
    const signInPage = await fetch(`http://localhost:${webPort}/`, { redirect: 'manual' });
    expect(signInPage.headers.get('location')).toMatch(/^\/sign-in/);
    const signedIn = await fetch(`http://localhost:${webPort}/sign-in`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'traffic@gayphx.example', password, next: '/' }),
      redirect: 'manual',
    });
    expect(signedIn.status).toBe(302);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(`http://localhost:${webPort}/stations/demo/days`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GayPHX Radio');
    // The station's build schedule ran once at start: today's log gets built from the demo station.
    const deadline = Date.now() + 60_000;
    let days = '';
    while (!days.includes('Awaiting approval') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      days = await (await fetch(`http://localhost:${webPort}/stations/demo/days`, { headers: { Cookie: cookie } })).text();
    }
    expect(days).toContain('Awaiting approval');
    expect((await fetch(`http://localhost:${temporalUiPort}/`)).status).toBe(200);

    expect(await interrupt(first)).toBe(0);
    expect(first.output()).toContain('[librelog] stopped.');
    // Nothing left behind: the ports are free again.
    for (const port of [webPort, apiPort]) await expect(fetch(`http://localhost:${port}/`)).rejects.toThrow();
    expect(first.child.pid && processAlive(first.child.pid)).toBe(false);
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['postgres', 'temporal.sqlite', 'logs', 'jwt-secret', 'session-secret']));

    const second = await startLibreLog(env);
    expect(second.output()).not.toContain('created the first admin user');
    expect(second.output()).not.toContain('imported the demo station');
    expect(second.output()).toMatch(/station GayPHX Radio \(demo/);
    expect((await fetch(`http://localhost:${apiPort}/api/v1/health`)).status).toBe(200);
    expect(await interrupt(second)).toBe(0);
  }, 300_000);
});
