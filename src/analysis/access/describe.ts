/**
 * Messages and evidence for access findings, shared by the checks so that every admin or
 * category finding cites the granting statements the same way.
 */
import { getCatalog } from '../../catalog/index.js';
import type { Evidence } from '../../model/finding.js';
import type { AdminStatus } from './admin.js';
import { iamPermissionsManagement } from './categories.js';
import { grantEvidenceWords } from './evidence.js';
import type { AccessEntry } from './model.js';
import { type PackedWords, packedOf, WordAccumulator } from './word-sets.js';

let scratch: WordAccumulator | undefined;

/** The named actions as packed words: findings list hundreds of actions each, for thousands of principals. */
function wordsOfNames(names: readonly string[]): PackedWords {
  const catalog = getCatalog();
  scratch ??= new WordAccumulator();
  const acc = scratch;
  acc.reset();
  for (const n of names) {
    const info = n.includes('*') || n.includes('?') ? undefined : catalog.lookupAction(n);
    if (info) acc.addIndex(info.index);
    else acc.or(packedOf(catalog.expandActionPattern(n).set));
  }
  const words = acc.pack();
  acc.reset();
  return words;
}

export function adminMessage(entry: AccessEntry, admin: AdminStatus): string {
  const who = `${entry.subject.kind} ${entry.subject.name}`;
  if (admin.kind === 'iam-write')
    return `${who} can change its own permissions (${admin.actions.join(', ')} on *), so it can make itself an administrator`;
  const how = admin.conditional ? ' when its policy conditions hold' : '';
  const carved = admin.carvedOut > 0 ? ` (except ${admin.carvedOut} actions a guardrail denies)` : '';
  return `${who} has full administrator access: every action on every resource${how}${carved}`;
}

export function adminEvidence(entry: AccessEntry, admin: AdminStatus): Evidence {
  const witness =
    admin.kind === 'iam-write' ? wordsOfNames(admin.actions) : packedOf(iamPermissionsManagement());
  return {
    policies: grantEvidenceWords(entry.layers.identity, witness),
    ...(admin.kind === 'iam-write' ? { actions: admin.actions } : { actions: ['*'] }),
    facts: {
      adminKind: admin.kind,
      conditional: admin.conditional,
      guardrailDeniedActions: admin.carvedOut,
      guardrailsUnknown: entry.layers.guardrailsUnknown,
    },
  };
}

/**
 * Evidence for a list of actions granted on `*`: the statements that grant them. `words` is the same
 * set when the caller has it (the access facts do), saving a catalog lookup per name.
 */
export function actionsEvidence(
  entry: AccessEntry,
  actions: readonly string[],
  words: PackedWords = wordsOfNames(actions),
): Evidence {
  return {
    policies: grantEvidenceWords(
      entry.layers.identity.filter((p) => p.kind !== 'aws-managed'),
      words,
    ),
    actions,
  };
}

/** `a, b, c and 12 more`. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
