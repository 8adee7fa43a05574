/**
 * A condition key with placeholders, such as `aws:RequestTag/${TagKey}` or
 * `codebuild:secondarySources/${sourceIdentifier}.location`: literal segments with a non-empty
 * variable part between each pair. Matching is plain substring search, never a regex, because the
 * key being matched comes from policy text.
 */
export interface KeyTemplate {
  /** Lower-cased literal segments; length is the number of placeholders plus one. */
  readonly segments: readonly string[];
  readonly minLength: number;
}

/**
 * Placeholders are written three ways in AWS's references: `${TagKey}` (most service keys),
 * `<key>` (s3:ExistingObjectTag/<key>) and a trailing `/tag-key` (the IAM global-keys page,
 * secretsmanager:ResourceTag/tag-key).
 */
export function parseKeyTemplate(key: string): KeyTemplate | undefined {
  let lower = key.toLowerCase();
  if (lower.endsWith('/tag-key')) lower = `${lower.slice(0, -'tag-key'.length)}\${tagkey}`;
  const segments: string[] = [];
  let rest = lower;
  for (;;) {
    const dollar = rest.indexOf('${');
    const angle = rest.indexOf('<');
    const open = dollar < 0 ? angle : angle < 0 ? dollar : Math.min(dollar, angle);
    if (open < 0) break;
    const close = rest.indexOf(open === dollar ? '}' : '>', open + 1);
    if (close < 0) return undefined;
    segments.push(rest.slice(0, open));
    rest = rest.slice(close + 1);
  }
  if (segments.length === 0) return undefined;
  segments.push(rest);
  let minLength = segments.length - 1;
  for (const s of segments) minLength += s.length;
  return { segments, minLength };
}

/** `lowerKey` must already be lower-cased. Leftmost placement of each middle segment is optimal. */
export function matchesKeyTemplate(template: KeyTemplate, lowerKey: string): boolean {
  const { segments } = template;
  if (lowerKey.length < template.minLength) return false;
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  if (!lowerKey.startsWith(first) || !lowerKey.endsWith(last)) return false;
  const end = lowerKey.length - last.length;
  let pos = first.length + 1;
  for (let i = 1; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    const at = lowerKey.indexOf(seg, pos);
    if (at < 0 || at + seg.length > end - 1) return false;
    pos = at + seg.length + 1;
  }
  // The final placeholder runs from pos - 1 up to `end` and must hold at least one character.
  return pos <= end;
}
