/**
 * Admin authentication (the admin listener is loopback-only, and a local web page must not be able
 * to drive it either): one-time login tokens exchanged for an HttpOnly, SameSite=Strict
 * session cookie, or `Authorization: Bearer <admin token>` for scripts. Plus the two browser guards:
 * Host must be our loopback origin (DNS rebinding) and a mutating request's Origin must be ours (CSRF).
 */
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import { hashSecret, secretMatches } from '../../secrets';
import type { Clock } from '../../services/contracts';
import { sendError } from '../errors';
import { bearerToken } from '../params';

export const SESSION_COOKIE = 'fd_session';
export const LOGIN_TOKEN_TTL_MS = 10 * 60_000;
/** A session nobody used for this long is gone (a browser tab left open on a shared desk). */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** and none lives longer than this, used or not */
export const SESSION_MAX_AGE_MS = 7 * 86_400_000;
/** Sessions kept at most; a new one beyond it ends the least recently used. */
export const MAX_SESSIONS = 64;
/** A chosen admin token shorter than this is refused: it guards everything the app can do. */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

export class AdminTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminTokenError';
  }
}

/** Refuses a short admin token (the message names the minimum). */
export function assertAdminToken(token: string): void {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new AdminTokenError(`the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long (got ${token.length})`);
  }
}

export interface AdminAuth {
  readonly adminToken: string;
  /** A fresh single-use login token, valid for LOGIN_TOKEN_TTL_MS. */
  issueLoginToken(): string;
  /** Consumes a login token; returns a new session id or null when unknown/used/expired. */
  redeemLoginToken(token: string): string | null;
  /** A session without the login round-trip (Electron sets it as a cookie before loading the window). */
  createSession(): string;
  /** 'admin' for a session, 'api' for the bearer token, null when unauthenticated. */
  authorOf(req: Request): 'admin' | 'api' | null;
  sessionCookie(sessionId: string): string;
  /** Ends the session the request carries, if any. */
  logout(req: Request): void;
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function createAdminAuth(options: { adminToken?: string; clock: Clock }): AdminAuth {
  if (options.adminToken !== undefined) assertAdminToken(options.adminToken);
  const adminToken = options.adminToken ?? newSecret();
  const adminTokenHash = hashSecret(adminToken);
  const loginTokens = new Map<string, number>(); // token → expiresAt
  // insertion order = least recently used first (a use moves the session to the end)
  const sessions = new Map<string, { createdAt: number; lastUsedAt: number }>();

  const forgetExpiredLoginTokens = () => {
    const now = options.clock.now();
    for (const [token, expiresAt] of loginTokens) if (expiresAt <= now) loginTokens.delete(token);
  };

  const createSession = () => {
    const id = newSecret();
    const now = options.clock.now();
    for (const [old] of sessions) {
      if (sessions.size < MAX_SESSIONS) break;
      sessions.delete(old);
    }
    sessions.set(id, { createdAt: now, lastUsedAt: now });
    return id;
  };

  const sessionOf = (req: Request): string | undefined => {
    const cookieHeader = req.headers.cookie;
    return cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
  };

  /** Whether the session is alive now; a live one counts as used, an expired one is dropped. */
  const useSession = (id: string): boolean => {
    const session = sessions.get(id);
    if (!session) return false;
    const now = options.clock.now();
    sessions.delete(id);
    if (now - session.lastUsedAt > SESSION_IDLE_MS || now - session.createdAt > SESSION_MAX_AGE_MS) return false;
    session.lastUsedAt = now;
    sessions.set(id, session);
    return true;
  };

  return {
    adminToken,
    issueLoginToken() {
      forgetExpiredLoginTokens();
      const token = newSecret();
      loginTokens.set(token, options.clock.now() + LOGIN_TOKEN_TTL_MS);
      return token;
    },
    redeemLoginToken(token) {
      forgetExpiredLoginTokens();
      if (!loginTokens.delete(token)) return null;
      return createSession();
    },
    createSession,
    authorOf(req) {
      const bearer = bearerToken(req);
      if (bearer !== null) return secretMatches(bearer, adminTokenHash) ? 'api' : null;
      const session = sessionOf(req);
      return session !== undefined && useSession(session) ? 'admin' : null;
    },
    sessionCookie(sessionId) {
      return stringifySetCookie(SESSION_COOKIE, sessionId, {
        httpOnly: true, sameSite: 'strict', path: '/', maxAge: SESSION_MAX_AGE_MS / 1000,
      });
    },
    logout(req) {
      const session = sessionOf(req);
      if (session !== undefined) sessions.delete(session);
    },
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses foreign Host headers (a rebound DNS name pointing at 127.0.0.1) and mutating requests from a
 * foreign Origin. `port()` is read per request because the port is known only after listen (port 0).
 */
export function loopbackGuard(port: () => number): RequestHandler {
  return (req, res, next) => {
    const p = port();
    const allowedHosts = [`127.0.0.1:${p}`, `localhost:${p}`];
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.includes(host)) {
      sendError(res, 403, 'forbidden', 'the admin API answers only to 127.0.0.1 / localhost');
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts.some((h) => origin.toLowerCase() === `http://${h}`)) {
        sendError(res, 403, 'forbidden', 'cross-origin request refused');
        return;
      }
      if (req.headers['sec-fetch-site'] === 'cross-site') {
        sendError(res, 403, 'forbidden', 'cross-site request refused');
        return;
      }
    }
    next();
  };
}

declare module 'express-serve-static-core' {
  interface Locals {
    /** who is making this admin request: 'admin' (UI session) or 'api' (bearer token) */
    author?: 'admin' | 'api';
  }
}

/** 401 as a short page for a browser navigating to the UI, as the error envelope for API clients. */
export function sendUnauthorized(req: Request, res: Response, message: string): void {
  res.setHeader('WWW-Authenticate', 'Bearer realm="fleetdesk-admin"');
  if (req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/')) {
    res.status(401).type('html').send(
      `<!doctype html><meta charset="utf-8"><title>FleetDesk</title><p>${message}. ` +
        'Open the login URL FleetDesk printed (each one works once, for 10 minutes), or restart it for a new one.</p>',
    );
    return;
  }
  sendError(res, 401, 'unauthorized', message);
}

/** Requires a session or the bearer token; sets res.locals.author. */
export function requireAdmin(auth: AdminAuth): RequestHandler {
  return (req, res, next) => {
    const author = auth.authorOf(req);
    if (!author) {
      sendUnauthorized(req, res, 'Not signed in');
      return;
    }
    res.locals.author = author;
    next();
  };
}

/** The Author recorded in revisions and the audit log for this admin request. */
export function authorOf(res: { locals: { author?: 'admin' | 'api' } }): string {
  return res.locals.author ?? 'api';
}
