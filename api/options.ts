// OPTIONS answers what the API document says a path takes. Express would list every method of
// every route the path matches — /rule-sets/preview also matches /rule-sets/:ruleSetId — and
// advertise methods the path does not have. The most literal path of the document wins.
import type { RequestHandler } from 'express';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export function optionsFromSpec(spec: { paths: Record<string, unknown> }, base = '/api/v1'): RequestHandler {
  const paths = Object.entries(spec.paths)
    .map(([template, item]) => {
      const segments = template.split('/').filter(Boolean);
      const pattern = new RegExp(`^/${segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
      const methods = METHODS.filter((m) => typeof item === 'object' && item !== null && m in item).map((m) => m.toUpperCase());
      if (methods.includes('GET')) methods.push('HEAD');
      return { pattern, literals: segments.filter((s) => !s.startsWith('{')).length, methods };
    })
    .sort((a, b) => b.literals - a.literals);
  return (req, res, next) => {
    const path = req.originalUrl.split('?')[0]!.slice(base.length);
    const found = paths.find((p) => p.pattern.test(path));
    if (!found) return next();
    res.setHeader('Allow', found.methods.join(', '));
    res.status(204).end();
  };
}
