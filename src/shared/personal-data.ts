// Personal values that people type (the reported person's name, phone and
// social handles, an owner's statement, holder names, answers, file names,
// notes to a ticket) are sealed with the secret box before they are written,
// so neither the database files, nor its WAL, nor a dump hold them in clear.
// They are opened as rows are read, by a Kysely plugin on the services'
// database handle: one place, so no read path can forget, and every screen
// that shows them (behind the audited views) keeps working unchanged.
//
// A sealed value is "p1." followed by SecretBox's text form; the prefix lets
// the plugin open exactly these values and leave every other column alone.
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Database } from '../db/database.ts';
import type { SecretBox } from './secret-box.ts';

const prefix = 'p1.';
const associated = 'personal';
const sealedPattern = /^p1\.v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/;

export function isSealedPersonal(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(prefix) && sealedPattern.test(value);
}

export function sealPersonal(box: SecretBox, value: string): string {
  return `${prefix}${box.seal(value, 'personal', associated)}`;
}

export function sealOptionalPersonal(
  box: SecretBox,
  value: string | null | undefined,
): string | null {
  return value === null || value === undefined ? null : sealPersonal(box, value);
}

/** The clear value; a value that is not sealed (written before sealing began) as it is. */
export function openPersonal(box: SecretBox, value: string): string {
  if (!isSealedPersonal(value)) return value;
  try {
    return box.openText(value.slice(prefix.length), 'personal', associated);
  } catch {
    // Not ours after all (free text that happens to look sealed): shown as stored.
    return value;
  }
}

function openRow(box: SecretBox, row: UnknownRow): UnknownRow {
  let opened: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(row)) {
    if (!isSealedPersonal(value)) continue;
    opened ??= { ...row };
    opened[key] = openPersonal(box, value);
  }
  return opened ?? row;
}

/** Opens sealed personal values in every row a query returns. */
export class OpenPersonalData implements KyselyPlugin {
  readonly #box: SecretBox;

  constructor(box: SecretBox) {
    this.#box = box;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const { result } = args;
    return Promise.resolve({ ...result, rows: result.rows.map((row) => openRow(this.#box, row)) });
  }
}

/**
 * The same database, with sealed personal values opened as rows are read.
 * Services get this handle; writes still seal explicitly (sealPersonal).
 */
export function withPersonalData<T extends Database>(database: T, box: SecretBox): T {
  return { ...database, db: database.db.withPlugin(new OpenPersonalData(box)) };
}
