// Startup warm-up of node's tick queue, before the check's filter is built.
//
// node:http takes about eight process.nextTick calls per request. Measured
// on a SQLite server holding a million listed accounts: when V8 first
// optimizes nextTick after the filter's rebuild has read those keys, the code
// it settles on costs about five times as much per call (≈380 ns instead of
// ≈70 ns, in-process). A CPU profile under load put 5.6 µs of every check in
// nextTick, against 0.4 µs on PostgreSQL; with this warm-up the SQLite server
// spent 34–36 µs of CPU per check instead of 39–44. Ticks taken before the
// rebuild get nextTick optimized while the process is small, and it stays
// fast. The cause lies in the runtime, not in cekrek; this costs a few
// milliseconds at start and is harmless wherever the effect does not occur.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Queues `perTurn` empty ticks, `turns` times, letting each batch run. */
export async function warmTickQueue(turns = 50, perTurn = 1000): Promise<number> {
  let ran = 0;
  const tick = () => {
    ran++;
  };
  for (let turn = 0; turn < turns; turn++) {
    for (let i = 0; i < perTurn; i++) process.nextTick(tick);
    await nextTurn();
  }
  return ran;
}
