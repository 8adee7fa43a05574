/**
 * `--since`: a duration back from now (`30d`, `12h`, `90m`, `2w`) or an ISO 8601 date or time
 * (`2026-10-01`, `2026-10-01T12:00:00Z`; a time without an offset is UTC). Returns null when the
 * text is neither.
 */
export function parseSince(text: string, now: Date = new Date()): Date | null {
  const duration = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
      duration[2] as 'm' | 'h' | 'd' | 'w'
    ];
    return new Date(now.getTime() - Number(duration[1]) * unit);
  }
  const iso =
    /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)?)?$/.exec(
      text.trim(),
    );
  if (!iso) return null;
  const hasTime = iso[4] !== undefined;
  const zone = iso[7] ?? 'Z';
  const normal = `${iso[1]}-${iso[2]}-${iso[3]}T${hasTime ? `${iso[4]}:${iso[5]}:${iso[6] ?? '00'}` : '00:00:00'}${zone}`;
  const date = new Date(normal);
  if (Number.isNaN(date.getTime())) return null;
  // Reject dates JavaScript silently rolls over (2026-02-31 → March).
  if (!hasTime || zone === 'Z') {
    if (date.getUTCMonth() + 1 !== Number(iso[2]) || date.getUTCDate() !== Number(iso[3])) return null;
  }
  return date;
}
