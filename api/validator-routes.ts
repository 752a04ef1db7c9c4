// express-openapi-validator 5.6 finds a request's operation by compiling every path pattern of
// the document with path-to-regexp on every request (cdimascio/express-openapi-validator#1217):
// a tenth of the CPU of a cached GET of a day's log. The patterns never change, so their
// compiled form is kept. The validator reads `pathToRegexp` off its own copy of path-to-regexp
// at each call, which is where the kept version is put; what it returns is the same either way.
import { createRequire } from 'node:module';

type PathToRegexp = (path: string, options?: { sensitive?: boolean; strict?: boolean }) => { regexp: RegExp; keys: unknown[] };

let installed = false;

export function keepCompiledValidatorRoutes(): void {
  if (installed) return;
  installed = true;
  const fromValidator = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'));
  const module = fromValidator('path-to-regexp') as { pathToRegexp: PathToRegexp };
  const compile = module.pathToRegexp;
  const compiled = new Map<string, ReturnType<PathToRegexp>>();
  module.pathToRegexp = (path, options) => {
    // Only the validator's route patterns reach this (a few dozen): the map stays small.
    const key = `${options?.sensitive ? 's' : ''}${options?.strict ? 't' : ''}:${path}`;
    let kept = compiled.get(key);
    if (!kept) compiled.set(key, (kept = compile(path, options)));
    return kept;
  };
}
