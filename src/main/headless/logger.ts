import pino from 'pino';

/** Logs go to stderr so stdout stays for the banner and the --json ready line. */
export function createLogger(): pino.Logger {
  return pino({ level: process.env.FLEETDESK_LOG_LEVEL ?? 'info' }, pino.destination(2));
}
