import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../bot/logger.js';

/**
 * Errors as the public APIs return them: `{ "error": { "code", "message" } }`, the code for
 * programs, the message in Japanese for people. Never a stack trace.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function sendError(res: Response, err: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.status(err.status).json({ error: { code: err.code, message: err.message } });
}

/** The last middleware: turns anything thrown into a precise status and a Japanese message. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof ApiError) return sendError(res, err);
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    sendError(res, new ApiError(500, 'internal', 'サーバーでエラーが起きました。しばらくしてからもう一度お試しください。'));
  };
}

export const notFound = () => new ApiError(404, 'not_found', 'お探しのページや API はありません。');
