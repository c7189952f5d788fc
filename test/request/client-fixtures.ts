// Test-only helpers for the SDK client tests: a small in-memory AuthResolver.
import { NoAvailableProfileError, AuthProfilesError } from "../../src/model/errors.js";
import type { CacheControlTtl } from "../../src/config/types.js";
import type { AuthResolver, ResolvedAuth, ResolveRequest } from "../../src/resolver/types.js";
import { classifyFailure } from "../../src/selection/classify.js";
import type { FailureOutcome } from "../../src/model/failure.js";
import type { AuthStatus } from "../../src/status/types.js";

/** One profile of the in-memory resolver. */
export interface MemoryProfile {
  readonly id: string;
  readonly mode: "api_key" | "token" | "oauth";
  readonly secret: string;
  readonly cacheControlTtl?: CacheControlTtl;
}

/** What the in-memory resolver recorded. */
export interface MemoryResolverLog {
  readonly resolves: ResolveRequest[];
  readonly failures: { profileId: string; error: unknown }[];
  readonly successes: string[];
}

/** An AuthResolver over a fixed profile list: round-robin, 30 s cooldown, 5 h billing disable. */
export interface MemoryResolver extends AuthResolver {
  readonly log: MemoryResolverLog;
  unusableUntil(profileId: string): number | null;
  closed: boolean;
}

export function memoryResolver(profiles: readonly MemoryProfile[], options: { now?: () => number; env?: MemoryProfile } = {}): MemoryResolver {
  const now = options.now ?? (() => 1_000_000);
  const until = new Map<string, { until: number; kind: "cooldown" | "disabled"; reason: string }>();
  const used = new Map<string, number>();
  let tick = 0;
  const log: MemoryResolverLog = { resolves: [], failures: [], successes: [] };
  const toAuth = (p: MemoryProfile, model: string | undefined, profileId: string | null): ResolvedAuth => {
    const auth = {
      provider: "anthropic",
      profileId,
      mode: p.mode,
      source: profileId === null ? "env" : "store",
      expiresAt: null,
      model: model ?? null,
      cacheControlTtl: p.mode === "api_key" ? (p.cacheControlTtl ?? null) : null,
      headers: {},
    } as const;
    Object.defineProperty(auth, "secret", { value: p.secret, enumerable: false });
    return auth as unknown as ResolvedAuth;
  };
  const usable = (id: string): boolean => (until.get(id)?.until ?? 0) <= now();
  const resolver: MemoryResolver = {
    log,
    closed: false,
    unusableUntil: (id) => (usable(id) ? null : (until.get(id)?.until ?? null)),
    async resolve(request = {}) {
      log.resolves.push(request);
      if (request.profileId !== undefined) {
        const p = profiles.find((x) => x.id === request.profileId);
        if (p === undefined) throw new AuthProfilesError("NO_CREDENTIALS", `No credentials found for profile "${request.profileId}".`);
        used.set(p.id, ++tick);
        return toAuth(p, request.model, p.id);
      }
      const candidates = profiles
        .filter((p) => usable(p.id) && !(request.exclude ?? []).includes(p.id))
        .sort((a, b) => (used.get(a.id) ?? 0) - (used.get(b.id) ?? 0));
      const pick = candidates[0];
      if (pick !== undefined) {
        used.set(pick.id, ++tick);
        return toAuth(pick, request.model, pick.id);
      }
      if (profiles.length > 0) {
        const unusable = profiles
          .filter((p) => !usable(p.id))
          .map((p) => {
            const u = until.get(p.id)!;
            return { profileId: p.id, kind: u.kind, reason: u.reason, until: u.until, remainingMs: u.until - now() };
          })
          .sort((a, b) => a.until - b.until);
        throw new NoAvailableProfileError("anthropic", unusable);
      }
      if (options.env !== undefined) return toAuth(options.env, request.model, null);
      throw new AuthProfilesError("NO_API_KEY", 'No API key found for provider "anthropic".');
    },
    async reportSuccess(profileId) {
      log.successes.push(profileId);
      until.delete(profileId);
    },
    async reportFailure(profileId, error): Promise<FailureOutcome> {
      log.failures.push({ profileId, error });
      const reason = classifyFailure(error);
      if (reason === null || reason === "format") return { reason, unusableUntil: null };
      const kind = reason === "billing" ? "disabled" : "cooldown";
      const end = now() + (reason === "billing" ? 5 * 3_600_000 : 30_000);
      until.set(profileId, { until: end, kind, reason });
      return { reason, unusableUntil: end };
    },
    async clearCooldown(profileId) {
      until.delete(profileId);
    },
    async flush() {},
    async status(): Promise<AuthStatus> {
      throw new Error("not implemented in the memory resolver");
    },
    async close() {
      resolver.closed = true;
    },
  };
  return resolver;
}

/** A valid-looking API key for tests. */
export function testApiKey(tag: string): string {
  return `sk-ant-api03-${tag.padEnd(12, "x")}-${"a".repeat(80)}`;
}

/** A valid-looking setup-token for tests. */
export function testToken(tag: string): string {
  return `sk-ant-oat01-${tag.padEnd(12, "x")}-${"b".repeat(80)}`;
}
