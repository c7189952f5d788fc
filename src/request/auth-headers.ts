import { inspect, type InspectOptions } from "node:util";
import { AuthProfilesError } from "../model/errors.js";
import { headerValueProblem } from "../model/header-value.js";
import { redactSecret } from "../model/redact.js";
import { OAUTH_BETA } from "./betas.js";
import type { DecorationAuth, HeaderDecoration } from "./types.js";
import { requireObject } from "../model/arguments.js";
import { checkDecorationAuth, checkHeaderDecoration } from "./arguments.js";

/** Header that carries an API key. */
const API_KEY_HEADER = "x-api-key";
/** Header that carries a bearer token. */
const AUTHORIZATION_HEADER = "authorization";

/** Prototype of credential-bearing header records: redacted JSON and inspect views. */
const REDACTED_HEADERS: object = Object.freeze(
  Object.create(Object.prototype, {
    toJSON: {
      value(this: Record<string, string | null>) {
        return redactHeaders(this);
      },
    },
    [inspect.custom]: {
      value(this: Record<string, string | null>, _depth: number, options: InspectOptions) {
        return inspect(redactHeaders(this), options);
      },
    },
  }) as object,
);

/**
 * The credential part of a request decoration.
 *
 * @category Request decoration
 */
export interface CredentialDecoration extends HeaderDecoration {
  /** Betas this credential requires (`oauth-2025-04-20` for bearer tokens). */
  readonly betas: readonly string[];
}

/**
 * Builds the auth header of a credential and the header it must suppress.
 *
 * @remarks `api_key` → `x-api-key` (and no `authorization`); `token`/`oauth` →
 * `authorization: Bearer …` (and no `x-api-key`) plus the beta {@link OAUTH_BETA}. Never adds a
 * user agent, `x-app` or any other client's betas.
 *
 * @param auth - the credential's mode and secret
 * @returns the header to set, the header to remove and the required betas
 * @throws AuthProfilesError `INVALID_ARGUMENT` when the secret is empty or contains whitespace or
 * control characters, or the mode is unknown
 *
 * @category Request decoration
 */
export function credentialHeaders(auth: Pick<DecorationAuth, "mode" | "secret">): CredentialDecoration {
  checkDecorationAuth("credentialHeaders", auth);
  const problem = headerValueProblem(auth.secret);
  if (problem !== null) {
    throw new AuthProfilesError("INVALID_ARGUMENT", `The credential cannot be sent: it ${problem}.`, {
      hint: "Re-enter the API key or token without surrounding spaces or line breaks.",
      details: { mode: auth.mode, problem },
    });
  }
  switch (auth.mode) {
    case "api_key":
      return {
        headers: hideCredential({ [API_KEY_HEADER]: auth.secret }),
        removeHeaders: [AUTHORIZATION_HEADER],
        betas: [],
      };
    case "token":
    case "oauth":
      return {
        headers: hideCredential({ [AUTHORIZATION_HEADER]: `Bearer ${auth.secret}` }),
        removeHeaders: [API_KEY_HEADER],
        betas: [OAUTH_BETA],
      };
    default:
      throw new AuthProfilesError("INVALID_ARGUMENT", `Unknown credential mode "${String(auth.mode)}".`, {
        hint: 'Use one of "api_key", "token" or "oauth".',
        details: { mode: String(auth.mode) },
      });
  }
}

/**
 * Copies header values into a record whose `toJSON()` and `util.inspect` views redact the credential.
 *
 * @remarks The views live on the prototype, not on the record: `new Headers(record)` rejects any own
 * symbol key, while spreads, `Object.entries` and the SDK only read own properties.
 *
 * @param headers - header values (not modified)
 * @returns a new record with the same own entries
 * @internal
 */
export function hideCredential<V extends string | null>(headers: Readonly<Record<string, V>>): Record<string, V> {
  return Object.assign(Object.create(REDACTED_HEADERS) as Record<string, V>, headers);
}

function redactHeaders(headers: Readonly<Record<string, string | null>>): Record<string, string | null> {
  const view: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) view[name] = null;
    else if (name === API_KEY_HEADER) view[name] = redactSecret(value);
    else if (name === AUTHORIZATION_HEADER) view[name] = redactAuthorization(value);
    else view[name] = value;
  }
  return view;
}

function redactAuthorization(value: string): string {
  const space = value.indexOf(" ");
  return space === -1 ? redactSecret(value) : `${value.slice(0, space)} ${redactSecret(value.slice(space + 1))}`;
}

/**
 * Lays a decoration over existing headers, for middleware that holds the outgoing `Headers`.
 *
 * @param target - the request's headers (not modified)
 * @param decoration - from {@link decorateRequest} or {@link credentialHeaders}
 * @returns a new `Headers` with the removals applied first, then every decoration header set
 *
 * @category Request decoration
 */
export function applyHeaderDecoration(target: Headers, decoration: HeaderDecoration): Headers {
  if (!(target instanceof Headers)) requireObject("applyHeaderDecoration", "target", target);
  checkHeaderDecoration("applyHeaderDecoration", decoration);
  const out = new Headers(target);
  for (const name of decoration.removeHeaders) out.delete(name);
  for (const [name, value] of Object.entries(decoration.headers)) out.set(name, value);
  return out;
}

/**
 * Turns a decoration into the SDK's per-request `headers` option, where `null` removes a header.
 *
 * @param decoration - from {@link decorateRequest}
 * @returns a record such as `{ "x-api-key": "…", authorization: null, "anthropic-beta": "…" }`
 *
 * @example
 * ```ts
 * const { params, ...decoration } = decorateRequest(auth, body);
 * await client.messages.create(params, { headers: toRequestHeaders(decoration) });
 * ```
 *
 * @category Request decoration
 */
export function toRequestHeaders(decoration: HeaderDecoration): Record<string, string | null> {
  checkHeaderDecoration("toRequestHeaders", decoration);
  const out: Record<string, string | null> = {};
  for (const name of decoration.removeHeaders) out[name] = null;
  return hideCredential(Object.assign(out, decoration.headers));
}
