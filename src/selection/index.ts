// Profile selection: ordering, cooldowns and failure classification. Pure: no I/O, time passed in.
export { classifyFailure, isFailoverReason } from "./classify.js";
export { explainProfiles } from "./candidates.js";
export type {
  CandidateExplanation,
  CandidateSource,
  ExclusionReason,
  ProfileExplanation,
  ProfileSelectionInput,
} from "./candidates.js";
export { clearCooldown, describeUnusable, recordFailure, recordSuccess, unusableUntil } from "./cooldown.js";
export type { RecordFailureOptions } from "./cooldown.js";
export { orderProfiles } from "./order.js";
export type { OrderProfilesInput, ProfileOrder } from "./order.js";
export {
  cooldownPolicyFor,
  DEFAULT_AUTH_STEPS_MS,
  DEFAULT_BILLING_BASE_MS,
  DEFAULT_BILLING_MAX_MS,
  DEFAULT_COOLDOWN_POLICY,
  DEFAULT_FAILURE_WINDOW_MS,
  DEFAULT_RETRY_AFTER_CAP_MS,
  DEFAULT_TRANSIENT_STEPS_MS,
} from "./policy.js";
export type { CooldownPolicyInput } from "./policy.js";
export { FAILURE_REASONS, isFailureReason, isTransientReason } from "./reasons.js";
export { retryAfterMsFromError } from "./retry-after.js";
export type { CooldownPolicy, FailureOutcome, FailureReason, UnusableProfile } from "./types.js";
export { withClearedCooldown, withFailure, withForceRefresh, withoutForceRefresh, withSuccess } from "./usage.js";
export type { FailureUpdate } from "./usage.js";
