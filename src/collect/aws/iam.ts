import {
  GenerateCredentialReportCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetCredentialReportCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  paginateGetAccountAuthorizationDetails,
  paginateListAccountAliases,
  paginateListServerCertificates,
  paginateListVirtualMFADevices,
} from '@aws-sdk/client-iam';
import { decodePolicyText } from '../../policy/parse/decode.js';
import { parseJsonWithPositions } from '../../policy/parse/json-with-positions.js';
import { classifyError, errorCode } from './classify-error.js';
import type { ClientSet } from './clients.js';
import { drainPages, onePage, type Page } from './paginate.js';
import { type AccountCollector, GapError } from './runner.js';

type Item = Record<string, unknown>;

/**
 * A policy document as the AWS CLI prints it: the API's URL-encoded text, decoded into a JSON
 * object. A document that is not plain JSON, or has a duplicate key (which JSON.parse would
 * silently collapse to its last value), stays the decoded text so the policy parser can report it.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
export function decodeDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const decoded = decodePolicyText(value);
  if (!decoded.ok) return value;
  const parsed = parseJsonWithPositions(decoded.text);
  if (parsed.problem || parsed.hasDuplicates || parsed.value?.kind !== 'object') return decoded.text;
  return JSON.parse(decoded.text) as unknown;
}

function decodeIn(items: unknown, listMember: string | undefined, docMember: string): void {
  if (!Array.isArray(items)) return;
  for (const item of items as Item[]) {
    if (item === null || typeof item !== 'object') continue;
    if (listMember === undefined) {
      if (docMember in item) item[docMember] = decodeDocument(item[docMember]);
      continue;
    }
    decodeIn(item[listMember], undefined, docMember);
  }
}

/** Decodes every policy document of a merged get-account-authorization-details output in place. */
export function decodeAuthorizationDetails(output: Page): Page {
  const out = output as Item;
  decodeIn(out.UserDetailList, 'UserPolicyList', 'PolicyDocument');
  decodeIn(out.GroupDetailList, 'GroupPolicyList', 'PolicyDocument');
  decodeIn(out.RoleDetailList, 'RolePolicyList', 'PolicyDocument');
  decodeIn(out.RoleDetailList, undefined, 'AssumeRolePolicyDocument');
  decodeIn(out.Policies, 'PolicyVersionList', 'Document');
  return out;
}

/**
 * A virtual MFA device's seed and QR code are the second factor itself. ListVirtualMFADevices is
 * not documented to return them (only CreateVirtualMFADevice does), but the response type has the
 * members, so they are dropped before anything is written: a snapshot must never hold a secret.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html
 */
export function withoutMfaSeeds(output: Page): Page {
  const devices = output.VirtualMFADevices;
  if (!Array.isArray(devices)) return output;
  return {
    ...output,
    VirtualMFADevices: devices.map((d: unknown) => {
      if (d === null || typeof d !== 'object') return d;
      const { Base32StringSeed: _seed, QRCodePNG: _qr, ...rest } = d as Item;
      return rest;
    }),
  };
}

/** Every principal and policy ARN in an authorization-details output, users first. */
export function principalArns(details: Page): string[] {
  const arns: string[] = [];
  for (const member of ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies']) {
    const items = details[member];
    if (!Array.isArray(items)) continue;
    for (const item of items as Item[]) if (typeof item?.Arn === 'string') arns.push(item.Arn);
  }
  return arns;
}

/** The IAM artifacts of one account (global: written in the partition's global region folder). */
export async function collectIam(
  run: AccountCollector,
  clients: ClientSet,
  dir: string,
): Promise<Page | undefined> {
  const region = clients.region;
  const iam = clients.get('iam');
  const [details] = await Promise.all([
    run.artifact({
      dir,
      region,
      artifact: 'iam-get-account-authorization-details',
      call: 'iam:GetAccountAuthorizationDetails',
      fetch: () => paginateGetAccountAuthorizationDetails({ client: iam }, {}),
      pages: { token: 'Marker', merge: ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] },
      transform: decodeAuthorizationDetails,
    }),
    run.artifact({
      dir,
      region,
      artifact: 'iam-get-account-password-policy',
      call: 'iam:GetAccountPasswordPolicy',
      fetch: () => onePage(() => iam.send(new GetAccountPasswordPolicyCommand({}))),
      absentOn: ['NoSuchEntity'],
    }),
    run.artifact({
      dir,
      region,
      artifact: 'iam-list-account-aliases',
      call: 'iam:ListAccountAliases',
      fetch: () => paginateListAccountAliases({ client: iam }, {}),
      pages: { token: 'Marker', merge: ['AccountAliases'] },
    }),
    // CIS asks for a hardware root MFA: only this listing tells a virtual root device apart.
    run.artifact({
      dir,
      region,
      artifact: 'iam-list-virtual-mfa-devices',
      call: 'iam:ListVirtualMFADevices',
      fetch: () => paginateListVirtualMFADevices({ client: iam }, {}),
      pages: { token: 'Marker', merge: ['VirtualMFADevices'] },
      transform: withoutMfaSeeds,
    }),
    // Expired certificates (CIS): metadata only, the API never returns bodies or private keys here.
    run.artifact({
      dir,
      region,
      artifact: 'iam-list-server-certificates',
      call: 'iam:ListServerCertificates',
      fetch: () => paginateListServerCertificates({ client: iam }, {}),
      pages: { token: 'Marker', merge: ['ServerCertificateMetadataList'] },
    }),
    collectCredentialReport(run, clients, dir),
  ]);
  if (details) await collectServiceLastAccessed(run, clients, dir, principalArns(details));
  return details;
}

/**
 * GenerateCredentialReport until the report is COMPLETE, then GetCredentialReport. The report is
 * written as the CLI prints it: `{Content: base64 CSV, ReportFormat, GeneratedTime}`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 */
async function collectCredentialReport(
  run: AccountCollector,
  clients: ClientSet,
  dir: string,
): Promise<void> {
  const req = {
    dir,
    region: clients.region,
    artifact: 'iam-get-credential-report',
    call: 'iam:GenerateCredentialReport',
  };
  const rel = run.relPath(req)!;
  if (await run.resumed(rel)) return;
  const iam = clients.get('iam');
  try {
    await run.poll(async () => {
      const out = await iam.send(new GenerateCredentialReportCommand({}));
      return out.State === 'COMPLETE' ? true : undefined;
    }, 'the credential report');
  } catch (error) {
    run.fail(req, error);
    return;
  }
  const getReq = { ...req, call: 'iam:GetCredentialReport' };
  try {
    // A report that AWS still calls in progress (or expired between the calls) is asked for again.
    const report = await run.poll(async () => {
      try {
        return await iam.send(new GetCredentialReportCommand({}));
      } catch (error) {
        const code = errorCode(error);
        if (
          code.startsWith('ReportInProgress') ||
          code.startsWith('ReportNotPresent') ||
          code.startsWith('ReportExpired')
        ) {
          await iam.send(new GenerateCredentialReportCommand({}));
          return undefined;
        }
        throw error;
      }
    }, 'the credential report');
    await run.write(rel, {
      Content: report.Content,
      ReportFormat: report.ReportFormat,
      GeneratedTime: report.GeneratedTime,
    });
  } catch (error) {
    run.fail(getReq, error);
  }
}

const SLAD_ARTIFACT = 'iam-get-service-last-accessed-details';

/**
 * For each principal or policy ARN: GenerateServiceLastAccessedDetails, then poll
 * GetServiceLastAccessedDetails until COMPLETED and write every page merged.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html
 */
async function collectServiceLastAccessed(
  run: AccountCollector,
  clients: ClientSet,
  dir: string,
  arns: readonly string[],
): Promise<void> {
  const iam = clients.get('iam');
  await Promise.all(
    arns.map(async (arn) => {
      const req = {
        dir,
        region: clients.region,
        artifact: SLAD_ARTIFACT,
        target: arn,
        call: 'iam:GenerateServiceLastAccessedDetails',
      };
      const rel = run.relPath(req);
      if (rel === undefined) {
        run.gap(req, 'not-collected', 'the identifier is too long for a file name');
        return;
      }
      if (await run.resumed(rel)) return;
      let jobId: string;
      try {
        const generated = await run.request(() =>
          iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: 'ACTION_LEVEL' })),
        );
        if (!generated.JobId)
          throw new GapError('error', 'GenerateServiceLastAccessedDetails returned no JobId');
        jobId = generated.JobId;
      } catch (error) {
        run.fail(req, error);
        return;
      }
      const getReq = { ...req, call: 'iam:GetServiceLastAccessedDetails' };
      try {
        const first = await run.poll(async () => {
          const out = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId }));
          if (out.JobStatus === 'FAILED')
            throw new GapError('error', `the job failed: ${out.Error?.Message ?? 'no reason given'}`);
          return out.JobStatus === 'COMPLETED' ? out : undefined;
        }, 'the service-last-accessed job');
        const merged = await drainPages(
          serviceLastAccessedPages(first, (marker) =>
            iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId, Marker: marker })),
          ),
          { token: 'Marker', merge: ['ServicesLastAccessed'] },
          (step) => run.request(step),
        );
        await run.write(rel, merged);
      } catch (error) {
        if (classifyError(error).kind === 'absent') return;
        run.fail(getReq, error);
      }
    }),
  );
}

/** The first page is already in hand from polling; the rest follow its Marker. */
async function* serviceLastAccessedPages(
  first: GetServiceLastAccessedDetailsCommandOutput,
  next: (marker: string) => Promise<GetServiceLastAccessedDetailsCommandOutput>,
): AsyncIterable<object> {
  let page: GetServiceLastAccessedDetailsCommandOutput = first;
  yield page;
  while (page.IsTruncated && page.Marker) {
    page = await next(page.Marker);
    yield page;
  }
}

/** Every IAM action this module calls (docs/permissions.md). */
export const IAM_ACTIONS = [
  'iam:GetAccountAuthorizationDetails',
  'iam:GetAccountPasswordPolicy',
  'iam:ListAccountAliases',
  'iam:ListVirtualMFADevices',
  'iam:ListServerCertificates',
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'iam:GenerateServiceLastAccessedDetails',
  'iam:GetServiceLastAccessedDetails',
] as const;
