import { nowMs } from './stats';

/**
 * Calls `each` at a steady rate for the duration (the n-th call due at start + n / rate, whatever the
 * earlier ones take), and resolves once every call has settled.
 */
export async function paced(
  perSecond: number,
  durationSeconds: number,
  each: (index: number) => Promise<unknown>,
): Promise<void> {
  const total = Math.round(perSecond * durationSeconds);
  const interval = 1000 / perSecond;
  const started = nowMs();
  const inFlight: Promise<unknown>[] = [];
  for (let index = 0; index < total; index++) {
    const wait = started + index * interval - nowMs();
    if (wait > 0) {
      await new Promise((done) => setTimeout(done, wait));
    }
    inFlight.push(each(index).catch(() => undefined));
  }
  await Promise.all(inFlight);
}
