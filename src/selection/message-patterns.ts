// Message-text rules of failure classification. Every pattern here is a plain alternation of
// literals and bounded classes: no nested quantifiers and no `.*` between two alternatives, so a
// test costs time linear in the text, and the text itself is cut to MAX_CLASSIFIED_CHARS first.
import type { FailureReason } from "../model/failure.js";

/**
 * The longest message text classification reads: the start of the joined messages. Anthropic's
 * messages are a few hundred characters; a longer text (an HTML page, an echoed request) is cut so
 * that a hostile or huge message never blocks the event loop.
 * @internal
 */
export const MAX_CLASSIFIED_CHARS = 4_096;

/** One message rule: every pattern in `all` must match (each on its own, in any order). */
interface MessageRule {
  readonly all: readonly RegExp[];
  readonly reason: FailureReason;
}

const rule = (reason: FailureReason, ...all: RegExp[]): MessageRule => ({ all, reason });

/** OpenClaw's message patterns, in its order; the first rule that matches wins. */
const MESSAGE_RULES: readonly MessageRule[] = [
  // Image size problems are the request's fault: never a reason to switch profile.
  rule("format", /image (?:dimensions )?exceeds?\b|image (?:is )?too large/i),
  rule("rate_limit", /rate[ _-]?limit|too many requests|quota exceeded|exceeded your current quota|resource[ _]?(?:has been )?exhausted|usage limit|\b429\b/i),
  rule("overloaded", /overloaded/i),
  rule("format", /string should match pattern|tool_use[._]id|invalid request format/i),
  rule("billing", /\b402\b|payment required|insufficient (?:credits?|balance|funds)|credit balance/i),
  // OpenClaw's `billing.*(upgrade|credits|plans)` (either order), as two independent tests.
  rule("billing", /\bbilling\b/i, /\b(?:upgrade|credits?|plans?)\b/i),
  rule("timeout", /time ?out|timed out|deadline exceeded/i),
  rule(
    "auth",
    /invalid[ _-]?api[ _-]?key|invalid x-api-key|incorrect api key|invalid (?:bearer |access |oauth )?token|authentication|unauthori[sz]ed|forbidden|access denied|token has expired|token has been revoked|only authorized for use with claude code|\b40[13]\b/i,
  ),
];

/**
 * Cuts a message to the part classification reads.
 *
 * @param message - the joined message text of an error
 * @returns its first {@link MAX_CLASSIFIED_CHARS} characters
 * @internal
 */
export function classifiedText(message: string): string {
  return message.length <= MAX_CLASSIFIED_CHARS ? message : message.slice(0, MAX_CLASSIFIED_CHARS);
}

/**
 * Classifies by message text alone, in OpenClaw's order.
 *
 * @param message - message text, already cut by {@link classifiedText}
 * @returns the first matching reason, or `undefined`
 * @internal
 */
export function reasonFromMessage(message: string): FailureReason | undefined {
  for (const { all, reason } of MESSAGE_RULES) {
    if (all.every((pattern) => pattern.test(message))) return reason;
  }
  return undefined;
}

/**
 * Every pattern classification runs on message text, for the test that checks their shape.
 *
 * @returns the patterns
 * @internal
 */
export function messagePatterns(): readonly RegExp[] {
  return MESSAGE_RULES.flatMap((r) => r.all);
}
