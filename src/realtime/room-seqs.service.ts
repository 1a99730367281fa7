import { Injectable } from '@nestjs/common';
import { ChangeLogRepository } from './change-log.repository';

/** Rooms' change numbers for what is rendered outside the socket (the room page), to resume from. */
@Injectable()
export class RoomSeqsService {
  constructor(private readonly log: ChangeLogRepository) {}

  /**
   * The room's latest seq (0 before its first change). Read it before the state it goes with: a change
   * committed in between is then replayed on resume rather than lost.
   */
  latestOf(roomId: string): Promise<number> {
    return this.log.latest(roomId);
  }
}
