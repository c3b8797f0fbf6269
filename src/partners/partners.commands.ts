// `cekrek partner create|list` and `cekrek partner key create|roll|revoke`: the
// terminal side of the partners service. cli.ts wires them in. A new key is
// printed once, on its own line, and never again.
import { userInfo } from 'node:os';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { AuditService } from '../audit/audit.service.ts';
import { PartnersService, type IssuedKey, type PartnerActor } from './partners.service.ts';
import type { NewKeyInput, NewPartnerInput } from './partner-input.ts';

/** Who ran the command, as the audit log records it. */
function commandLineActor(): PartnerActor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit entry still says "cli".
  }
  return { type: 'cli', id: null, label: `cli:${user}`, ip: null };
}

function partnersService(database: Database, clock: Clock, box: SecretBox): PartnersService {
  return new PartnersService({
    database,
    audit: new AuditService(database, clock, box),
    clock,
    hashingKey: box.key('partner-key'),
  });
}

/** Reads a positive row id given on the command line, or says which option is wrong. */
export function parseId(value: string, option: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`${option} must be a positive number`);
  return id;
}

export async function runPartnerCreate(
  database: Database,
  clock: Clock,
  box: SecretBox,
  input: {
    name: string;
    kind: string;
    email: string;
    perMinute?: string | undefined;
    perDay?: string | undefined;
    provider: readonly string[];
  },
): Promise<void> {
  const partner = await partnersService(database, clock, box).createPartner(
    {
      name: input.name,
      // The service checks the kind and refuses an unknown one with the list of reasons.
      kind: input.kind as NewPartnerInput['kind'],
      contactEmail: input.email,
      ...(input.perMinute === undefined ? {} : { perMinute: Number(input.perMinute) }),
      ...(input.perDay === undefined ? {} : { perDay: Number(input.perDay) }),
      providerCodes: [...input.provider],
    },
    commandLineActor(),
  );
  console.log(
    `created partner ${partner.id} ${partner.name} (${partner.kind}); limits ${partner.perMinute}/minute, ${partner.perDay}/day`,
  );
}

export async function runPartnerList(database: Database, clock: Clock, box: SecretBox) {
  const partners = await partnersService(database, clock, box).listPartners();
  for (const p of partners) {
    const codes = p.providerCodes.length ? ` [${p.providerCodes.join(', ')}]` : '';
    console.log(`${p.id}\t${p.kind}\t${p.name}${codes}\t${p.perMinute}/minute\t${p.perDay}/day`);
  }
}

function printIssued(issued: IssuedKey, verb: string): void {
  const { key } = issued;
  const expiry = key.expiresAt ? `, expires ${key.expiresAt.toISOString()}` : '';
  console.log(
    `${verb} key ${key.id} "${key.label}" for partner ${key.partnerId} (${key.scopes.join(', ')}${expiry})`,
  );
  console.log('the key (shown once; only a hash of it is kept):');
  console.log(issued.secret);
}

export async function runKeyCreate(
  database: Database,
  clock: Clock,
  box: SecretBox,
  input: {
    partner: string;
    scope: readonly string[];
    label?: string | undefined;
    expires?: string;
  },
): Promise<void> {
  const issued = await partnersService(database, clock, box).issueKey(
    parseId(input.partner, '--partner'),
    {
      label: input.label ?? 'cli',
      scopes: input.scope as NewKeyInput['scopes'],
      ...(input.expires === undefined ? {} : { expiresAt: input.expires }),
    },
    commandLineActor(),
  );
  printIssued(issued, 'issued');
}

export async function runKeyRoll(
  database: Database,
  clock: Clock,
  box: SecretBox,
  input: { partner: string; key: string; expireOldIn?: string | undefined },
): Promise<void> {
  const issued = await partnersService(database, clock, box).rollKey(
    parseId(input.partner, '--partner'),
    parseId(input.key, '--key'),
    input.expireOldIn === undefined ? {} : { expireOldInSeconds: Number(input.expireOldIn) },
    commandLineActor(),
  );
  printIssued(issued, 'rolled key into');
}

export async function runKeyRevoke(
  database: Database,
  clock: Clock,
  box: SecretBox,
  input: { partner: string; key: string },
): Promise<void> {
  const keyId = parseId(input.key, '--key');
  await partnersService(database, clock, box).revokeKey(
    parseId(input.partner, '--partner'),
    keyId,
    commandLineActor(),
  );
  console.log(`revoked key ${keyId}: it fails at once on every server process`);
}
