import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { ChangeLogRepository } from './change-log.repository';

/**
 * Deletes change-log entries older than EVENT_RETENTION, every EVENT_PRUNE_INTERVAL_MS, on every
 * instance (deleting is idempotent; the BRIN index keeps it cheap). Seqs are never reused: each room's
 * latest stays in `room_seqs`.
 */
@Injectable()
export class ChangeLogPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeLogPruner');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: ChangeLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), this.config.events.pruneIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async prune(): Promise<number> {
    try {
      const pruned = await this.log.prune(new Date(Date.now() - this.config.events.retentionSeconds * 1000));
      if (pruned > 0) {
        this.logger.log(`pruned ${pruned} changes older than ${this.config.events.retentionSeconds} s`);
      }
      return pruned;
    } catch (error) {
      this.logger.warn(`pruning the change log failed: ${String(error)}`);
      return 0;
    }
  }
}
