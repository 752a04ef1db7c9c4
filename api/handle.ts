import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Express 4 does not await handlers: this passes a rejected promise on to the problem handler. */
export function handle(fn: (req: Request, res: Response, next: NextFunction) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    fn(req, res, next).catch(next);
  };
}
