import { Router } from 'express';
import type { AppDeps } from '../app.js';

// Filled in by the library resources of issue 5.
export function createLibraryRouter(_deps: AppDeps): Router {
  return Router();
}
