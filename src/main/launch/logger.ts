import pino from 'pino';
import pretty from 'pino-pretty';

/**
 * Logs go to stderr so stdout stays for the banner and the --json ready line: readable lines on a
 * terminal, JSON when piped (for log collectors).
 */
export function createLogger(): pino.Logger {
  const level = process.env.FLEETDESK_LOG_LEVEL ?? 'info';
  if (process.stderr.isTTY) {
    return pino({ level }, pretty({ destination: 2, sync: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }));
  }
  return pino({ level }, pino.destination(2));
}
