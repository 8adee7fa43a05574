import { readFile } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import type { OrgSnapshot } from '../../model/account.js';
import { errorCode } from './iam-artifacts.js';
import { accountOfArn, dateField, field, isRecord, list, str } from './values.js';

/**
 * Two AWS CLI responses the core loader does not read yet, needed by CIS checks:
 * `iam-list-virtual-mfa-devices.json` (a root MFA listed there is virtual, not hardware) and
 * `iam-list-server-certificates.json` (certificate expiry). They are found among the files the loader
 * skipped, attributed to an account by the ARNs inside or by the account folder they sit in, and
 * kept beside the snapshot (a WeakMap): absent data means the checks answer `unknown`.
 * https://docs.aws.amazon.com/cli/latest/reference/iam/list-virtual-mfa-devices.html
 * https://docs.aws.amazon.com/cli/latest/reference/iam/list-server-certificates.html
 */

export interface VirtualMfaDevice {
  readonly serialNumber: string;
  /** The user (or `…:root`) the device is assigned to; absent when unassigned. */
  readonly userArn?: string;
  readonly enabledAt?: string;
}

export interface ServerCertificate {
  readonly arn: string;
  readonly name: string;
  readonly path?: string;
  readonly uploadedAt?: string;
  readonly expiresAt?: string;
  readonly source: string;
}

export interface AccountIamExtras {
  readonly virtualMfaDevices?: readonly VirtualMfaDevice[];
  readonly virtualMfaSource?: string;
  readonly serverCertificates?: readonly ServerCertificate[];
  readonly serverCertificatesSource?: string;
}

const VIRTUAL_MFA = 'iam-list-virtual-mfa-devices.json';
const SERVER_CERTS = 'iam-list-server-certificates.json';
const MAX_BYTES = 64 * 1024 * 1024;

const extras = new WeakMap<OrgSnapshot, Map<string, AccountIamExtras>>();

/** What `loadIamExtras` found for an account; undefined when it was not run or found nothing. */
export function iamExtrasOf(snapshot: OrgSnapshot, accountId: string): AccountIamExtras | undefined {
  return extras.get(snapshot)?.get(accountId);
}

/** Everything `loadIamExtras` found, by account (for the snapshot cache, which stores it beside the snapshot). */
export function iamExtrasEntries(snapshot: OrgSnapshot): [string, AccountIamExtras][] {
  return [...(extras.get(snapshot) ?? [])];
}

/** Records extras for a snapshot directly (tests, or a collector that has them in memory). */
export function setIamExtras(snapshot: OrgSnapshot, accountId: string, value: AccountIamExtras): void {
  const map = extras.get(snapshot) ?? new Map<string, AccountIamExtras>();
  map.set(accountId, { ...map.get(accountId), ...value });
  extras.set(snapshot, map);
}

export function parseVirtualMfaDevices(value: unknown): VirtualMfaDevice[] | undefined {
  if (!isRecord(value) || !Array.isArray(field(value, 'VirtualMFADevices'))) return undefined;
  const out: VirtualMfaDevice[] = [];
  for (const d of list(value, 'VirtualMFADevices')) {
    if (!isRecord(d)) continue;
    const serialNumber = str(d, 'SerialNumber');
    if (serialNumber === undefined) continue;
    const user = field(d, 'User');
    const userArn = isRecord(user) ? str(user, 'Arn') : undefined;
    const enabledAt = dateField(d, 'EnableDate');
    out.push({
      serialNumber,
      ...(userArn !== undefined ? { userArn } : {}),
      ...(enabledAt !== undefined ? { enabledAt } : {}),
    });
  }
  return out;
}

export function parseServerCertificates(value: unknown, source: string): ServerCertificate[] | undefined {
  if (!isRecord(value) || !Array.isArray(field(value, 'ServerCertificateMetadataList'))) return undefined;
  const out: ServerCertificate[] = [];
  for (const [i, c] of list(value, 'ServerCertificateMetadataList').entries()) {
    if (!isRecord(c)) continue;
    const arn = str(c, 'Arn');
    if (arn === undefined) continue;
    const path = str(c, 'Path');
    const uploadedAt = dateField(c, 'UploadDate');
    const expiresAt = dateField(c, 'Expiration');
    out.push({
      arn,
      name: str(c, 'ServerCertificateName') ?? arn.slice(arn.lastIndexOf('/') + 1),
      source: `${source}#ServerCertificateMetadataList[${i}]`,
      ...(path !== undefined ? { path } : {}),
      ...(uploadedAt !== undefined ? { uploadedAt } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    });
  }
  return out;
}

function accountOfFile(snapshot: OrgSnapshot, file: string, arns: readonly string[]): string | undefined {
  for (const arn of arns) {
    const id = accountOfArn(arn);
    if (id !== undefined && snapshot.accounts.has(id)) return id;
  }
  const abs = resolve(file);
  for (const a of snapshot.accounts.values()) {
    const root = resolve(a.source);
    if (abs.startsWith(root + sep)) return a.id;
  }
  return undefined;
}

/**
 * Reads the extra IAM responses among the snapshot's skipped files and attaches them to the snapshot.
 * A file that cannot be read or holds an error response is ignored: the account's data stays unknown.
 */
export async function loadIamExtras(snapshot: OrgSnapshot): Promise<void> {
  for (const { file } of snapshot.load.skipped) {
    const name = basename(file);
    if (name !== VIRTUAL_MFA && name !== SERVER_CERTS) continue;
    let value: unknown;
    try {
      const text = await readFile(file, 'utf8');
      if (text.length > MAX_BYTES) continue;
      value = JSON.parse(text);
    } catch {
      continue;
    }
    if (!isRecord(value) || errorCode(value) !== undefined) continue;
    if (name === VIRTUAL_MFA) {
      const devices = parseVirtualMfaDevices(value);
      if (devices === undefined) continue;
      const account = accountOfFile(
        snapshot,
        file,
        devices.flatMap((d) => [d.serialNumber, ...(d.userArn ? [d.userArn] : [])]),
      );
      if (account !== undefined)
        setIamExtras(snapshot, account, { virtualMfaDevices: devices, virtualMfaSource: file });
    } else {
      const certs = parseServerCertificates(value, file);
      if (certs === undefined) continue;
      const account = accountOfFile(
        snapshot,
        file,
        certs.map((c) => c.arn),
      );
      if (account !== undefined)
        setIamExtras(snapshot, account, { serverCertificates: certs, serverCertificatesSource: file });
    }
  }
}
