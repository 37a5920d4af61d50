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

/** body-parser's error types, as express.json reports them. */
function fromBodyParser(err: { type?: string; status?: number }): ApiError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError(400, 'bad_json', 'リクエストの本文が正しい JSON ではありません。');
    case 'entity.too.large':
      return new ApiError(413, 'body_too_large', 'リクエストの本文が大きすぎます（8KB まで）。');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_encoding', '文字コードは UTF-8 にしてください。');
    case 'request.aborted':
      return new ApiError(400, 'request_aborted', 'リクエストが途中で切れました。');
    default:
      return undefined;
  }
}

/** The last middleware: turns anything thrown into a precise status and a Japanese message. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof ApiError) return sendError(res, err);
    const parsed = typeof err === 'object' && err !== null ? fromBodyParser(err as { type?: string }) : undefined;
    if (parsed) return sendError(res, parsed);
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    sendError(res, new ApiError(500, 'internal', 'サーバーでエラーが起きました。しばらくしてからもう一度お試しください。'));
  };
}

export const notFound = () => new ApiError(404, 'not_found', 'お探しのページや API はありません。');
