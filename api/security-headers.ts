// The API's security headers, from helmet: JSON answers may run nothing and be framed nowhere;
// the API documentation (Swagger UI) may load its own scripts and styles, and call the API.
// HSTS only when the install says it is served over HTTPS (LIBRELOG_COOKIE_SECURE or an https
// LIBRELOG_PUBLIC_URL): sent to a host name that also serves plain HTTP elsewhere (Temporal
// UI on another port), it would break those.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const HSTS = { maxAge: 180 * 24 * 3600, includeSubDomains: false };

export function apiSecurityHeaders(options: { https?: boolean } = {}): RequestHandler {
  const common = { strictTransportSecurity: options.https ? HSTS : false, xFrameOptions: { action: 'deny' } } as const;
  const api = helmet({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
  });
  const docs = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Swagger UI's page has a <style> of its own.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });
  return (req, res, next) => (req.path.startsWith('/api/docs') ? docs : api)(req, res, next);
}
