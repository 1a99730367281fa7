import { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/config';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** How long info and debug lines may wait to be written together with the next ones. */
export const LOG_FLUSH_MS = 20;

/**
 * One JSON object per line on stdout: easy to grep locally, and what log collectors expect. Writing
 * stdout is a blocking system call, so info and debug lines (a line per request) are written together
 * at most LOG_FLUSH_MS later; a warning or an error is written at once with whatever waits before it,
 * and what waits is written before the process exits.
 */
export class JsonLogger implements LoggerService {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly level: LogLevel = 'info') {
    process.once('exit', () => this.flush());
  }

  write(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (RANK[level] < RANK[this.level]) {
      return;
    }
    this.pending.push(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
    if (RANK[level] >= RANK.warn) {
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), LOG_FLUSH_MS).unref();
    }
  }

  /** Writes every line still waiting. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0) {
      const lines = this.pending.join('');
      this.pending = [];
      process.stdout.write(lines);
    }
  }

  log(message: unknown, context?: string): void {
    this.write('info', String(message), context ? { context } : {});
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', String(message), context ? { context } : {});
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    const fields: Record<string, unknown> = {};
    if (context) {
      fields.context = context;
      fields.stack = stackOrContext;
    } else if (stackOrContext) {
      fields.context = stackOrContext;
    }
    this.write('error', String(message), fields);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', String(message), context ? { context } : {});
  }

  verbose(message: unknown, context?: string): void {
    this.debug(message, context);
  }
}
