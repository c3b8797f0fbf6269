// `cekrek operator create|disable` and `cekrek audit verify|checkpoint`: the
// terminal side of the operators and audit services. cli.ts wires them in.
import { userInfo } from 'node:os';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { AuditService, describeBreak } from '../audit/audit.service.ts';
import { checkpointJson, parseExpectedHead } from '../audit/audit.service.ts';
import { OperatorsService, type Actor } from './operators.service.ts';

/** Who ran the command, as the audit log records it. */
function commandLineActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit entry still says "cli".
  }
  return { type: 'cli', id: null, label: `cli:${user}`, ip: null };
}

export async function runOperatorCreate(
  database: Database,
  clock: Clock,
  box: SecretBox,
  input: { email: string; roles: readonly string[]; password?: string | undefined },
): Promise<void> {
  const operators = new OperatorsService(database, new AuditService(database, clock, box), clock);
  const { operator, oneTimePassword } = await operators.create(input, commandLineActor());
  console.log(`created operator ${operator.email} (${operator.roles.join(', ')})`);
  if (oneTimePassword) {
    console.log(
      `one-time password (shown once; it must be changed at first sign-in): ${oneTimePassword}`,
    );
  }
  console.log('at first sign-in the operator enrols an authenticator app (TOTP)');
}

export async function runOperatorDisable(
  database: Database,
  clock: Clock,
  box: SecretBox,
  email: string,
): Promise<void> {
  const operators = new OperatorsService(database, new AuditService(database, clock, box), clock);
  const operator = await operators.disable({ email }, commandLineActor());
  console.log(`disabled operator ${operator.email}; their sessions are ended`);
}

/**
 * Verifies the chain, its keying and its stored checkpoints, and against
 * `head` (a checkpoint or seq:hash written down elsewhere) when given;
 * throws the one-line reason if anything fails.
 */
export async function runAuditVerify(
  database: Database,
  clock: Clock,
  box: SecretBox,
  head?: string,
): Promise<void> {
  const expected = head === undefined ? undefined : parseExpectedHead(head);
  const audit = new AuditService(database, clock, box);
  const report = await audit.verify(expected);
  if (report.firstBreak) throw new Error(describeBreak(report.firstBreak));
  await audit.recordAlone({
    actor: commandLineActor(),
    action: 'audit.verified',
    outcome: 'success',
    details: { entries: report.entries, headSeq: report.headSeq, headHash: report.headHash },
  });
  const against = expected === undefined ? '' : `; it holds entry ${expected.seq} as given`;
  console.log(
    `audit log intact: ${report.entries} entries, head ${report.headSeq} ${report.headHash}${against}`,
  );
}

/** Verifies the chain, then signs, stores and prints its head as one JSON line. */
export async function runAuditCheckpoint(
  database: Database,
  clock: Clock,
  box: SecretBox,
  options: { publicKey?: boolean } = {},
): Promise<void> {
  const audit = new AuditService(database, clock, box);
  if (options.publicKey) {
    process.stdout.write(audit.checkpointPublicKey());
    return;
  }
  console.log(checkpointJson(await audit.checkpoint()));
}
