/**
 * Open Badges 3.0 credentials for certificates: the OpenBadgeCredential (W3C VC Data Model 2.0),
 * signed with Ed25519, with a Bitstring Status List entry for revocation (./status-list.ts).
 *
 * Securing mechanism: a VC-JWT — a compact JWS (alg EdDSA, Ed25519) whose payload is the
 * credential itself — as Open Badges 3.0 §8.2 "JSON Web Token Proof Format" specifies it, which
 * is also the W3C "Securing Verifiable Credentials using JOSE and COSE" (VC-JOSE) shape: the
 * credential's members at the top level (no `vc` wrapper) plus the registered claims `iss`,
 * `jti`, `nbf`, `exp` (and `sub` when the subject has an id) mirroring issuer, id, validFrom,
 * validUntil. Why this and not a Data Integrity proof (eddsa-rdfc-2022): it is one of the two
 * proof formats OB 3.0 defines, every JOSE library can verify it, and it needs no JSON-LD
 * canonicalization (no document loader, no RDF library, no remote contexts at sign time).
 * `jose` (already a dependency) signs; the header carries `kid` = the verification method.
 * The JWT `typ` is `JWT`, as OB 3.0 requires when present (VC-JOSE only recommends `vc+jwt`).
 *
 * For `GET /api/certificates/{id}/credential.json` serve `enveloped`: the VC 2.0
 * EnvelopedVerifiableCredential (`id` = `data:application/vc+jwt,<jwt>`), the JSON form of a
 * JOSE-secured credential; or serve `jwt` itself as `application/vc+jwt`.
 *
 * Key handling: `loadOrCreateBadgeKeys(file)` is for local runs only (a private JWK in a 0600
 * file). On AWS the caller reads the same JWK from Secrets Manager / SSM and passes the KeyObject
 * to `signCredential`; nothing here talks to AWS.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { compactVerify, SignJWT } from 'jose';

import type { Language } from '../locale/language';
import { titleLanguage } from '../locale/title';

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT_V3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

// ---------------------------------------------------------------------------------------------
// The credential.

export interface OpenBadgeInput {
  certificateId: string;
  /** `DESTT-{year}-{region code}-{6-digit sequence}`. */
  number: string;
  /** Full name exactly as on the certificate. */
  holderName: string;
  /** The holder's language: the achievement's name, description and criteria are in it. */
  language: Language;
  trainingTitle: { kk?: string; ru?: string; en?: string };
  /** The achievement's description; defaults to the title. */
  description?: string;
  /** Attended / credited hours (stated in the criteria narrative). */
  hours: number;
  /** ECTS credits: the achievement's `creditsAvailable`. */
  ects?: number;
  /** ISO-8601 instant: `validFrom` and `awardedDate`. */
  issuedAt: string;
  /** ISO-8601 instant. */
  validUntil: string;
  /** The issuing organisation: `id` is its URL (or DID), the Profile's id. */
  issuer: { id: string; name: string };
  /** e.g. `https://cert.example.kz`; the credential id is `{publicBaseUrl}/certificates/{certificateId}`. */
  publicBaseUrl: string;
  /** URL of the BitstringStatusListCredential holding this certificate's bit. */
  statusListUrl: string;
  statusListIndex: number;
  /** The training's stable achievement URL, if it has one; defaults to `{credential id}#achievement`. */
  achievementId?: string;
}

export interface IdentityObject {
  type: 'IdentityObject';
  hashed: boolean;
  identityHash: string;
  identityType: 'name';
}

export interface Achievement {
  id: string;
  type: 'Achievement';
  achievementType: 'Certificate';
  name: string;
  description: string;
  criteria: { narrative: string };
  creditsAvailable?: number;
  inLanguage: Language;
}

export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation';
  statusListIndex: string;
  statusListCredential: string;
}

export interface OpenBadgeCredential {
  '@context': [typeof VC_CONTEXT_V2, typeof OB_CONTEXT_V3];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  name: string;
  description: string;
  issuer: { id: string; type: 'Profile'; name: string };
  validFrom: string;
  validUntil: string;
  awardedDate: string;
  credentialSubject: {
    type: 'AchievementSubject';
    identifier: IdentityObject[];
    achievement: Achievement;
  };
  credentialStatus: BitstringStatusListEntry;
}

const certificateLabel: Record<Language, (number: string) => string> = {
  kk: (number) => `Сертификат № ${number}`,
  ru: (number) => `Сертификат № ${number}`,
  en: (number) => `Certificate No. ${number}`,
};

const criteriaNarrative: Record<Language, (hours: string) => string> = {
  kk: (hours) => `${hours} сағаттық оқыту бағдарламасын толық аяқтады.`,
  ru: (hours) => `Полностью освоил(а) программу обучения объёмом ${hours} ч.`,
  en: (hours) => `Completed the ${hours}-hour training programme.`,
};

/** An ISO-8601 instant as a UTC dateTimeStamp (`…Z`, no zero milliseconds); throws if invalid. */
function instant(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`${field} is not an ISO-8601 instant: ${value}`);
  return new Date(time).toISOString().replace('.000Z', 'Z');
}

export function certificatePublicUrl(publicBaseUrl: string, certificateId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/certificates/${encodeURIComponent(certificateId)}`;
}

/**
 * The unsigned OpenBadgeCredential.
 *
 * Language: OB 3.0's JSON Schema types `name` and `description` as plain strings, so a VC 2.0
 * language-value array (`[{ "@value", "@language" }]`) would make the credential invalid for OB
 * validators. The achievement therefore carries the title in the holder's language (falling back
 * to en, ru, kk) with `inLanguage` naming the language actually used.
 *
 * The holder has no DID, so the subject is identified by name (an unhashed IdentityObject of
 * type `name`). The certificate number goes into the credential's `description`.
 */
export function buildOpenBadgeCredential(input: OpenBadgeInput): OpenBadgeCredential {
  const inLanguage = titleLanguage(input.trainingTitle, input.language);
  if (!inLanguage) throw new Error(`Certificate ${input.certificateId} has no training title.`);
  const title = (input.trainingTitle[inLanguage] ?? '').trim();
  if (!input.holderName.trim()) throw new Error(`Certificate ${input.certificateId} has no holder name.`);
  if (!Number.isFinite(input.hours) || input.hours <= 0) throw new Error(`Certificate ${input.certificateId}: hours must be positive.`);
  if (input.ects !== undefined && (!Number.isFinite(input.ects) || input.ects < 0)) {
    throw new Error(`Certificate ${input.certificateId}: ects must be a non-negative number.`);
  }
  if (!Number.isSafeInteger(input.statusListIndex) || input.statusListIndex < 0) {
    throw new Error(`Certificate ${input.certificateId}: statusListIndex must be a non-negative integer.`);
  }

  const validFrom = instant(input.issuedAt, 'issuedAt');
  const validUntil = instant(input.validUntil, 'validUntil');
  if (Date.parse(validUntil) <= Date.parse(validFrom)) {
    throw new Error(`Certificate ${input.certificateId}: validUntil must be after issuedAt.`);
  }

  const id = certificatePublicUrl(input.publicBaseUrl, input.certificateId);
  const achievement: Achievement = {
    id: input.achievementId ?? `${id}#achievement`,
    type: 'Achievement',
    achievementType: 'Certificate',
    name: title,
    description: input.description?.trim() || title,
    criteria: { narrative: criteriaNarrative[inLanguage](String(input.hours)) },
    ...(input.ects === undefined ? {} : { creditsAvailable: input.ects }),
    inLanguage,
  };

  return {
    '@context': [VC_CONTEXT_V2, OB_CONTEXT_V3],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: title,
    description: certificateLabel[inLanguage](input.number),
    issuer: { id: input.issuer.id, type: 'Profile', name: input.issuer.name },
    validFrom,
    validUntil,
    awardedDate: validFrom,
    credentialSubject: {
      type: 'AchievementSubject',
      identifier: [{ type: 'IdentityObject', hashed: false, identityHash: input.holderName, identityType: 'name' }],
      achievement,
    },
    credentialStatus: {
      id: `${input.statusListUrl}#${input.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(input.statusListIndex),
      statusListCredential: input.statusListUrl,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Signing and verification (VC-JWT, EdDSA / Ed25519).

/** What signing needs from any VC 2.0 credential (OpenBadgeCredential, status list credential). */
export interface SignableCredential {
  id?: string;
  type: readonly string[];
  issuer: string | { id: string };
  validFrom?: string;
  validUntil?: string;
  credentialSubject: { id?: string; type?: string | readonly string[] };
}

export interface SigningKey {
  /** An Ed25519 private key. */
  privateKey: KeyObject;
  /** URL (or DID URL) of the public key, e.g. `https://…/issuer#key-1`: the JWS `kid`. */
  verificationMethod: string;
}

export interface EnvelopedVerifiableCredential {
  '@context': typeof VC_CONTEXT_V2;
  id: string;
  type: 'EnvelopedVerifiableCredential';
}

export interface SignedCredential<C> {
  /** The credential that was signed (the JWT payload without its registered claims). */
  credential: C;
  /** The compact JWS (VC-JWT): the secured credential. Media type `application/vc+jwt`. */
  jwt: string;
  /** The JSON form of the secured credential: serve this as credential.json. */
  enveloped: EnvelopedVerifiableCredential;
}

const JWT_CLAIMS = ['iss', 'jti', 'nbf', 'exp', 'sub', 'iat'] as const;
const ENVELOPE_PREFIX = 'data:application/vc+jwt,';

function issuerId(credential: SignableCredential): string {
  return typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
}

function seconds(value: string): number {
  return Math.floor(Date.parse(value) / 1000);
}

/** The registered JWT claims OB 3.0 §8.2 derives from the credential. */
function registeredClaims(credential: SignableCredential): Record<string, string | number> {
  return {
    iss: issuerId(credential),
    ...(credential.id === undefined ? {} : { jti: credential.id }),
    ...(credential.validFrom === undefined ? {} : { nbf: seconds(credential.validFrom) }),
    ...(credential.validUntil === undefined ? {} : { exp: seconds(credential.validUntil) }),
    ...(credential.credentialSubject.id === undefined ? {} : { sub: credential.credentialSubject.id }),
  };
}

function assertEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`Expected an Ed25519 ${type} key, got a ${key.asymmetricKeyType ?? key.type} ${key.type} key.`);
  }
}

/** Signs a credential as a VC-JWT (compact JWS, alg EdDSA, `kid` = verification method). */
export async function signCredential<C extends SignableCredential>(
  credential: C,
  key: SigningKey,
): Promise<SignedCredential<C>> {
  assertEd25519(key.privateKey, 'private');
  const members = credential as C & Record<string, unknown>;
  if ('proof' in members) throw new Error('The credential already has an embedded proof.');
  for (const claim of JWT_CLAIMS) {
    if (claim in members) throw new Error(`The credential has a member named "${claim}", a JWT claim name.`);
  }
  const jwt = await new SignJWT({ ...members, ...registeredClaims(credential) })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: key.verificationMethod })
    .sign(key.privateKey);
  return { credential, jwt, enveloped: envelope(jwt) };
}

/** The VC 2.0 EnvelopedVerifiableCredential wrapping a VC-JWT. */
export function envelope(jwt: string): EnvelopedVerifiableCredential {
  return { '@context': VC_CONTEXT_V2, id: `${ENVELOPE_PREFIX}${jwt}`, type: 'EnvelopedVerifiableCredential' };
}

export interface VerifiedCredential {
  /** The credential (JWT payload without the registered claims). */
  credential: SignableCredential & Record<string, unknown>;
  /** The `kid` of the JWS header, if any. */
  verificationMethod: string | undefined;
}

/**
 * Verifies a VC-JWT (or its EnvelopedVerifiableCredential) against an Ed25519 public key and
 * checks that the registered claims agree with the credential's own members. Throws if the
 * signature or the claims do not hold. Does not check the validity period or the status list:
 * an expired or revoked certificate is still authentic, and the caller reports which it is.
 */
export async function verifyCredential(
  signed: string | EnvelopedVerifiableCredential,
  publicKey: KeyObject,
): Promise<VerifiedCredential> {
  assertEd25519(publicKey, 'public');
  let jwt: string;
  if (typeof signed === 'string') {
    jwt = signed;
  } else {
    if (signed.type !== 'EnvelopedVerifiableCredential' || !signed.id.startsWith(ENVELOPE_PREFIX)) {
      throw new Error('Not an EnvelopedVerifiableCredential holding a VC-JWT.');
    }
    jwt = signed.id.slice(ENVELOPE_PREFIX.length);
  }

  const { payload, protectedHeader } = await compactVerify(jwt, publicKey, { algorithms: ['EdDSA'] });
  if (protectedHeader.typ !== undefined && protectedHeader.typ !== 'JWT' && protectedHeader.typ !== 'vc+jwt') {
    throw new Error(`Unexpected JWS typ "${protectedHeader.typ}".`);
  }

  const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('The JWT payload is not an object.');
  const claims = parsed as Record<string, unknown>;
  const credential = Object.fromEntries(
    Object.entries(claims).filter(([name]) => !(JWT_CLAIMS as readonly string[]).includes(name)),
  ) as SignableCredential & Record<string, unknown>;

  const types = credential.type;
  if (!Array.isArray(types) || !types.includes('VerifiableCredential')) throw new Error('The JWT payload is not a verifiable credential.');
  const issuer = credential.issuer as unknown;
  const issuerOk = typeof issuer === 'string' || (typeof issuer === 'object' && issuer !== null && typeof (issuer as { id?: unknown }).id === 'string');
  const subject = credential.credentialSubject as unknown;
  if (!issuerOk || typeof subject !== 'object' || subject === null) throw new Error('The credential lacks an issuer or a subject.');

  const expected = registeredClaims(credential);
  for (const claim of JWT_CLAIMS) {
    if (claims[claim] !== expected[claim]) {
      throw new Error(`JWT claim "${claim}" (${String(claims[claim])}) does not match the credential (${String(expected[claim])}).`);
    }
  }
  return { credential, verificationMethod: protectedHeader.kid };
}

// ---------------------------------------------------------------------------------------------
// Local keys.

export interface BadgeKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as a JWK (kty OKP, crv Ed25519): publish it at the verification method URL. */
  publicJwk: JsonWebKey;
}

function keysFromPrivate(privateKey: KeyObject): BadgeKeys {
  assertEd25519(privateKey, 'private');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicJwk: publicKey.export({ format: 'jwk' }) };
}

/** Reads an Ed25519 private JWK (kty OKP, crv Ed25519, with `d`), e.g. a secret's value. */
export function badgeKeysFromJwk(jwk: JsonWebKey): BadgeKeys {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new Error('Expected an Ed25519 private JWK (kty "OKP", crv "Ed25519", x and d).');
  }
  return keysFromPrivate(createPrivateKey({ key: jwk, format: 'jwk' }));
}

/**
 * Local development only: the Ed25519 key pair stored as a private JWK in `file`, created (mode
 * 0600, never overwriting) if the file does not exist. Refuses a key file that group or others
 * can read or write.
 */
export function loadOrCreateBadgeKeys(file: string): BadgeKeys {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(file), { recursive: true });
    try {
      // 'wx': fail rather than overwrite if another process created the file meanwhile.
      writeFileSync(file, `${JSON.stringify(privateKey.export({ format: 'jwk' }))}\n`, { mode: 0o600, flag: 'wx' });
      return keysFromPrivate(privateKey);
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
      text = readFileSync(file, 'utf8');
    }
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new Error(`Badge key file ${file} is accessible by group or others; chmod 600 it.`);
  }
  let jwk: JsonWebKey;
  try {
    jwk = JSON.parse(text) as JsonWebKey;
  } catch (error) {
    throw new Error(`Badge key file ${file} is not JSON.`, { cause: error });
  }
  return badgeKeysFromJwk(jwk);
}
