/**
 * Issue paths: `Statement[1].Condition.StringEquals.aws:SourceIp`. Names are joined with `.` and
 * array indexes written `[i]`. A `Statement` given as a single object is still written
 * `Statement[0]`, so a path never depends on whether the author used an array; keys are written as
 * they are (condition keys contain `:` and `/`, which would be noise to escape).
 */
export type PathSegment = string | number;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}
