import { Router } from 'express';
import type { AppDeps } from '../app.js';

// Filled in by the traffic resources of issue 5.
export function createTrafficRouter(_deps: AppDeps): Router {
  return Router();
}
