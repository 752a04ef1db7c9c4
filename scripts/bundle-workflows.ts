// Bundles the workflow code once, for production workers (`npm run build:workflows`; the Docker
// image does it at build time): a worker then starts from build/workflow-bundle.js instead of
// bundling the sources with webpack at every start.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKFLOWS_PATH, WORKFLOW_BUNDLE_PATH } from '../temporal/worker.js';

export async function bundleWorkflows(to = WORKFLOW_BUNDLE_PATH): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  await mkdir(path.dirname(to), { recursive: true });
  await writeFile(to, code);
  return to;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = await bundleWorkflows();
  console.log(`Workflow bundle written to ${file}`);
}
