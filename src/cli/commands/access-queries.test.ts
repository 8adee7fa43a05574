import { describe, expect, it } from 'vitest';
import type { CliIO } from '../io.js';
import { UsageError } from '../usage-error.js';
import { accessCommand } from './access.js';
import { canCommand } from './can.js';
import { whoCanCommand } from './who-can.js';

const ACME = new URL('../../../examples/acme', import.meta.url).pathname;

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
      readFile: async () => '',
      writeFile: async () => {},
      color: false,
    },
    out: () => out,
    err: () => err,
  };
}

describe('leastpriv can', () => {
  // SCP deny applies to member accounts: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
  it('explains an SCP deny of an administrator in the prod account (exit 0, simulate JSON shape)', async () => {
    const c = capture();
    const code = await canCommand(['jane.ops', 'iam:CreateUser'], { snapshot: ACME, format: 'json' }, c.io);
    expect(code).toBe(0);
    const result = JSON.parse(c.out()) as {
      decision: string;
      explanation: { decidedBy?: { policy: string } };
    };
    expect(Object.keys(result).sort()).toEqual(['decision', 'explanation']);
    expect(result.decision).toBe('ExplicitlyDenied');
    expect(result.explanation.decidedBy?.policy).toBe('acme-prod-protections');
  });

  // Role trust: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
  it('uses the role trust policy for sts:AssumeRole on a role of the snapshot', async () => {
    const c = capture();
    await canCommand(
      ['role/support-readonly', 'sts:AssumeRole', 'arn:aws:iam::861204557319:role/ops-admin'],
      { snapshot: ACME },
      c.io,
    );
    expect(c.out()).toContain('Decision: Allowed');
    expect(c.out()).toContain('Role trust policy: Allow');
  });

  it('takes --context over the defaults', async () => {
    const c = capture();
    await canCommand(
      ['jane.ops', 's3:GetObject', 'arn:aws:s3:::x/y'],
      { snapshot: ACME, context: ['aws:RequestedRegion=ap-south-1'] },
      c.io,
    );
    expect(c.err()).toContain('aws:RequestedRegion=ap-south-1');
    expect(c.out()).toContain('acme-region-restriction');
  });

  it('rejects an ambiguous name with the candidates', async () => {
    const c = capture();
    await expect(
      canCommand(['acme-security-audit', 's3:GetObject'], { snapshot: ACME }, c.io),
    ).rejects.toThrow(/names 5 principals[\s\S]*438019276655:role\/security\/acme-security-audit/);
    await expect(
      canCommand(['nobody-here', 's3:GetObject'], { snapshot: ACME }, c.io),
    ).rejects.toBeInstanceOf(UsageError);
  });
});

describe('leastpriv who-can', () => {
  it('lists administrators and the CI role with PassRole on *, and scoped grants marked', async () => {
    const c = capture();
    expect(await whoCanCommand(['iam:PassRole'], { snapshot: ACME, format: 'json' }, c.io)).toBe(0);
    const r = JSON.parse(c.out()) as {
      principals: { principal: string; grant: string }[];
      candidates: number;
      total: number;
    };
    const grant = new Map(r.principals.map((p) => [p.principal, p.grant]));
    expect(grant.get('arn:aws:iam::861204557319:role/ci/dev-ci-runner')).toBe('all');
    expect(grant.get('arn:aws:iam::573628190442:user/jane.ops')).toBe('all');
    expect(grant.get('arn:aws:iam::573628190442:role/ci/platform-github-deployer')).toBe('conditional');
    expect(grant.has('arn:aws:iam::204815939271:role/security/acme-security-audit')).toBe(false);
    expect(r.candidates).toBeLessThan(r.total);
  });

  it('on a bucket, includes principals granted only by the bucket policy (same account)', async () => {
    const c = capture();
    await whoCanCommand(
      ['s3:GetObject', 'arn:aws:s3:::acme-dev-data-lake/raw/x'],
      { snapshot: ACME, format: 'json' },
      c.io,
    );
    const r = JSON.parse(c.out()) as { principals: { principal: string }[] };
    expect(r.principals.map((p) => p.principal)).toContain(
      'arn:aws:iam::861204557319:role/service-role/data-etl-glue',
    );
  });
});

describe('leastpriv who-can through privilege escalation', () => {
  interface Entry {
    principal: string;
    via: string;
    reaches?: string;
    hops?: { from: string; to: string; technique: string }[];
  }
  async function whoCanPassRole(options: { escalation?: boolean } = {}) {
    const c = capture();
    await whoCanCommand(['iam:PassRole'], { snapshot: ACME, format: 'json', ...options }, c.io);
    return JSON.parse(c.out()) as { principals: Entry[]; escalation: string };
  }

  // The planted paths of examples/acme/README.md (#8, #53, #54): each ends at a principal that holds
  // iam:PassRole directly (an administrator), and each hop is an edge of the audit's graph.
  it('lists who reaches a direct holder, with the path hop by hop', async () => {
    const r = await whoCanPassRole();
    expect(r.escalation).toBe('covered');
    const direct = new Set(r.principals.filter((p) => p.via === 'direct').map((p) => p.principal));
    const escalated = new Map(
      r.principals.filter((p) => p.via === 'escalation').map((p) => [p.principal, p]),
    );
    const helpdesk = escalated.get('arn:aws:iam::204815939271:user/automation/helpdesk-bot');
    expect(helpdesk?.reaches).toBe('arn:aws:iam::204815939271:user/automation/terraform-org');
    expect(direct.has(helpdesk!.reaches!)).toBe(true);
    const ben = escalated.get('arn:aws:iam::861204557319:user/ben.tanaka');
    expect(ben?.hops?.map((h) => [h.to, h.technique])).toEqual([
      ['arn:aws:iam::861204557319:role/support-readonly', 'sts-001'],
      ['arn:aws:iam::861204557319:role/ops-admin', 'sts-001'],
    ]);
    for (const e of escalated.values()) {
      expect(direct.has(e.principal)).toBe(false);
      expect(e.hops![0]!.from).toBe(e.principal);
      expect(e.hops!.at(-1)!.to).toBe(e.reaches);
    }
  });

  it('--no-escalation lists direct grants only and says so', async () => {
    const r = await whoCanPassRole({ escalation: false });
    expect(r.escalation).toBe('skipped');
    expect(r.principals.every((p) => p.via === 'direct')).toBe(true);
  });
});

describe('leastpriv access', () => {
  it('summarises by service and access level and marks unused services', async () => {
    const c = capture();
    await accessCommand(['legacy-jenkins-ec2'], { snapshot: ACME, format: 'json' }, c.io);
    const s = JSON.parse(c.out()) as {
      services: { service: string; usage: string; all: Record<string, number> }[];
    };
    const byService = new Map(s.services.map((v) => [v.service, v]));
    expect(byService.get('iam')?.all['Permissions management']).toBeGreaterThan(0);
    expect(s.services.filter((v) => v.usage === 'used').length).toBeGreaterThan(0);
    expect(s.services.filter((v) => v.usage === 'unused').length).toBeGreaterThan(100);
  });

  it('shows conditional grants with their condition', async () => {
    const c = capture();
    await accessCommand(
      ['arn:aws:iam::573628190442:role/ci/platform-github-deployer'],
      { snapshot: ACME },
      c.io,
    );
    expect(c.out()).toContain('conditional grants:');
    expect(c.out()).toContain('iam:PassedToService');
  });
});

describe('leastpriv who-can --timings', () => {
  it.each([
    {
      escalation: true,
      phases: ['load the snapshot', 'direct grants', 'privilege escalation', 'render json'],
    },
    { escalation: false, phases: ['load the snapshot', 'direct grants', 'render json'] },
  ])(
    'lists the phases that ran in order on stderr (escalation $escalation), stdout unchanged',
    async ({ escalation, phases }) => {
      const plain = capture();
      const timed = capture();
      const options = { snapshot: ACME, format: 'json', escalation };
      await whoCanCommand(['iam:PassRole'], options, plain.io);
      await whoCanCommand(['iam:PassRole'], { ...options, timings: true }, timed.io);
      expect(timed.out()).toBe(plain.out());
      expect(plain.err()).toBe('');
      const lines = timed.err().trimEnd().split('\n');
      expect(lines[0]).toMatch(/^leastpriv who-can: timings \(\d+ ms in all\)$/);
      expect(lines.slice(1).map((l) => l.replace(/^ +\d+ ms {2}/, ''))).toEqual(phases);
    },
  );
});
