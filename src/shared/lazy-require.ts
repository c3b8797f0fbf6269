// Dependencies that only some processes need, loaded on first use: a start
// compiles none of them unless it uses them (the Redis client, the
// PostgreSQL driver, the image codec and the mail transport together took
// about a third of a second of every start). Each has a CommonJS entry, so
// loading it stays synchronous where it is used.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function that loads `name` the first time it is called and answers the same module after. */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
