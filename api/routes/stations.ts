import { Router } from 'express';
import type { AppDeps } from '../app.js';

// Filled in by the stations resources of issue 5.
export function createStationsRouter(_deps: AppDeps): Router {
  return Router();
}
