import { describe, expect, it } from 'vitest';
import { accessAnalyzerDisabled } from './access-analyzer-disabled.js';
import { runCheck } from './testing/run-check.js';
import { SnapshotBuilder } from './testing/snapshot-builder.js';

// CIS v5.0.0 1.19; analyzers are regional: https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-external.html
describe('access-analyzer-disabled', () => {
  it('fails an account with no analyzer', async () => {
    const snapshot = await new SnapshotBuilder().build();
    const findings = runCheck(accessAnalyzerDisabled, snapshot);
    expect(findings.map((f) => [f.status, f.resourceArn])).toEqual([
      ['fail', 'arn:aws:iam::111122223333:root'],
    ]);
  });

  it('passes an account with an active analyzer in every region with data', async () => {
    const snapshot = await new SnapshotBuilder()
      .analyzer('a', 'eu-west-1')
      .analyzer('b', 'us-east-1')
      .build();
    expect(runCheck(accessAnalyzerDisabled, snapshot)).toEqual([]);
  });

  it('does not count an inactive analyzer, and is unknown when the listing was not collected', async () => {
    const inactive = await new SnapshotBuilder().analyzer('b', 'us-east-1', 'DISABLED').build();
    expect(runCheck(accessAnalyzerDisabled, inactive).map((f) => f.status)).toEqual(['fail']);
    const missing = await new SnapshotBuilder().withoutAnalyzerListing().build();
    expect(runCheck(accessAnalyzerDisabled, missing).map((f) => f.status)).toEqual(['unknown']);
  });
});
