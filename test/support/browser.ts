// A real browser for the web app's tests: Debian's chromium (installed by .ci/run) driven by
// playwright-core, headless, with a fresh profile for every test file.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export function findChromium(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`No chromium found (looked at ${CANDIDATES.join(', ')}); .ci/run installs Debian's chromium, or set CHROMIUM_PATH`);
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Screenshots of the main pages, kept as test artifacts. */
export const ARTIFACTS_DIR = path.resolve('test-results', 'screenshots');

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: options.fullPage ?? false });
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The page's accessibility problems that axe rates serious or critical. */
export async function seriousAxeViolations(page: Page): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  // Through the DevTools protocol, as a console would: the app's Content-Security-Policy lets
  // no inline <script> without its nonce run, and a test must not weaken it to look.
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface Credentials {
  email: string;
  password: string;
}

/**
 * Signing in through the sign-in page, as a person would, for one test file: what the browser
 * refuses under the app's Content-Security-Policy is collected on every page signed in this way,
 * and each test ends with none (a refusal means the app is broken). `web` is read when signing
 * in: the web app starts in the file's beforeAll.
 */
export function useBrowserSignIn(web: () => { url: string }): (page: Page, who: Credentials) => Promise<void> {
  const cspViolations: string[] = [];
  afterEach(() => {
    expect(cspViolations.splice(0)).toEqual([]);
  });
  return async (page, who) => {
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${web().url}/sign-in`);
    // The app's own scripts ran (with the page's nonce): React took over the page.
    await page.waitForFunction(() => '__remixRouter' in window);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  };
}
