// Every workflow the worker runs. Workflow code is deterministic: no I/O, no Node built-ins.
export { stationSummary } from './station-summary.js';
