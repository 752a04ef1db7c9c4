// What the web app reads from the configuration, at request time.
import { loadConfig } from '../../../config/env.js';

export interface TemporalUiLinks {
  temporalUiUrl: string;
  namespace: string;
}

export function temporalUiLinks(): TemporalUiLinks {
  const config = loadConfig();
  return { temporalUiUrl: config.temporalUiUrl, namespace: config.temporalNamespace };
}
