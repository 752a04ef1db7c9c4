// A real browser for the web app's tests: Debian's chromium (installed by .ci/run) driven by
// playwright-core, headless, with a fresh profile for every test file.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
