/**
 * Replies of the device listener: the body is serialised once and written with its headers in one
 * go. express's res.json does the same plus work the device listener never needs (ETag, freshness,
 * a Buffer copy that makes Node send headers and body as two chunks).
 */
import type { Response } from 'express';

export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(text))]);
  res.end(text);
}
