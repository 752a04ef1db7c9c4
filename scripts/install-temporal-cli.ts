// Installs the pinned Temporal CLI into .tools/temporal unless one is already found
// (TEMPORAL_CLI, PATH or .tools). Used by .ci/run; npm start and the tests do the same lazily.
import { findTemporalCli } from '../temporal/cli.js';

const binary = await findTemporalCli({ explicit: process.env.TEMPORAL_CLI, log: console.log });
console.log(`Temporal CLI: ${binary}`);
