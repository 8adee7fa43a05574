import { iamExtrasOf } from '../collect/files/iam-extras.js';
import type { CheckMetadata } from '../model/finding.js';
import { day, daysSince, rootArnOf, unknownFor } from './credential-helpers.js';
import type { Check, CheckOutcome } from './types.js';

export const meta: CheckMetadata = {
  id: 'server-certificate-expired',
  title: 'Expired SSL/TLS certificate stored in IAM',
  severity: 'low',
  description:
    'A server certificate in IAM (`aws iam list-server-certificates`) whose `Expiration` has passed. Without that listing the check reports unknown.',
  risk: 'An expired certificate still deployed to a load balancer or CloudFront breaks TLS for clients and trains users to click through warnings; left in IAM, it can be attached again by mistake.',
  remediation:
    'Check nothing still uses it (Elastic Load Balancing listeners, CloudFront distributions), replace it with a certificate from AWS Certificate Manager, then delete it: `aws iam delete-server-certificate --server-certificate-name NAME`.',
  references: [
    'CIS Amazon Web Services Foundations Benchmark v5.0.0, 1.18 Ensure that all the expired SSL/TLS certificates stored in AWS IAM are removed',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html',
    'https://docs.aws.amazon.com/cli/latest/reference/iam/list-server-certificates.html',
  ],
  compliance: {
    'cis-aws': ['1.18'],
    soc2: ['CC6.7'],
    'pci-dss': ['4.2.1'],
    hipaa: ['164.312(e)(1)'],
  },
  resourceType: 'AWS::IAM::ServerCertificate',
  tags: ['certificates'],
};

export const serverCertificateExpired: Check = {
  meta,
  run({ snapshot, now }) {
    const out: CheckOutcome[] = [];
    for (const account of snapshot.accounts.values()) {
      const certificates = iamExtrasOf(snapshot, account.id)?.serverCertificates;
      if (certificates === undefined) {
        out.push(
          unknownFor(
            account,
            rootArnOf(account),
            'iam-list-server-certificates was not collected',
            undefined,
            { resourceType: 'AWS::::Account' },
          ),
        );
        continue;
      }
      for (const c of certificates) {
        if (c.expiresAt === undefined) {
          out.push(
            unknownFor(account, c.arn, `server certificate ${c.name} has no Expiration in the listing`),
          );
          continue;
        }
        const days = daysSince(c.expiresAt, now);
        if (days === undefined || now.getTime() < Date.parse(c.expiresAt)) continue;
        out.push({
          status: 'fail',
          account: account.id,
          resourceArn: c.arn,
          message: `Server certificate ${c.name} expired on ${day(c.expiresAt)} (${days} days ago) and is still stored in IAM`,
          evidence: { facts: { expiration: c.expiresAt, uploaded: c.uploadedAt ?? null, source: c.source } },
        });
      }
    }
    return out;
  },
};
