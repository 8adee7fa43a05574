import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  authzExport,
  credentialReport,
  makeTree,
  OTHER,
} from '../../collect/files/test-fixtures.js';
import type { CliIO } from '../io.js';
import { inventoryCommand, TABLE_WIDTH } from './inventory.js';

function fakeIO(color = false) {
  const out = { stdout: '', stderr: '', files: new Map<string, string>() };
  const io: CliIO = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    readFile: (p) => readFile(p, 'utf8'),
    writeFile: async (p, t) => {
      out.files.set(p, t);
    },
    color,
  };
  return { io, out };
}

async function snapshot(extraUsers: Record<string, unknown>[] = []) {
  const authz = authzExport() as { UserDetailList: Record<string, unknown>[] };
  authz.UserDetailList.push(...extraUsers);
  return makeTree({
    [`account-data/${ACCOUNT}/us-east-1/iam-get-account-authorization-details.json`]: authz,
    [`account-data/${ACCOUNT}/us-east-1/iam-get-credential-report.json`]: {
      Content: Buffer.from(credentialReport()).toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: '2024-04-01T00:00:00Z',
    },
    [`account-data/${ACCOUNT}/us-east-1/iam-list-access-keys/ci-bot`]: {
      AccessKeyMetadata: [
        {
          UserName: 'ci-bot',
          AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          Status: 'Active',
          CreateDate: '2021-01-02T03:04:05Z',
        },
      ],
    },
  });
}

describe('leastpriv inventory', () => {
  it('json: every identity in (account, kind, arn) order with keys masked and ages as of the report', async () => {
    const root = await snapshot();
    const { io, out } = fakeIO();
    expect(await inventoryCommand([root], { format: 'json' }, io)).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.asOf).toBe('2024-04-01T00:00:00.000Z');
    const ids = json.identities.map((i: { kind: string; name: string }) => `${i.kind}:${i.name}`);
    expect(ids).toEqual([
      'root:root',
      'user:alice',
      'user:ci-bot',
      'role:audit-from-security',
      'role:AWSReservedSSO_Admin_0123456789abcdef',
      'role:lambda-exec',
    ]);
    const bot = json.identities[2];
    expect(bot).toMatchObject({
      human: false,
      humanKnown: true,
      passwordEnabled: false,
      mfa: false,
      activeKeys: 1,
      attachedPolicies: ['AdministratorAccess'],
      permissionsBoundary: 'boundary',
    });
    expect(bot.accessKeys).toEqual([
      {
        slot: 1,
        id: 'AKIA…MPLE',
        active: true,
        created: '2021-01-02T03:04:05.000Z',
        ageDays: 1184,
        lastUsed: '2024-03-01T00:00:00.000Z',
        lastUsedService: 's3',
      },
    ]);
    expect(out.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const alice = json.identities[1];
    expect(alice).toMatchObject({
      human: true,
      groups: ['admins'],
      inlinePolicies: ['deny-iam'],
      owner: 'security-team',
    });
    const audit = json.identities.find((i: { name: string }) => i.name === 'audit-from-security');
    expect(audit.trust).toEqual({
      sameAccount: false,
      otherAccounts: [OTHER],
      services: [],
      federated: [],
      anyone: false,
      conditional: false,
    });
    expect(audit.roleCategory).toBe('cross-account');
    const sso = json.identities[4];
    expect([sso.roleCategory, sso.human]).toEqual(['sso', true]);
    // Stable: a second run prints the same bytes.
    const again = fakeIO();
    await inventoryCommand([root], { format: 'json' }, again.io);
    expect(again.out.stdout).toBe(out.stdout);
  });

  it('--show-key-ids prints the key id in full', async () => {
    const { io, out } = fakeIO();
    await inventoryCommand([await snapshot()], { format: 'json', showKeyIds: true }, io);
    expect(out.stdout).toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('csv: RFC 4180 with formula-looking names and tags neutralised', async () => {
    const evil = {
      UserName: '=cmd',
      Arn: `arn:aws:iam::${ACCOUNT}:user/=cmd`,
      GroupList: [],
      UserPolicyList: [],
      AttachedManagedPolicies: [],
      Tags: [{ Key: 'Owner', Value: '@SUM(1,2)\n"x"' }],
    };
    const { io, out } = fakeIO();
    expect(await inventoryCommand([await snapshot([evil])], { format: 'csv' }, io)).toBe(0);
    const rows = parse(out.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(7);
    const row = rows.find((r) => r.arn === `arn:aws:iam::${ACCOUNT}:user/=cmd`)!;
    expect(row.name).toBe("'=cmd");
    expect(row.owner).toBe('\'@SUM(1,2)\n"x"');
    expect(row.human).toBe('');
    expect(rows.find((r) => r.name === 'ci-bot')).toMatchObject({
      active_keys: '1',
      oldest_active_key_days: '1184',
      access_key_ids: 'AKIA…MPLE',
    });
  });

  it('table: fits 80 columns, no terminal escapes from names, unknowns shown as ?', async () => {
    const evil = {
      UserName: 'x\u001b[31mred\u001b[0m-and-a-very-long-name-that-will-not-fit',
      Arn: `arn:aws:iam::${ACCOUNT}:user/evil`,
      GroupList: [],
      UserPolicyList: [],
      AttachedManagedPolicies: [],
    };
    const { io, out } = fakeIO();
    await inventoryCommand([await snapshot([evil])], {}, io);
    expect(TABLE_WIDTH).toBe(80);
    for (const line of out.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(out.stdout).not.toContain('\u001b');
    expect(out.stdout).toMatch(/user evil|user x\?\[31mred/);
    expect(out.stdout).toMatch(/role lambda-exec\s+no\s+-\s+-\s+2024-01-01 lambda/);
    expect(out.stderr).toMatch(/loaded 1 account \(3 users/);
  });

  it('exits 2 naming the bad file, after printing everything else', async () => {
    const root = await makeTree({
      'a.json': authzExport(),
      'broken.json': '{"UserDetailList": [}',
    });
    const { io, out } = fakeIO();
    expect(
      await inventoryCommand([join(root, 'a.json'), join(root, 'broken.json')], { format: 'json' }, io),
    ).toBe(2);
    expect(out.stderr).toMatch(/broken\.json:1:21: not valid JSON/);
    expect(JSON.parse(out.stdout).identities).toHaveLength(6);
  });

  it('refuses an unknown format', async () => {
    const { io } = fakeIO();
    await expect(inventoryCommand(['x'], { format: 'xml' }, io)).rejects.toThrow(/table, json or csv/);
  });
});
