/**
 * The SDK's test for "this thrown error is a timeout": `String(error) + String(error.cause)`
 * matching this pattern. Such an error is retried and then replaced by `APIConnectionTimeoutError`,
 * so an `AuthProfilesError` mentioning a timeout (a profile cooling down after one, a token endpoint
 * that timed out) would never reach the caller.
 */
const SDK_TIMEOUT_TEXT = /timed? ?out/i;
/** The same words, spelled so that the SDK's pattern no longer matches. */
const TIMEOUT_WORDS = /time(d?) ?out/gi;

/**
 * Makes an error thrown from the middleware reach the caller as it is: when the SDK would take it
 * for a network timeout, its string form (and its cause's) is re-spelled (`timed-out`,
 * `time-out`), through a non-enumerable `toString`. `message`, `code` and every other property stay
 * unchanged.
 *
 * @param error - what the resolver threw
 * @returns the same value
 * @internal
 */
export function keepFromSdkTimeout<T>(error: T): T {
  if (typeof error !== "object" || error === null) return error;
  const cause: unknown = "cause" in error ? error.cause : undefined;
  if (!SDK_TIMEOUT_TEXT.test(String(error) + ("cause" in error ? String(cause) : ""))) return error;
  respell(error);
  if (typeof cause === "object" && cause !== null) respell(cause);
  return error;
}

function respell(target: object): void {
  const original = String(target);
  if (!SDK_TIMEOUT_TEXT.test(original)) return;
  try {
    Object.defineProperty(target, "toString", {
      value: () => original.replace(TIMEOUT_WORDS, (_word, d: string) => `time${d}-out`),
      enumerable: false,
      configurable: true,
      writable: true,
    });
  } catch {
    // A frozen error keeps its text; the SDK then reports a timeout, as it would without us.
  }
}
