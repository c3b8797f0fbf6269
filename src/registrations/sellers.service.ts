// The seller's proof and the buyer's check of it: an approved registration's
// signed links (seller page, QR code, badge), whether a seller link is
// genuine and what it names, and a name check that never reveals the name.
import { toAccountRef, type AccountRef } from '../shared/account-number.ts';
import { maskName, type CheckResult } from '../accounts/accounts.service.ts';
import type { CheckService } from '../accounts/check.service.ts';
import type { Database } from '../db/database.ts';
import type { RegistrationStatus } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { cleanLine } from '../shared/text-input.ts';
import { trackTicket } from '../tickets/tickets.service.ts';
import { matchName, nameTokens, type NameMatch } from './name-match.ts';
import { sellerPagePath, type SellerAsset } from './registrations.paths.ts';
import {
  findApprovedRegistrationOfAccount,
  findRegistrationByPublicId,
  findRegistrationByTicket,
  type RegistrationRecord,
} from './registrations.repository.ts';
import type { SellerSigner } from './seller-signature.ts';

export interface VerifiedSellerView {
  readonly publicId: string;
  readonly account: AccountRef;
  readonly businessName: string;
  readonly businessType: string | null;
  readonly businessTypeOther: string | null;
  /** Masked: "B*** S******". */
  readonly holderName: string;
  readonly verifiedAt: Date;
  /** A verified report put it back in the registrar's queue; it shows meanwhile. */
  readonly underRecheck: boolean;
  /** What the check says of the account now. */
  readonly check: CheckResult;
}

/** What a seller link is worth: genuine, revoked since, or not genuine at all. */
export type SellerLinkVerdict =
  | { readonly state: 'genuine'; readonly seller: VerifiedSellerView }
  | { readonly state: 'revoked'; readonly revokedAt: Date | null }
  | { readonly state: 'not_genuine' };

export interface SellerProof {
  readonly ticket: string;
  readonly status: RegistrationStatus;
  /** The signed links, once approved (null before, and after a revocation). */
  readonly links: SellerLinks | null;
}

export interface SellerLinks {
  /** Absolute, on the configured public address (API answers and e-mails). */
  readonly page: string;
  readonly qrCode: string;
  readonly badge: string;
  /**
   * The same, signed, as paths of this site: what a page shows is loaded from
   * wherever the page itself was opened, whatever the configured address.
   */
  readonly paths: Readonly<Record<SellerAsset, string>>;
}

/** What the seller links and their checks are given. */
export interface SellersDeps {
  readonly database: Database;
  readonly box: SecretBox;
  readonly checks: CheckService;
  readonly signer: SellerSigner;
  /** Name checks per client (keyed hash of its address); undefined = no limit. */
  readonly nameCheckLimiter: RateLimiter | undefined;
  readonly publicBaseUrl: string;
}

/** 96 random bits, base64url: the seller page's id, not guessable, not enumerable. */
const publicIdPattern = /^[A-Za-z0-9_-]{16}$/;

export function isPublicId(value: string): boolean {
  return publicIdPattern.test(value);
}

export class SellersService {
  readonly #d: SellersDeps;

  constructor(deps: SellersDeps) {
    this.#d = deps;
  }

  /** The signed links of an approved registration, or null. */
  links(record: RegistrationRecord): SellerLinks | null {
    if (record.status !== 'approved' || !record.publicId || !record.decidedAt) return null;
    const signature = this.#d.signer.sign({
      publicId: record.publicId,
      accountKey: record.accountKey,
      verifiedAt: record.decidedAt,
    });
    const path = (kind: SellerAsset) => sellerPagePath(record.publicId!, signature, kind);
    const url = (kind: SellerAsset) => new URL(path(kind), this.#d.publicBaseUrl).toString();
    return {
      page: url('page'),
      qrCode: url('qr'),
      badge: url('badge'),
      paths: { page: path('page'), qr: path('qr'), qrPng: path('qrPng'), badge: path('badge') },
    };
  }

  /** The signed seller page (a path) of the account's verified seller, or null. */
  async sellerPageOf(account: AccountRef): Promise<string | null> {
    const record = await findApprovedRegistrationOfAccount(this.#d.database.db, account.key);
    return record ? (this.links(record)?.paths.page ?? null) : null;
  }

  /** What the seller who holds the ticket and its tracking code may print and share. */
  async proof(ticket: string, token: string): Promise<SellerProof | undefined> {
    const { database } = this.#d;
    const tracked = await trackTicket(database, ticket, token);
    if (!tracked || tracked.kind !== 'registration') return undefined;
    const record = await findRegistrationByTicket(database.db, tracked.ticket);
    if (!record) return undefined;
    return { ticket: tracked.ticket, status: record.status, links: this.links(record) };
  }

  /** The registration behind a seller link, if the link is genuine. */
  async #verified(
    publicId: string,
    signature: string,
  ): Promise<{ verdict: SellerLinkVerdict; record?: RegistrationRecord }> {
    const notGenuine = { verdict: { state: 'not_genuine' as const } };
    if (!isPublicId(publicId)) return notGenuine;
    const record = await findRegistrationByPublicId(this.#d.database.db, publicId);
    if (!record?.decidedAt) return notGenuine;
    const claim = { publicId, accountKey: record.accountKey, verifiedAt: record.decidedAt };
    if (!this.#d.signer.verify(claim, signature)) return notGenuine;
    if (record.status === 'revoked') {
      return { verdict: { state: 'revoked', revokedAt: record.recheckedAt } };
    }
    if (record.status !== 'approved') return notGenuine;
    const account = toAccountRef(record.provider, record.number);
    const { result } = await this.#d.checks.check(account);
    return {
      record,
      verdict: {
        state: 'genuine',
        seller: {
          publicId,
          account,
          businessName: record.businessName,
          businessType: record.businessType,
          businessTypeOther: record.businessTypeOther,
          holderName: maskName(record.holderName),
          verifiedAt: record.decidedAt,
          underRecheck: record.flagged,
          check: result,
        },
      },
    };
  }

  /** The public key that signs seller links (SPKI PEM). */
  publicKeyPem(): string {
    return this.#d.signer.publicKeyPem();
  }

  async verifySellerLink(publicId: string, signature: string): Promise<SellerLinkVerdict> {
    return (await this.#verified(publicId, signature)).verdict;
  }

  /**
   * Compares the name a buyer was given with the registered holder's, on a
   * genuine link only; limited per seller page and client, so it cannot be
   * used to guess the name, and buyers of other sellers behind the same
   * address are not refused. Answers one of three words, never the name.
   */
  async checkName(
    publicId: string,
    signature: string,
    name: string,
    client: string,
  ): Promise<{ result: NameMatch; holderName: string }> {
    const key = this.#d.box.keyedHash(`page:${publicId}:client:${client}`, 'field');
    const verdict = await this.#d.nameCheckLimiter?.hit(key);
    if (verdict && !verdict.allowed) {
      throw new AppError('rate_limited', { params: { seconds: verdict.resetSeconds } });
    }
    const given = cleanLine(name);
    if (given.length > 200 || nameTokens(given).length === 0) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'name', reason: 'registration.nameCheck.required' }],
      });
    }
    const { verdict: link, record } = await this.#verified(publicId, signature);
    if (link.state !== 'genuine' || !record) throw new AppError('not_found');
    return { result: matchName(record.holderName, given), holderName: link.seller.holderName };
  }
}
