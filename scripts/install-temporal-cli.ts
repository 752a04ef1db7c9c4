// Installs the pinned Temporal CLI and time-skipping test server into .tools/ unless they are
// already found (TEMPORAL_CLI / TEMPORAL_TEST_SERVER, PATH or .tools). Used by .ci/run;
// npm start and the tests do the same lazily.
import { findTemporalCli, findTemporalTestServer } from '../temporal/cli.js';

const log = (line: string) => console.log(line);
console.log(`Temporal CLI: ${await findTemporalCli({ explicit: process.env.TEMPORAL_CLI, log })}`);
console.log(`Temporal test server: ${await findTemporalTestServer({ log })}`);
