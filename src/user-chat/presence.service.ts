import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { KeyedBatcher } from '../common/database/keyed-batcher';
import { UserChatService } from '../user-chat/user-chat.service';
import { PresenceStore } from './presence-store';

/** How often every instance reconciles the online flags with the live connection counts. */
export const RECONCILE_INTERVAL_MS = 5_000;

export type Admission = 'counted' | 'uncounted' | 'refused';

/**
 * Online means at least one websocket connection on any instance. A user goes online with their first
 * connection and offline a short grace period after their last one closes (so a page reload does not
 * flap), and the periodic reconcile takes care of instances that died.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap {
  private readonly logger = new Logger('PresenceService');
  private readonly offlineTimers = new Map<string, NodeJS.Timeout>();
  private reconcileTimer: NodeJS.Timeout | undefined;
  /**
   * Users whose connection opened, marked online together: a crowd reconnecting at once (a server
   * restart, a network blip) costs one statement for all of them, which changes only those not online yet.
   */
  private readonly goingOnline = new KeyedBatcher<'online', string, void>(async (_key, userIds) => {
    await this.userChats.setOnline(userIds, true);
    return userIds.map(() => undefined);
  });
  /** Users whose grace ran out, checked and marked offline together (a crowd that dropped at once). */
  private readonly goingOffline = new KeyedBatcher<'offline', string, void>(async (_key, userIds) => {
    await this.setOfflineWhereUnconnected([...new Set(userIds)]);
    return userIds.map(() => undefined);
  });

  constructor(
    private readonly store: PresenceStore,
    private readonly userChats: UserChatService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.start();
    await this.reconcile();
    this.reconcileTimer = setInterval(() => void this.reconcile(), RECONCILE_INTERVAL_MS);
    this.reconcileTimer.unref();
  }

  /** Marks this instance's users offline where no other instance holds them, then leaves the store. */
  async stop(localUserIds: string[]): Promise<void> {
    clearInterval(this.reconcileTimer);
    for (const timer of this.offlineTimers.values()) {
      clearTimeout(timer);
    }
    const pending = [...new Set([...localUserIds, ...this.offlineTimers.keys()])];
    this.offlineTimers.clear();
    await this.store.stop();
    await this.setOfflineWhereUnconnected(pending).catch((error: unknown) =>
      this.logger.warn(`presence on shutdown: ${String(error)}`),
    );
  }

  /**
   * Counts a new connection of the user against WS_MAX_CONNECTIONS_PER_USER on all instances together:
   * `refused` when the user is at the limit; `uncounted` when the store cannot be reached (the
   * connection goes on, held to the per-instance limit only). Counted at once, before the connection's
   * set-up, so that a reload closing one tab's connection meanwhile does not take the user offline.
   */
  async admit(userId: string): Promise<Admission> {
    try {
      if (!(await this.store.admit(userId, this.config.rateLimits.connectionsPerUser))) {
        return 'refused';
      }
    } catch (error) {
      this.logger.warn(`presence: ${String(error)}`);
      return 'uncounted';
    }
    const timer = this.offlineTimers.get(userId);
    if (timer) {
      clearTimeout(timer);
      this.offlineTimers.delete(userId);
    }
    return 'counted';
  }

  /** The connection is set up: the user is online. */
  async connectionOpened(userId: string): Promise<void> {
    await this.goingOnline.submit('online', userId);
  }

  /** An admitted connection closed (`counted`: as `admit` answered). */
  async connectionClosed(userId: string, counted: boolean): Promise<void> {
    if (counted && (await this.store.decrement(userId)) > 0) {
      return;
    }
    const check = () => {
      this.offlineTimers.delete(userId);
      void this.goingOffline
        .submit('offline', userId)
        .catch((error: unknown) => this.logger.warn(`presence: ${String(error)}`));
    };
    if (this.config.ws.presenceGraceMs === 0) {
      check();
      return;
    }
    this.offlineTimers.set(userId, setTimeout(check, this.config.ws.presenceGraceMs));
  }

  /** Users marked online with no connection anywhere (and not within a grace period here) go offline. */
  async reconcile(): Promise<void> {
    try {
      await this.store.sweepDeadInstances();
      const online = (await this.userChats.onlineUserIds()).filter((userId) => !this.offlineTimers.has(userId));
      await this.setOfflineWhereUnconnected(online);
    } catch (error) {
      this.logger.warn(`presence reconcile: ${String(error)}`);
    }
  }

  private async setOfflineWhereUnconnected(userIds: string[]): Promise<void> {
    const counts = await this.store.globalCounts(userIds);
    const unconnected = [...counts].filter(([, count]) => count === 0).map(([userId]) => userId);
    const wentOffline = await this.userChats.setOnline(unconnected, false);
    // A connection may have opened while we looked: put those users back online.
    const back = [...(await this.store.globalCounts(wentOffline))].filter(([, count]) => count > 0);
    await this.userChats.setOnline(
      back.map(([userId]) => userId),
      true,
    );
  }
}
