// Child processes for the benchmark: each measured program runs in a process
// of its own, and every process started here is stopped on the way out.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

const started = new Set<ChildProcess>();

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `node args…` from the project root and waits for it to end. */
export async function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { cpu?: number } = {},
): Promise<Finished> {
  const begun = performance.now();
  const child = startNode(args, env, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  started.delete(child);
  return { code, stdout, stderr, ms: performance.now() - begun };
}

/**
 * With two or more CPUs and `taskset` at hand, the servers share one CPU and
 * the load generator has the other, so neither steals time from the other
 * and bare and check are measured under the same conditions.
 */
export const cpuPinning = availableParallelism() >= 2 && existsSync('/usr/bin/taskset');

/** Starts `node args…` from the project root, left running until stopped. */
export function startNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { cpu?: number } = {},
): ChildProcess {
  const command =
    cpuPinning && options.cpu !== undefined
      ? ['/usr/bin/taskset', '-c', String(options.cpu), process.execPath, ...args]
      : [process.execPath, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...started].map(stop));
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Polls `url` until it answers 200, or fails after `timeoutMs` or when `child` exits. */
export async function waitForOk(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited: ${output.trim()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/**
 * CPU seconds a process has used so far (user and system), from
 * /proc/<pid>/stat; undefined where there is no /proc. A server's CPU per
 * request is its cost whether or not the load generator kept it busy.
 */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux build in use. */
const clockTicksPerSecond = 100;

/**
 * Waits until a process has been quiet (under `share` of one CPU over half a
 * second), or `timeoutMs` has passed: work a previous measurement left behind
 * (a burst of uploads leaves mail and file jobs) is not billed to the next.
 */
export async function untilQuiet(
  pid: number | undefined,
  { share = 0.05, timeoutMs = 30_000 }: { share?: number; timeoutMs?: number } = {},
): Promise<void> {
  const window = 500;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const before = cpuSecondsOf(pid);
    if (before === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, window));
    const after = cpuSecondsOf(pid);
    if (after === undefined || after - before <= share * (window / 1000)) return;
  }
}
