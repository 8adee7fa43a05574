/**
 * A retry strategy for tests with the SDK's RetryStrategyV2 shape: the SDK's retry middleware
 * drives it and classifies each error (THROTTLING, TRANSIENT, …) exactly as in production; only
 * the delays are milliseconds instead of the SDK's second-scale backoff, so the suite stays fast.
 * Production uses the SDK's own adaptive strategy (`retryMode: 'adaptive'`).
 */
interface Token {
  getRetryCount(): number;
  getRetryDelay(): number;
}

const token = (count: number, delay: number): Token => ({
  getRetryCount: () => count,
  getRetryDelay: () => delay,
});

export function fastRetryStrategy(maxAttempts: number, baseDelayMs = 2) {
  return {
    mode: 'standard',
    attempts: 0,
    async acquireInitialRetryToken(_scope: string): Promise<Token> {
      return token(0, 0);
    },
    async refreshRetryTokenForRetry(previous: Token, info: { errorType: string }): Promise<Token> {
      const count = previous.getRetryCount() + 1;
      const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
      if (!retryable || count >= maxAttempts) throw new Error('No retry token available');
      this.attempts++;
      // Full jitter, as the SDK does, on a millisecond base.
      return token(count, Math.floor(Math.random() * baseDelayMs * 2 ** count));
    },
    recordSuccess(_token: Token): void {},
  };
}
