import { Inject, Injectable } from '@nestjs/common';
import pLimit, { LimitFunction } from 'p-limit';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { busy } from '../common/errors/app-error';

/** What a client refused for a full queue is told to wait, seconds. */
export const POOL_RETRY_AFTER_SECONDS = 2;

/**
 * At most IMAGE_CONCURRENCY images processed at once, and at most IMAGE_QUEUE_LENGTH waiting for a
 * turn: decoding is CPU-bound work on libuv's thread pool, which file reads share, so uploads beyond
 * that would only make every request slower. A full queue answers 503 with `Retry-After`.
 */
@Injectable()
export class ImageProcessingPool {
  private readonly limit: LimitFunction;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.limit = pLimit(config.images.concurrency);
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    const { concurrency, queueLength } = this.config.images;
    if (this.limit.activeCount + this.limit.pendingCount >= concurrency + queueLength) {
      return Promise.reject(
        busy(
          `Too many images are being processed; try again in ${POOL_RETRY_AFTER_SECONDS} s`,
          POOL_RETRY_AFTER_SECONDS,
        ),
      );
    }
    return this.limit(task);
  }
}
