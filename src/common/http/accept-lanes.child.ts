/**
 * Sends the listening handle it is given back to its parent, as many times as asked: each time the IPC
 * channel carries it, the parent receives a new descriptor of the same socket (`addAcceptLanes`). It
 * never listens on the handle itself, so it accepts nothing.
 */
import type { LaneRequest } from './accept-lanes';

process.once('message', (request: LaneRequest, handle: unknown) => {
  for (let copy = 0; copy < request.copies; copy++) {
    process.send!({ copy }, handle as Parameters<NonNullable<typeof process.send>>[1]);
  }
  process.once('disconnect', () => process.exit(0));
});
