import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Redaction is a second line of defence: the code never passes a password
 * or token to the logger, and these paths blank them should one slip in.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['password', 'newPassword', 'currentPassword', 'token', '*.password', '*.token', 'req.headers.cookie', 'headers.cookie'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
