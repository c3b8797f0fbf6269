// Feature services built directly over a test database, wired as
// src/main.ts wires them, with the collaborators each test chooses. By
// default they are the real ones: the file store over the database's own
// DATA_DIR, the audit log, the check (over the same database), the proof of
// work (off). The job worker's wake-up is always a counter: no worker runs,
// so mail a service queues stays in the jobs table, where queuedMails reads it.
import { Readable } from 'node:stream';
import { serializeCheck } from '../../src/accounts/check.schema.ts';
import { CheckService } from '../../src/accounts/check.service.ts';
import { checkSourceFor } from '../../src/accounts/check.source.ts';
import type { AuditEntry, AuditEvent } from '../../src/audit/audit.events.ts';
import { AuditService } from '../../src/audit/audit.service.ts';
import { ChallengeService } from '../../src/challenge/challenge.service.ts';
import type { Database, Executor } from '../../src/db/database.ts';
import { FileStore, type StagedFile } from '../../src/files/files.service.ts';
import { openMail, type QueuedMail } from '../../src/mail/mail.jobs.ts';
import type { MailMessage } from '../../src/mail/mailer.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import { withPersonalData } from '../../src/shared/personal-data.ts';
import { SecretBox } from '../../src/shared/secret-box.ts';
import type { TestDatabase } from './databases.ts';
import { smallJpeg } from './multipart.ts';

export interface ServiceKit {
  /** The services' handle: personal values sealed at rest are opened as rows are read. */
  readonly database: Database;
  /** The same database as stored, sealed values and all. */
  readonly stored: Database;
  readonly box: SecretBox;
  readonly clock: ManualClock;
  readonly files: FileStore;
  readonly audit: AuditService;
  readonly checks: CheckService;
  readonly challenges: ChallengeService;
  readonly publicBaseUrl: string;
  /** How many times a service nudged the job worker. */
  readonly wakes: { count: number };
  readonly wakeJobs: () => void;
}

export interface KitChoices {
  readonly clock?: ManualClock;
  /** Another audit log than the real one, e.g. a RecordingAudit. */
  readonly audit?: (deps: {
    database: Database;
    clock: ManualClock;
    box: SecretBox;
  }) => AuditService;
}

export async function serviceKit(
  testDatabase: TestDatabase,
  choices: KitChoices = {},
): Promise<ServiceKit> {
  const box = new SecretBox('a-test-secret-key-for-the-services-000');
  const stored = testDatabase.database;
  const database = withPersonalData(stored, box);
  const clock = choices.clock ?? new ManualClock('2026-03-01T05:00:00Z');
  const audit = choices.audit?.({ database, clock, box }) ?? new AuditService(database, clock, box);
  await audit.ensureKeyed();
  const checks = new CheckService(checkSourceFor(database), { serialize: serializeCheck });
  await checks.warm();
  const wakes = { count: 0 };
  return {
    database,
    stored,
    box,
    clock,
    files: new FileStore({ database, box, clock, dataDir: testDatabase.dataDir }),
    audit,
    checks,
    challenges: new ChallengeService({ enabled: false, box, clock }),
    publicBaseUrl: 'https://cekrek.test',
    wakes,
    wakeJobs: () => {
      wakes.count += 1;
    },
  };
}

/** A small JPEG staged as an upload of `field` would be: cleaned, encrypted, without a row. */
export async function stagedJpeg(
  files: FileStore,
  field: string,
  seed: number,
  options: { fileName?: string; sensitive?: boolean } = {},
): Promise<StagedFile> {
  return files.stage({
    field,
    content: Readable.from([await smallJpeg(seed)]),
    fileName: options.fileName ?? `${field}.jpg`,
    sensitive: options.sensitive ?? false,
  });
}

/** Every message queued so far, oldest first, opened as the worker would open it. */
export async function queuedMails(kit: ServiceKit): Promise<MailMessage[]> {
  const rows = await kit.stored.db
    .selectFrom('jobs')
    .select('payload')
    .where('kind', '=', 'mail.send')
    .orderBy('id')
    .execute();
  return rows.map((row) => openMail(kit.box, JSON.parse(row.payload) as QueuedMail));
}

/**
 * An audit log that keeps its events in memory and writes nothing: for tests
 * about what a service audits, not about how the chain is kept (test/audit.test.ts).
 */
export class RecordingAudit extends AuditService {
  readonly events: AuditEvent[] = [];
  readonly #clock: ManualClock;

  constructor(deps: { database: Database; clock: ManualClock; box: SecretBox }) {
    super(deps.database, deps.clock, deps.box);
    this.#clock = deps.clock;
  }

  override ensureKeyed(): Promise<void> {
    return Promise.resolve();
  }

  override record(_trx: Executor, event: AuditEvent): Promise<AuditEntry> {
    return this.recordAlone(event);
  }

  override recordAlone(event: AuditEvent): Promise<AuditEntry> {
    this.events.push(event);
    return Promise.resolve({
      seq: this.events.length,
      at: this.#clock.now(),
      actorType: event.actor.type,
      actorId: event.actor.id,
      actorLabel: event.actor.label,
      action: event.action,
      subjectType: event.subject?.type ?? null,
      subjectId: event.subject?.id ?? null,
      ip: event.ip ?? null,
      outcome: event.outcome ?? 'success',
      details: event.details ?? {},
      prevHash: '',
      hash: '',
    });
  }

  /** The actions recorded about one subject, oldest first. */
  actionsOn(type: string, id: number | string): string[] {
    return this.events
      .filter((e) => e.subject?.type === type && e.subject.id === String(id))
      .map((e) => e.action);
  }
}
