/**
 * `auth-profiles/selection`: the pure rules that pick a profile: order and round-robin, cooldown
 * after failures, and the classification of an error into a failure reason. No I/O, no clock of
 * their own (every function takes `now`).
 *
 * @module auth-profiles/selection
 */

export { orderProfiles } from "./selection/order.js";
export type { OrderProfilesInput, ProfileOrder } from "./selection/order.js";
export { explainProfiles } from "./selection/candidates.js";
export type { CandidateExplanation, CandidateSource, ExclusionReason, ProfileExplanation, ProfileSelectionInput } from "./selection/candidates.js";
export { clearCooldownStats, describeUnusable, recordFailure, recordSuccess, unusableUntil } from "./selection/cooldown.js";
export type { RecordFailureOptions } from "./selection/cooldown.js";
export { classifyFailure, classifyFailureDetail, isFailoverReason } from "./selection/classify.js";
export type { FailureClass, FailureKind } from "./selection/classify.js";
export { retryAfterMsFromError } from "./selection/retry-after.js";
export { FAILURE_REASONS, isFailureReason, isTransientReason } from "./selection/reasons.js";
export { cooldownPolicyFor, DEFAULT_COOLDOWN_POLICY } from "./selection/policy.js";
export type { CooldownPolicyInput } from "./selection/policy.js";
export type { CooldownPolicy, FailureOutcome, FailureReason, UnusableProfile } from "./model/failure.js";
export { modelFamilyOf, DEFAULT_MODEL_FAMILIES, FAST_FAMILY_SUFFIX } from "./selection/model-family.js";
export type { ModelFamilyOptions, ModelFamilyRule } from "./selection/model-family.js";
export { parseRateLimitHeaders, rateLimitsFromError } from "./selection/rate-limit-headers.js";
export type { HeadersLike, LimitWindow, RateLimitSnapshot, UnifiedStatus, UnifiedWindow } from "./selection/rate-limit-headers.js";
export { exhaustionOf, storedExhaustedUntil, toStoredRateLimits, DEFAULT_UTILIZATION_THRESHOLD } from "./selection/headroom.js";
export type { Exhaustion, ExhaustionOptions } from "./selection/headroom.js";
export type { FamilyCooldown, StoredRateLimits } from "./model/store.js";
