import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.ts';

/** pino's level for `error`: what an operator is paged for. */
const ERROR_LEVEL = 50;

type LogLine = Record<string, unknown>;

/** A real pino logger whose lines the test can read. */
export function captureLogs(): { log: Logger; lines: LogLine[]; errorLines: () => LogLine[]; text: () => string } {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger('debug', sink);
  const parsed = () =>
    raw.flatMap((chunk) =>
      chunk
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine),
    );
  return {
    log,
    get lines() {
      return parsed();
    },
    /** The lines at level error or above: none may come from a client's mistake. */
    errorLines: () => parsed().filter((line) => (line.level as number) >= ERROR_LEVEL),
    text: () => raw.join(''),
  };
}
