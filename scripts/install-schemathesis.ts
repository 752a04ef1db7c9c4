// Installs the pinned schemathesis (the API fuzzer of test/api/fuzz.test.ts) into
// .tools/schemathesis unless it is already there (or SCHEMATHESIS names one). Used by .ci/run;
// the fuzz test does the same lazily.
import { findSchemathesis } from '../test/support/schemathesis.js';

console.log(`schemathesis: ${await findSchemathesis({ log: (line) => console.log(line) })}`);
