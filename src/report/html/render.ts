import { createHash } from 'node:crypto';
import type { AuditResult } from '../../checks/audit.js';
import { type Finding, type PathHop, SEVERITIES, type Severity } from '../../model/finding.js';
import { ACCESS_LEVELS, type ReportPrincipal, type ServiceAccess } from '../context.js';
import { jsonChunks, streamedArray } from '../json-chunks.js';
import { compareText, countBySeverity, type Prepared, prepare, type ReportOptions } from '../options.js';
import { REPORT_JS } from './client.js';
import { escapeHtml as h, scriptSafe } from './escape.js';
import { REPORT_CSS } from './style.js';
import { barChart, escalationGraph } from './svg.js';

const SEVERITY_TITLE: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** Rows of effective access per principal page; the rest are counted. */
const ACCESS_ROWS = 25;

const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = {
  critical: 100,
  high: 30,
  medium: 8,
  low: 2,
  info: 1,
};

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** The Content-Security-Policy of the report: nothing but its own inline style and script. */
export function reportCsp(css: string = REPORT_CSS, js: string = REPORT_JS): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${sha256Base64(js)}'`,
    `style-src 'sha256-${sha256Base64(css)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Anchor ids are ours (a hash of the ARN), never account text. */
function hashedId(arn: string): string {
  return `p-${createHash('sha256').update(arn).digest('hex').slice(0, 16)}`;
}

// Each ARN's anchor is asked for by its page, its table row and every finding naming it: hashed
// once per report.
function principalId(m: Model, arn: string): string {
  let id = m.anchorIds.get(arn);
  if (id === undefined) {
    id = hashedId(arn);
    m.anchorIds.set(arn, id);
  }
  return id;
}

function sevBadge(s: Severity): string {
  return `<span class="sev sev-${s}">${SEVERITY_TITLE[s]}</span>`;
}

function date(value: string | null | undefined): string {
  if (value === undefined) return '<span class="muted">unknown</span>';
  if (value === null) return '<span class="muted">never</span>';
  return h(value.slice(0, 10));
}

function yesNo(value: boolean | null | undefined): string {
  return value === undefined || value === null ? '<span class="muted">unknown</span>' : value ? 'yes' : 'no';
}

interface Model {
  readonly p: Prepared;
  readonly principals: readonly ReportPrincipal[];
  readonly byArn: ReadonlyMap<string, ReportPrincipal>;
  /** Unsuppressed findings about each principal (as principal or as resource). */
  readonly findingsOf: ReadonlyMap<string, readonly Finding[]>;
  readonly title: string;
  /** Position of each finding in the findings table (its anchor `f-<i>`). */
  readonly index: ReadonlyMap<Finding, number>;
  /** Unsuppressed findings with an escalation path, under the path's start and under their principal, in order. */
  readonly pathFindings: ReadonlyMap<string, readonly Finding[]>;
  readonly anchorIds: Map<string, string>;
}

function accountLabel(m: Model, id: string): string {
  const name = m.p.accountNames.get(id);
  return name !== undefined ? `${name} (${id})` : id;
}

function nameOf(m: Model, arn: string): string {
  return m.byArn.get(arn)?.name ?? arn.slice(arn.lastIndexOf('/') + 1 || arn.lastIndexOf(':') + 1) ?? arn;
}

function buildModel(p: Prepared, title: string): Model {
  const principals = [...p.context.principals];
  const byArn = new Map(principals.map((x) => [x.arn, x]));
  // Principals named only by findings (no context given) still get a page.
  for (const f of p.result.findings) {
    const arn = f.principal;
    if (arn === undefined || byArn.has(arn)) continue;
    const kind = /:root$/.test(arn)
      ? 'root'
      : /:group\//.test(arn)
        ? 'group'
        : /:user\//.test(arn)
          ? 'user'
          : 'role';
    const entry: ReportPrincipal = {
      arn,
      name: arn.slice(arn.lastIndexOf('/') + 1) || arn,
      kind,
      account: f.account,
      tags: [],
    };
    principals.push(entry);
    byArn.set(arn, entry);
  }
  principals.sort((a, b) => compareText(a.account, b.account) || compareText(a.arn, b.arn));
  const findingsOf = new Map<string, Finding[]>();
  const pathFindings = new Map<string, Finding[]>();
  const add = (map: Map<string, Finding[]>, key: string, f: Finding): void => {
    const list = map.get(key);
    if (list) list.push(f);
    else map.set(key, [f]);
  };
  for (const f of p.result.findings) {
    if (f.suppressed) continue;
    const keys = new Set(
      [f.principal, f.resourceArn].filter((x): x is string => x !== undefined && byArn.has(x)),
    );
    for (const k of keys) add(findingsOf, k, f);
    const start = f.evidence.path?.[0]?.from;
    if (f.evidence.path && f.evidence.path.length > 0) {
      // escalationPaths asks for findings whose path starts at, or whose principal is, the ARN.
      if (start !== undefined) add(pathFindings, start, f);
      if (f.principal !== undefined && f.principal !== start) add(pathFindings, f.principal, f);
    }
  }
  const index = new Map(p.result.findings.map((f, i) => [f, i]));
  return { p, principals, byArn, findingsOf, title, index, pathFindings, anchorIds: new Map() };
}

function overview(m: Model): string {
  const r = m.p.result;
  const active = r.findings.filter((f) => !f.suppressed);
  const counts = countBySeverity(r.findings);
  const accounts =
    m.p.context.accounts.length > 0
      ? m.p.context.accounts.map((a) => a.id)
      : [...new Set(r.findings.map((f) => f.account))].sort(compareText);
  const identities = m.principals.filter((x) => x.kind !== 'group');
  const human = identities.filter((x) => x.human === true).length;
  const out: string[] = ['<section id="overview"><h2>Overview</h2><div class="cards">'];
  const card = (label: string, value: number | string): string =>
    `<div class="card"><b>${h(String(value))}</b>${h(label)}</div>`;
  out.push(card('accounts', accounts.length));
  out.push(card('identities', identities.length));
  out.push(card('human', human));
  out.push(card('non-human', identities.length - human));
  out.push(card('findings', active.length));
  out.push(card('suppressed', r.findings.length - active.length));
  out.push(card('checks run', r.checks.length));
  out.push(card('third-party trusts', m.p.context.thirdParty.length));
  out.push('</div>');
  if (r.checkErrors.length > 0)
    out.push(
      `<p class="sev-high sev">${r.checkErrors.length} check(s) failed to run: ${h(r.checkErrors.map((c) => c.checkId).join(', '))}</p>`,
    );
  const byCheck = new Map<string, number>();
  const byAccount = new Map<string, number>();
  for (const f of active) {
    byCheck.set(f.checkId, (byCheck.get(f.checkId) ?? 0) + 1);
    byAccount.set(f.account, (byAccount.get(f.account) ?? 0) + 1);
  }
  const kinds = new Map<string, number>();
  for (const x of m.principals) {
    const key =
      x.kind === 'group' || x.kind === 'root' ? x.kind : `${x.kind} (${x.human ? 'human' : 'non-human'})`;
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
  }
  out.push('<div class="charts">');
  out.push(
    `<figure><figcaption>Findings by severity</figcaption>${barChart(
      'Findings by severity',
      SEVERITIES.map((s) => ({ label: SEVERITY_TITLE[s], value: counts[s], cls: `sev-${s}` })),
      { labelWidth: 90 },
    )}</figure>`,
  );
  out.push(
    `<figure><figcaption>Findings by account</figcaption>${barChart(
      'Findings by account',
      accounts.map((a) => ({ label: accountLabel(m, a), value: byAccount.get(a) ?? 0 })),
      { labelWidth: 240 },
    )}</figure>`,
  );
  out.push(
    `<figure><figcaption>Identities by kind</figcaption>${barChart(
      'Identities by kind',
      [...kinds.entries()].sort(([a], [b]) => compareText(a, b)).map(([label, value]) => ({ label, value })),
      { labelWidth: 150 },
    )}</figure>`,
  );
  out.push(
    `<figure><figcaption>Findings by check (top 15)</figcaption>${barChart(
      'Findings by check',
      [...byCheck.entries()]
        .sort(([a, x], [b, y]) => y - x || compareText(a, b))
        .slice(0, 15)
        .map(([label, value]) => ({ label, value })),
      { labelWidth: 250 },
    )}</figure>`,
  );
  out.push('</div>');
  // The riskiest principals: weighted by severity, escalation and external exposure first.
  const risk = m.principals
    .map((x) => {
      const list = m.findingsOf.get(x.arn) ?? [];
      const score = list.reduce((s, f) => s + SEVERITY_WEIGHT[f.severity], 0);
      const escalation = list.some((f) => (f.evidence.path?.length ?? 0) > 0);
      const external = list.some((f) => (f.evidence.externalPrincipals?.length ?? 0) > 0);
      return { x, list, score, escalation, external };
    })
    .filter((e) => e.list.length > 0)
    .sort((a, b) => b.score - a.score || compareText(a.x.arn, b.x.arn))
    .slice(0, 10);
  out.push('<h3>Riskiest principals</h3>');
  if (risk.length === 0) out.push('<p class="muted">No principal has a finding.</p>');
  else {
    out.push(
      '<table><thead><tr><th>Principal</th><th>Kind</th><th>Account</th><th class="num">Findings</th><th>Worst</th><th>Escalation</th><th>External exposure</th></tr></thead><tbody>',
    );
    for (const e of risk) {
      const worst = SEVERITIES.find((s) => e.list.some((f) => f.severity === s)) ?? 'info';
      out.push(
        `<tr><td><a href="#${principalId(m, e.x.arn)}">${h(e.x.name)}</a></td><td>${h(e.x.kind)}</td><td>${h(accountLabel(m, e.x.account))}</td>` +
          `<td class="num">${e.list.length}</td><td>${sevBadge(worst)}</td><td>${e.escalation ? 'yes' : ''}</td><td>${e.external ? 'yes' : ''}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');
  return out.join('');
}

function evidenceHtml(m: Model, f: Finding): string {
  const out: string[] = ['<div class="detail"><dl>'];
  const meta = m.p.checks.get(f.checkId);
  out.push(`<dt>Finding id</dt><dd><code>${h(f.id)}</code></dd>`);
  out.push(`<dt>Check</dt><dd>${h(meta?.title ?? f.checkId)} <code>${h(f.checkId)}</code></dd>`);
  out.push(
    `<dt>Status</dt><dd>${f.status === 'fail' ? 'fail' : '<span class="status-unknown">unknown: the data to decide is missing</span>'}</dd>`,
  );
  out.push(
    `<dt>Resource</dt><dd class="wrap">${h(f.resourceArn)} <span class="muted">(${h(f.resourceType)})</span></dd>`,
  );
  if (f.principal !== undefined)
    out.push(
      `<dt>Principal</dt><dd class="wrap"><a href="#${principalId(m, f.principal)}">${h(f.principal)}</a></dd>`,
    );
  if (meta) out.push(`<dt>Risk</dt><dd>${h(meta.risk)}</dd>`);
  for (const p of f.evidence.policies ?? []) {
    const where = [
      p.sid !== undefined ? `Sid ${p.sid}` : undefined,
      p.statement !== undefined ? `statement ${p.statement}` : undefined,
      p.line !== undefined ? `line ${p.line}` : undefined,
    ].filter((x): x is string => x !== undefined);
    out.push(
      `<dt>Policy</dt><dd class="wrap">${h(p.policy)}${where.length > 0 ? ` <span class="muted">(${h(where.join(', '))})</span>` : ''}${
        p.source !== undefined ? `<br><code>${h(p.source)}</code>` : ''
      }</dd>`,
    );
  }
  if (f.evidence.path && f.evidence.path.length > 0) {
    out.push('<dt>Path</dt><dd><ol>');
    for (const hop of f.evidence.path)
      out.push(
        `<li>${h(nameOf(m, hop.from))} → ${h(nameOf(m, hop.to))} by <code>${h(hop.technique)}</code> (${h(hop.actions.join(', '))}): ${h(hop.explanation)}</li>`,
      );
    out.push('</ol></dd>');
  }
  if (f.evidence.externalPrincipals?.length)
    out.push(
      `<dt>External principals</dt><dd class="wrap">${h(f.evidence.externalPrincipals.join(', '))}</dd>`,
    );
  if (f.evidence.actions?.length)
    out.push(`<dt>Actions</dt><dd class="wrap">${h(f.evidence.actions.join(', '))}</dd>`);
  for (const [k, v] of Object.entries(f.evidence.facts ?? {}))
    out.push(`<dt>${h(k)}</dt><dd class="wrap">${h(String(v))}</dd>`);
  if (f.compliance.length > 0)
    out.push(
      `<dt>Compliance</dt><dd>${f.compliance.map((c) => `<span class="tag">${h(c)}</span>`).join(' ')}</dd>`,
    );
  out.push(`<dt>Remediation</dt><dd>${h(f.remediation)}</dd>`);
  if (f.suppressed)
    out.push(
      `<dt>Suppressed</dt><dd>${h(f.suppressed.reason)}${f.suppressed.owner ? ` — ${h(f.suppressed.owner)}` : ''}${f.suppressed.expires ? ` (until ${h(f.suppressed.expires)})` : ''}</dd>`,
    );
  out.push('</dl></div>');
  return out.join('');
}

function findingRow(m: Model, f: Finding, i: number): string {
  const attrs = ` id="f-${i}" data-i="${i}"`;
  const cls = f.suppressed ? ' class="suppressed"' : '';
  const status = f.status === 'unknown' ? ' <span class="status-unknown">(undecided)</span>' : '';
  return (
    `<tr${attrs}${cls}><td>${sevBadge(f.severity)}</td><td><code>${h(f.checkId)}</code></td><td>${h(accountLabel(m, f.account))}</td>` +
    `<td class="wrap">${h(f.resourceArn)}</td><td><details><summary>${h(f.message)}${status}</summary>${evidenceHtml(m, f)}</details></td></tr>`
  );
}

function* findingsSection(m: Model): Generator<string> {
  const r = m.p.result;
  const accounts = [...new Set(r.findings.map((f) => f.account))].sort(compareText);
  const checks = [...new Set(r.findings.map((f) => f.checkId))].sort(compareText);
  const out: string[] = ['<section id="findings"><h2>Findings</h2>'];
  out.push('<div class="filters noprint">');
  out.push(
    '<input type="search" id="q" placeholder="Search findings (name, ARN, message, control)" aria-label="Search findings">',
  );
  for (const s of SEVERITIES)
    out.push(`<label><input type="checkbox" name="sev" value="${s}" checked> ${SEVERITY_TITLE[s]}</label>`);
  out.push('<select id="f-account" aria-label="Account"><option value="">All accounts</option>');
  for (const a of accounts) out.push(`<option value="${h(a)}">${h(accountLabel(m, a))}</option>`);
  out.push('</select><select id="f-check" aria-label="Check"><option value="">All checks</option>');
  for (const c of checks) out.push(`<option value="${h(c)}">${h(c)}</option>`);
  out.push(
    '</select><select id="f-status" aria-label="Status"><option value="">Any status</option><option value="fail">fail</option><option value="unknown">unknown</option></select>',
  );
  out.push('<label><input type="checkbox" id="f-suppressed"> show suppressed</label>');
  out.push(
    `<span id="shown" class="muted">${r.findings.filter((f) => !f.suppressed).length} of ${r.findings.length} findings shown</span>`,
  );
  out.push('</div>');
  out.push(
    '<table id="findings-table"><thead><tr><th>Severity</th><th>Check</th><th>Account</th><th>Resource</th><th>Finding (click for evidence and remediation)</th></tr></thead><tbody>',
  );
  yield out.join('');
  for (let i = 0; i < r.findings.length; i++) {
    const f = r.findings[i] as Finding;
    // Suppressed findings start hidden; the script reveals them on request.
    const row = findingRow(m, f, i);
    yield f.suppressed ? row.replace('<tr ', '<tr hidden ') : row;
  }
  yield '</tbody></table></section>';
}

function* principalsSection(m: Model): Generator<string> {
  const out: string[] = ['<section id="principals"><h2>Identities</h2>'];
  out.push(
    '<div class="filters noprint"><input type="search" id="pq" placeholder="Search identities" aria-label="Search identities">',
  );
  out.push(
    '<select id="p-kind" aria-label="Kind"><option value="">All kinds</option><option value="user">users</option><option value="role">roles</option><option value="group">groups</option><option value="root">root</option></select>',
  );
  out.push(
    `<span id="pshown" class="muted">${m.principals.length} of ${m.principals.length} identities shown</span></div>`,
  );
  out.push(
    '<table id="principals-table"><thead><tr><th>Name</th><th>Kind</th><th>Account</th><th>Human</th><th class="num">Findings</th></tr></thead><tbody>',
  );
  yield out.join('');
  for (let i = 0; i < m.principals.length; i++) {
    const x = m.principals[i] as ReportPrincipal;
    const n = m.findingsOf.get(x.arn)?.length ?? 0;
    yield `<tr data-p="${i}"><td><a href="#${principalId(m, x.arn)}">${h(x.name)}</a></td><td>${h(x.kind)}${x.roleCategory ? ` <span class="muted">${h(x.roleCategory)}</span>` : ''}</td>` +
      `<td>${h(accountLabel(m, x.account))}</td><td>${x.human === undefined ? '' : x.human ? 'human' : 'non-human'}</td><td class="num">${n}</td></tr>`;
  }
  yield '</tbody></table></section>';
}

function escalationPaths(m: Model, arn: string): PathHop[][] {
  const paths: PathHop[][] = [];
  const seen = new Set<string>();
  for (const f of m.pathFindings.get(arn) ?? []) {
    const path = f.evidence.path;
    if (!path || path.length === 0 || f.suppressed) continue;
    if (path[0]?.from !== arn && f.principal !== arn) continue;
    const key = path.map((x) => `${x.from}>${x.technique}>${x.to}`).join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    paths.push([...path]);
  }
  return paths;
}

/**
 * The first `k` services of `access` by actions allowed (most first), then name: what a stable sort
 * of the whole list gives, without sorting the ~400 services of every administrator.
 */
export function busiestServices(access: readonly ServiceAccess[], k: number): ServiceAccess[] {
  const top: { readonly s: ServiceAccess; readonly total: number }[] = [];
  // Negative when a comes first; ties keep the list's order (a stable sort's).
  const before = (a: (typeof top)[number], b: (typeof top)[number]): number =>
    b.total - a.total || compareText(a.s.service, b.s.service);
  for (const s of access) {
    let total = 0;
    for (const l of ACCESS_LEVELS) total += s.levels[l] ?? 0;
    const last = top[top.length - 1];
    if (
      top.length >= k &&
      (last === undefined ||
        last.total > total ||
        (last.total === total && compareText(s.service, last.s.service) >= 0))
    )
      continue;
    const e = { s, total };
    let i = top.length;
    while (i > 0 && before(e, top[i - 1] as (typeof top)[number]) < 0) i--;
    top.splice(i, 0, e);
    if (top.length > k) top.pop();
  }
  return top.map((e) => e.s);
}

function principalPage(m: Model, x: ReportPrincipal): string {
  const out: string[] = [`<section class="principal" id="${principalId(m, x.arn)}">`];
  out.push(
    `<h2>${h(x.name)} <span class="kind">${h(x.kind)} in ${h(accountLabel(m, x.account))}</span></h2>`,
  );
  out.push('<dl>');
  out.push(`<dt>ARN</dt><dd class="wrap">${h(x.arn)}</dd>`);
  if (x.human !== undefined)
    out.push(
      `<dt>Human</dt><dd>${x.human ? 'yes' : 'no'}${x.humanReason ? ` <span class="muted">(${h(x.humanReason)})</span>` : ''}</dd>`,
    );
  if (x.roleCategory) out.push(`<dt>Role category</dt><dd>${h(x.roleCategory)}</dd>`);
  if (x.createdAt) out.push(`<dt>Created</dt><dd>${date(x.createdAt)}</dd>`);
  if (x.kind === 'role') out.push(`<dt>Last used</dt><dd>${date(x.lastUsed)}</dd>`);
  if (x.groups && x.groups.length > 0)
    out.push(`<dt>Groups</dt><dd>${x.groups.map((g) => `<span class="tag">${h(g)}</span>`).join(' ')}</dd>`);
  if (x.policies && x.policies.length > 0)
    out.push(
      `<dt>Policies</dt><dd>${x.policies.map((g) => `<span class="tag">${h(g)}</span>`).join(' ')}</dd>`,
    );
  if (x.tags.length > 0)
    out.push(
      `<dt>Tags</dt><dd>${x.tags.map(([k, v]) => `<span class="tag">${h(k)}=${h(v)}</span>`).join(' ')}</dd>`,
    );
  out.push('</dl>');

  out.push('<h3>Effective access by service</h3>');
  if (!x.access) out.push('<p class="muted">Not computed for this report.</p>');
  else if (x.access.length === 0) out.push('<p class="muted">No allowed actions.</p>');
  else {
    out.push(
      `<table><thead><tr><th>Service</th>${ACCESS_LEVELS.map((l) => `<th class="num">${h(l)}</th>`).join('')}<th class="num">Conditional</th><th>Last accessed</th></tr></thead><tbody>`,
    );
    // An administrator reaches every service: the busiest services first, the rest counted.
    const ranked = busiestServices(x.access, ACCESS_ROWS);
    for (const s of ranked)
      out.push(
        `<tr><td>${h(s.service)}</td>${ACCESS_LEVELS.map((l) => `<td class="num">${s.levels[l] ?? ''}</td>`).join('')}<td class="num">${s.conditional ?? ''}</td><td>${'lastAccessed' in s ? date(s.lastAccessed) : ''}</td></tr>`,
      );
    out.push('</tbody></table>');
    if (x.access.length > ACCESS_ROWS)
      out.push(
        `<p class="muted">…and ${x.access.length - ACCESS_ROWS} more services (leastpriv access ${h(x.arn)} lists them all).</p>`,
      );
  }

  out.push('<h3>Escalation paths</h3>');
  const paths = escalationPaths(m, x.arn);
  if (paths.length === 0) out.push('<p class="muted">None found.</p>');
  else {
    out.push(escalationGraph(x.arn, paths, (arn) => nameOf(m, arn)));
    out.push('<ol>');
    for (const path of paths)
      out.push(
        `<li>${path.map((hop) => `${h(nameOf(m, hop.from))} —<code>${h(hop.technique)}</code>→ ${h(nameOf(m, hop.to))}`).join(' ')}</li>`,
      );
    out.push('</ol>');
  }

  if (x.trust) {
    const t = x.trust;
    out.push('<h3>Trust (who can assume this role)</h3><dl>');
    out.push(`<dt>Same account</dt><dd>${yesNo(t.sameAccount)}</dd>`);
    out.push(`<dt>Anyone</dt><dd>${t.anyone ? '<span class="sev sev-critical">yes</span>' : 'no'}</dd>`);
    out.push(
      `<dt>Other accounts</dt><dd class="wrap">${t.otherAccounts.length > 0 ? h(t.otherAccounts.map((a) => accountLabel(m, a)).join(', ')) : 'none'}</dd>`,
    );
    out.push(
      `<dt>Services</dt><dd class="wrap">${t.services.length > 0 ? h(t.services.join(', ')) : 'none'}</dd>`,
    );
    out.push(
      `<dt>Federated</dt><dd class="wrap">${t.federated.length > 0 ? h(t.federated.join(', ')) : 'none'}</dd>`,
    );
    out.push(`<dt>Conditional</dt><dd>${yesNo(t.conditional)}</dd></dl>`);
  }
  const external = (m.findingsOf.get(x.arn) ?? []).filter(
    (f) => (f.evidence.externalPrincipals?.length ?? 0) > 0,
  );
  if (external.length > 0) {
    out.push('<h3>External exposure</h3><ul>');
    for (const f of external) out.push(`<li>${sevBadge(f.severity)} ${h(f.message)}</li>`);
    out.push('</ul>');
  }

  if (x.credentials) {
    const c = x.credentials;
    out.push('<h3>Credentials</h3><dl>');
    out.push(`<dt>Console password</dt><dd>${yesNo(c.passwordEnabled)}</dd>`);
    if ('passwordLastUsed' in c) out.push(`<dt>Password last used</dt><dd>${date(c.passwordLastUsed)}</dd>`);
    out.push(`<dt>MFA</dt><dd>${yesNo(c.mfaActive)}</dd></dl>`);
    if (c.accessKeys.length > 0) {
      out.push(
        '<table><thead><tr><th>Key</th><th>Id</th><th>Active</th><th>Created / rotated</th><th>Last used</th></tr></thead><tbody>',
      );
      for (const k of c.accessKeys)
        out.push(
          `<tr><td>${k.slot}</td><td><code>${h(k.id ?? '')}</code></td><td>${yesNo(k.active)}</td><td>${date(k.lastRotated)}</td><td>${date(k.lastUsed)}</td></tr>`,
        );
      out.push('</tbody></table>');
    }
  }

  const list = m.findingsOf.get(x.arn) ?? [];
  out.push(`<h3>Findings (${list.length})</h3>`);
  if (list.length > 0) {
    // The evidence lives once, in the findings table: here a line per finding links to it.
    out.push('<ul>');
    for (const f of list)
      out.push(
        `<li>${sevBadge(f.severity)} <code>${h(f.checkId)}</code> <a href="#f-${m.index.get(f) ?? 0}">${h(f.message)}</a></li>`,
      );
    out.push('</ul>');
  }
  out.push('<p class="noprint"><a href="#principals">Back to identities</a></p></section>');
  return out.join('');
}

function thirdPartySection(m: Model): string {
  const out: string[] = ['<section id="third-party"><h2>Third-party access register</h2>'];
  const list = m.p.context.thirdParty;
  if (list.length === 0) {
    out.push('<p class="muted">No role trusts an account outside the snapshot.</p></section>');
    return out.join('');
  }
  out.push(
    '<table><thead><tr><th>Trusted account</th><th>Role</th><th>In account</th><th>ExternalId</th><th>Conditional</th><th>Access</th><th>Last used</th></tr></thead><tbody>',
  );
  for (const t of list)
    out.push(
      `<tr><td>${h(t.trustedAccountName ? `${t.trustedAccountName} (${t.trustedAccount})` : t.trustedAccount)}</td>` +
        `<td><a href="#${principalId(m, t.roleArn)}">${h(t.roleName)}</a></td><td>${h(accountLabel(m, t.account))}</td>` +
        `<td>${t.externalId === null ? '<span class="muted">unknown</span>' : t.externalId ? 'required' : '<span class="sev sev-high">missing</span>'}</td>` +
        `<td>${yesNo(t.conditional)}</td><td>${h(t.access ?? '')}</td><td>${date(t.lastUsed)}</td></tr>`,
    );
  out.push('</tbody></table></section>');
  return out.join('');
}

function checksSection(m: Model): string {
  const out: string[] = ['<section id="checks"><h2>Checks</h2>'];
  const counts = new Map<string, number>();
  for (const f of m.p.result.findings)
    if (!f.suppressed) counts.set(f.checkId, (counts.get(f.checkId) ?? 0) + 1);
  out.push(
    '<table><thead><tr><th>Check</th><th>Severity</th><th>Title</th><th class="num">Findings</th><th>Compliance</th></tr></thead><tbody>',
  );
  for (const c of [...m.p.checks.values()].sort((a, b) => compareText(a.id, b.id))) {
    const compliance = Object.entries(c.compliance).flatMap(([fw, ids]) =>
      (ids ?? []).map((id) => `${fw}:${id}`),
    );
    out.push(
      `<tr><td><code>${h(c.id)}</code></td><td>${sevBadge(c.severity)}</td><td>${h(c.title)}</td><td class="num">${counts.get(c.id) ?? 0}</td>` +
        `<td>${compliance.map((x) => `<span class="tag">${h(x)}</span>`).join(' ')}</td></tr>`,
    );
  }
  out.push('</tbody></table></section>');
  return out.join('');
}

function embeddedData(m: Model): unknown {
  const r = m.p.result;
  return {
    format: 'leastpriv-html-report',
    version: 1,
    generatedAt: r.now.toISOString(),
    findings: streamedArray(r.findings, (f) => ({
      ...f,
      checkTitle: m.p.checks.get(f.checkId)?.title ?? f.checkId,
      accountName: m.p.accountNames.get(f.account) ?? null,
      suppressed: f.suppressed ?? null,
    })),
    principals: streamedArray(m.principals, (x) => ({
      arn: x.arn,
      name: x.name,
      kind: x.kind,
      account: x.account,
      accountName: m.p.accountNames.get(x.account) ?? null,
    })),
    accounts: m.p.context.accounts,
    thirdParty: m.p.context.thirdParty,
    checks: [...m.p.checks.values()],
  };
}

/**
 * One self-contained HTML file: no external requests, opens from disk, prints. Every piece of
 * account text goes through `escapeHtml` (markup) or `jsonForScript` (the embedded data); the only
 * script and style are inline and pinned by hash in the Content-Security-Policy.
 */
export function renderHtml(result: AuditResult, options: ReportOptions = {}): string {
  return [...renderHtmlChunks(result, options)].join('');
}

/** `renderHtml` in pieces: a table row, a principal's page, a slice of the embedded data at a time. */
export function* renderHtmlChunks(result: AuditResult, options: ReportOptions = {}): Generator<string> {
  const p = prepare(result, options);
  const title = options.title ?? p.context.title ?? 'leastpriv audit report';
  const m = buildModel(p, title);
  const r = p.result;
  yield [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${reportCsp()}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${h(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head><body>',
    `<header><h1>${h(title)}</h1><div class="muted">Generated ${h(r.now.toISOString())} by leastpriv ${h(p.toolVersion)} · ${r.checks.length} checks · ${r.findings.length} findings</div></header>`,
    '<nav><a href="#overview">Overview</a><a href="#findings">Findings</a><a href="#principals">Identities</a><a href="#third-party">Third parties</a><a href="#checks">Checks</a></nav>',
    '<main>',
  ].join('\n');
  // The body's parts, each after a line break but the first (they were joined with one).
  yield overview(m);
  yield '\n';
  yield* findingsSection(m);
  yield '\n';
  yield* principalsSection(m);
  yield '\n';
  yield thirdPartySection(m);
  yield '\n';
  yield checksSection(m);
  for (const x of m.principals) {
    yield '\n';
    yield principalPage(m, x);
  }
  yield '</main>\n<script type="application/json" id="report-data">';
  for (const chunk of jsonChunks(embeddedData(m))) yield scriptSafe(chunk);
  yield `</script>\n<script>${REPORT_JS}</script>\n</body></html>\n`;
}
