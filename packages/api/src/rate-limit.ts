/**
 * A fixed-window limiter kept in memory per server process, for public intake
 * submissions (a province with several servers gets a limit per server).
 * Sign-ins, password changes and tracking-code look-ups are counted in the
 * database instead (`login_attempts`, see `Store.takeAttempt`), so their
 * limits hold across servers.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait, or 0 when the attempt may go ahead (and is counted). */
  hit(key: string): number {
    const now = this.now();
    const entry = this.hits.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.hits.size > 10_000) this.sweep(now);
      this.hits.set(key, { count: 1, resetAt: now + this.windowMs });
      return 0;
    }
    if (entry.count >= this.max) return Math.ceil((entry.resetAt - now) / 1000);
    entry.count++;
    return 0;
  }

  /** Seconds to wait without counting an attempt (0 = go ahead). */
  peek(key: string): number {
    const now = this.now();
    const entry = this.hits.get(key);
    if (!entry || entry.resetAt <= now || entry.count < this.max) return 0;
    return Math.ceil((entry.resetAt - now) / 1000);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private sweep(now: number) {
    for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
  }
}

/**
 * The client's address when `hops` proxies we run stand in front of the server.
 * Each proxy appends the address it saw to `X-Forwarded-For`, so only the
 * `hops` rightmost entries (the last of them being the socket's peer) are
 * ours; anything left of them the client wrote itself and may be forged.
 * With fewer entries than hops the request skipped a proxy: the socket peer
 * is then the only address we know.
 */
export function clientAddress(
  forwardedFor: string | string[] | undefined,
  remote: string | undefined,
  hops: number,
): string {
  const peer = remote || 'unknown';
  if (hops <= 0 || !forwardedFor) return peer;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  chain.push(peer);
  return chain[chain.length - 1 - hops] ?? peer;
}
