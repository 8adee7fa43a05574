export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/**
 * `arn:partition:service:region:account-id:resource` — the resource part keeps any further
 * colons (`arn:aws:logs:us-east-1:123456789012:log-group:name:*`). Undefined when the text is
 * not an ARN (fewer than six parts, or not starting with `arn`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function parseArn(arn: string): Arn | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const cuts: number[] = [3];
  for (let i = 0; i < 4; i++) {
    const colon = arn.indexOf(':', cuts[cuts.length - 1]! + 1);
    if (colon === -1) return undefined;
    cuts.push(colon);
  }
  const [c0, c1, c2, c3, c4] = cuts as [number, number, number, number, number];
  return {
    partition: arn.slice(c0 + 1, c1),
    service: arn.slice(c1 + 1, c2),
    region: arn.slice(c2 + 1, c3),
    account: arn.slice(c3 + 1, c4),
    resource: arn.slice(c4 + 1),
  };
}
