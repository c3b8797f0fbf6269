// `cekrek import` and `cekrek export`: the terminal side of the import and
// export services (progress, messages, exit reasons). cli.ts wires them in.
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { lazyRequire } from '../shared/lazy-require.ts';
import type { Database } from '../db/database.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { Clock } from '../shared/clock.ts';
import type { RowProblem } from './import.csv.ts';
import { importReports, type ImportProgress, type ImportSummary } from './import.service.ts';
import { exportReportsCsv } from './export.service.ts';

/** The progress bars, loaded by the import command only. */
const progress = lazyRequire<typeof import('cli-progress')>('cli-progress');

interface ImportDisplay {
  problem(problem: RowProblem): void;
  progress(progress: ImportProgress): void;
  stop(): void;
}

const phaseLabels = { validating: 'checking', loading: 'loading ' } as const;

/** A progress bar over the bytes of the file, redrawn in place; problems print above it. */
function terminalDisplay(totalBytes: number, stream: NodeJS.WriteStream): ImportDisplay {
  const bars = new (progress().MultiBar)(
    {
      stream,
      format:
        '{phase} |{bar}| {percentage}% | {rows} rows | {loaded} loaded | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    progress().Presets.shades_classic,
  );
  const bar = bars.create(totalBytes, 0, { phase: phaseLabels.validating, rows: 0, loaded: 0 });
  return {
    problem: (p) => bars.log(`line ${p.line}: ${p.reason}\n`),
    progress: (p) =>
      bar.update(p.bytes, { phase: phaseLabels[p.phase], rows: p.rows, loaded: p.loaded }),
    stop: () => bars.stop(),
  };
}

const plainEveryMs = 10_000;

/** Not a terminal (a log, a pipe): problems as lines, and a progress line now and then. */
function plainDisplay(totalBytes: number, stream: Writable): ImportDisplay {
  let last = performance.now();
  return {
    problem: (p) => stream.write(`line ${p.line}: ${p.reason}\n`),
    progress(p) {
      const now = performance.now();
      if (now - last < plainEveryMs) return;
      last = now;
      const percent = totalBytes > 0 ? Math.floor((p.bytes / totalBytes) * 100) : 0;
      stream.write(`${p.phase}: ${p.rows} rows (${percent}%), ${p.loaded} loaded\n`);
    },
    stop: () => undefined,
  };
}

export function importSummaryLine(summary: ImportSummary): string {
  const seconds = (summary.durationMs / 1000).toFixed(1);
  return (
    `read ${summary.read} rows: ${summary.loaded} loaded, ` +
    `${summary.alreadyPresent} already present (skipped duplicates), ` +
    `${summary.invalid} invalid, in ${seconds} s`
  );
}

function refusalReason(summary: ImportSummary): string {
  const valid = summary.read - summary.invalid;
  return valid > 0
    ? `nothing loaded: ${summary.invalid} invalid rows (fix them, or use --skip-invalid to load the ${valid} valid rows)`
    : `nothing loaded: all ${summary.invalid} rows are invalid`;
}

export interface ImportCommandOptions {
  readonly skipInvalid: boolean;
  readonly clock: Clock;
  readonly box: SecretBox;
}

/** Imports the file; prints bad rows and progress to stderr, the summary to stdout. Throws the one-line reason when nothing was loaded. */
export async function runImport(
  database: Database,
  file: string,
  options: ImportCommandOptions,
): Promise<ImportSummary> {
  const totalBytes = statSync(file).size;
  const display = process.stderr.isTTY
    ? terminalDisplay(totalBytes, process.stderr)
    : plainDisplay(totalBytes, process.stderr);
  let summary: ImportSummary;
  try {
    summary = await importReports(database, () => createReadStream(file), {
      clock: options.clock,
      box: options.box,
      skipInvalid: options.skipInvalid,
      onProblem: (p) => display.problem(p),
      onProgress: (p) => display.progress(p),
    });
  } finally {
    display.stop();
  }
  console.log(importSummaryLine(summary));
  if (summary.refused) throw new Error(refusalReason(summary));
  return summary;
}

function isBrokenPipe(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EPIPE';
}

/** Writes every verified report as import CSV to the file (complete or not at all), or to stdout. */
export async function runExport(database: Database, output: string | undefined): Promise<void> {
  const csv = Readable.from(exportReportsCsv(database.db));
  if (!output) {
    // A reader that stops early (`| head`) is no failure.
    await pipeline(csv, process.stdout, { end: false }).catch((error: unknown) => {
      if (!isBrokenPipe(error)) throw error;
    });
    return;
  }
  const partial = `${output}.partial`;
  try {
    await pipeline(csv, createWriteStream(partial));
    renameSync(partial, output);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
