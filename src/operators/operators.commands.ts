// `cekrek operator create|disable` and `cekrek audit verify`: the terminal
// side of the operators and audit services. cli.ts wires them in.
import { userInfo } from 'node:os';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AuditService } from '../audit/audit.service.ts';
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
  input: { email: string; roles: readonly string[]; password?: string | undefined },
): Promise<void> {
  const operators = new OperatorsService(database, new AuditService(database, clock), clock);
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
  email: string,
): Promise<void> {
  const operators = new OperatorsService(database, new AuditService(database, clock), clock);
  const operator = await operators.disable({ email }, commandLineActor());
  console.log(`disabled operator ${operator.email}; their sessions are ended`);
}

/** Verifies the chain; throws the one-line reason if it is broken. */
export async function runAuditVerify(database: Database, clock: Clock): Promise<void> {
  const audit = new AuditService(database, clock);
  const report = await audit.verify();
  if (report.firstBreak) {
    const { seq, problem, explanation } = report.firstBreak;
    throw new Error(`audit log broken at entry ${seq}: ${problem} (${explanation})`);
  }
  await audit.recordAlone({
    actor: commandLineActor(),
    action: 'audit.verified',
    outcome: 'success',
    details: { entries: report.entries, headSeq: report.headSeq, headHash: report.headHash },
  });
  console.log(
    `audit log intact: ${report.entries} entries, head ${report.headSeq} ${report.headHash}`,
  );
}
