// Finds schemathesis, the property-based API fuzzer test/api/fuzz.test.ts drives: SCHEMATHESIS,
// else the project-local install, else installs the pinned release from PyPI into .tools/
// schemathesis (as the Temporal CLI goes into .tools/temporal): a virtual environment of its
// own, or where Python has no venv module (Debian without python3-venv), a `pip --target`
// folder with a small launcher. Not PATH: the test relies on the pinned release's options and
// generator. Works as root or not, from any folder.
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../temporal/cli.js';

const run = promisify(execFile);

/** The release the fuzz test is written for; hypothesis pinned too, so a seed makes the same cases. */
export const SCHEMATHESIS_VERSION = '4.32.5';
export const HYPOTHESIS_VERSION = '6.170.27';

const HOME = path.join(PROJECT_ROOT, '.tools', 'schemathesis');
const BINARY = path.join(HOME, 'bin', 'schemathesis');
const PACKAGES = [`schemathesis==${SCHEMATHESIS_VERSION}`, `hypothesis==${HYPOTHESIS_VERSION}`];
const PIP_FLAGS = ['install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location'];
/** pip as root warns that it should not be; into a folder of our own it is fine. */
const PIP_ENV = { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' };

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function versionOf(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 60_000 });
    return /version (\S+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** A virtual environment with the pinned packages; false when Python cannot make one. */
async function installInVenv(): Promise<boolean> {
  try {
    await run('python3', ['-m', 'venv', HOME], { timeout: 120_000 });
  } catch {
    rmSync(HOME, { recursive: true, force: true });
    return false;
  }
  await run(path.join(HOME, 'bin', 'python'), ['-m', 'pip', ...PIP_FLAGS, ...PACKAGES], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000, env: PIP_ENV });
  return true;
}

/** The pinned packages in a folder of their own (pip --target), started through a launcher. */
async function installInFolder(): Promise<void> {
  const lib = path.join(HOME, 'lib');
  await run('python3', ['-m', 'pip', ...PIP_FLAGS, '--target', lib, ...PACKAGES], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000, env: PIP_ENV });
  mkdirSync(path.dirname(BINARY), { recursive: true });
  writeFileSync(BINARY, `#!/bin/sh\nPYTHONPATH="${lib}\${PYTHONPATH:+:$PYTHONPATH}" exec python3 -m schemathesis.cli "$@"\n`);
  chmodSync(BINARY, 0o755);
}

let installing: Promise<string> | undefined;

/** The path of the `schemathesis` binary; installs the pinned release when there is none. */
export function findSchemathesis(options: { log?: (line: string) => void } = {}): Promise<string> {
  const explicit = process.env.SCHEMATHESIS;
  if (explicit) {
    if (!isExecutable(explicit)) return Promise.reject(new Error(`SCHEMATHESIS=${explicit} is not an executable file`));
    return Promise.resolve(explicit);
  }
  installing ??= (async () => {
    if (isExecutable(BINARY) && (await versionOf(BINARY)) === SCHEMATHESIS_VERSION) return BINARY;
    options.log?.(`Installing schemathesis ${SCHEMATHESIS_VERSION} into ${HOME} …`);
    try {
      // A fresh folder: a half-made one (an interrupted install) or another release goes.
      if (existsSync(HOME)) rmSync(HOME, { recursive: true, force: true });
      if (!(await installInVenv())) await installInFolder();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`Could not install schemathesis ${SCHEMATHESIS_VERSION} with pip into ${HOME}: ${detail}. Install it yourself and set SCHEMATHESIS.`, { cause: error });
    }
    const installed = await versionOf(BINARY);
    if (installed !== SCHEMATHESIS_VERSION) {
      const found = existsSync(HOME) ? readdirSync(HOME).join(', ') : 'nothing';
      throw new Error(`pip installed schemathesis into ${HOME} (${found}) but ${BINARY} reports ${installed ?? 'no version'}`);
    }
    return BINARY;
  })();
  return installing;
}
