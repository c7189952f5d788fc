import type { AuthProfilesConfig } from "../config/types.js";
import { formatJsonPath } from "../config/issue-path.js";
import { readSecretRef, type ExecPermission, type SecretRefSite } from "../io/secret-sources.js";
import { AuthProfilesError, isAuthProfilesError } from "../model/errors.js";
import { defineHidden } from "../model/redact.js";
import {
  profileSecretRef,
  readSecretsSettings,
  RESOLVED_REF,
  secretRefLabel,
  type ProfileSecretRef,
  type ResolvedRefMark,
  type SecretRef,
  type SecretsSettings,
} from "../model/secret-ref.js";
import { KEPT_ENTRIES, type KeptEntry, type StoreData } from "../model/store.js";
import { keptEntriesOf } from "../store/kept-entries.js";
import type { Env } from "./state.js";
import type { SecretRefOptions } from "./types.js";

/** What {@link SecretRefResolution} needs. @internal */
export interface SecretRefDeps {
  /** The store's path, for messages. */
  readonly storeFile: string;
  /** The home directory, for `~` in provider paths. */
  readonly homeDir?: string | undefined;
  /** The caller's `secretRefs` option. */
  readonly options?: SecretRefOptions | undefined;
  /** The resolver's `allowUnsafePermissions`. */
  readonly allowUnsafePermissions?: boolean | undefined;
}

type Outcome = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: AuthProfilesError };

/** One profile of the document whose secret is a reference. */
interface RefProfile {
  readonly profileId: string;
  readonly raw: Record<string, unknown>;
  readonly found: ProfileSecretRef;
  /** The kept entry it came from, or `null` for a usable entry whose `keyRef` / `tokenRef` wins over its plain value. */
  readonly kept: KeptEntry | null;
}

/**
 * Resolves the secret references of a store document into an in-memory view for selection: a
 * profile whose reference resolves becomes a usable entry carrying the value (hidden from
 * `JSON.stringify` and `util.inspect`, marked so a store writes back the stored form); one that does
 * not stays set aside, with the reason as its problem (status shows it). Nothing here is written.
 *
 * @remarks `env` references are read from the snapshot's env on every rebuild (no I/O). `file` and
 * `exec` results are cached per reference and provider settings until {@link forget} (the store or
 * config changed on disk), so a rebuild after this process's own write neither reads the secrets
 * file again nor runs the command again, and a warm resolve never does either.
 *
 * @internal
 */
export class SecretRefResolution {
  readonly #deps: SecretRefDeps;
  readonly #allowExec: ExecPermission;
  readonly #cache = new Map<string, Promise<Outcome>>();

  /** @param deps - store path, home, options */
  constructor(deps: SecretRefDeps) {
    this.#deps = deps;
    const allow = deps.options?.allowExec;
    this.#allowExec = allow === undefined ? false : allow;
  }

  /** Drops cached `file` / `exec` results: the next rebuild reads them again. */
  forget(): void {
    this.#cache.clear();
  }

  /**
   * @param data - the store document (with the overlay)
   * @param config - the config (its `secrets` block)
   * @param env - the env
   * @returns `data` itself when it holds no reference, else the view
   */
  async apply(data: StoreData, config: AuthProfilesConfig, env: Env): Promise<StoreData> {
    const settings = readSecretsSettings(config["secrets"]);
    const refs = refProfiles(data, settings);
    if (refs.length === 0) return data;
    const outcomes = await Promise.all(refs.map((each) => this.#resolve(each, settings, env)));
    return viewOf(data, refs, outcomes);
  }

  async #resolve(profile: RefProfile, settings: SecretsSettings, env: Env): Promise<Outcome> {
    const site: SecretRefSite = { storeFile: this.#deps.storeFile, profileId: profile.profileId, jsonPath: formatJsonPath(["profiles", profile.profileId, profile.found.field]) };
    const ref = profile.found.ref;
    if ("unsupported" in ref) {
      return { ok: false, error: unsupportedError(site, ref.unsupported) };
    }
    const read = (): Promise<Outcome> =>
      readSecretRef(site, ref, {
        env,
        settings,
        homeDir: this.#deps.homeDir,
        allowExec: this.#allowExec,
        allowUnsafePermissions: this.#deps.allowUnsafePermissions,
      }).then(
        (value): Outcome => ({ ok: true, value }),
        (error: unknown): Outcome => ({ ok: false, error: isAuthProfilesError(error) ? error : unexpectedError(site, ref) }),
      );
    if (ref.source === "env") return read();
    const key = `${secretRefLabel(ref)}\u0000${JSON.stringify(settings.providers.get(ref.provider) ?? null)}\u0000${site.jsonPath}`;
    let pending = this.#cache.get(key);
    if (pending === undefined) {
      pending = read();
      this.#cache.set(key, pending);
    }
    return pending;
  }
}

function refProfiles(data: StoreData, settings: SecretsSettings): RefProfile[] {
  const out: RefProfile[] = [];
  for (const entry of keptEntriesOf(data)) {
    if (entry.section !== "profiles" || entry.key === null || !isRecord(entry.raw)) continue;
    const found = profileSecretRef(entry.raw, settings.defaults);
    if (found !== null) out.push({ profileId: entry.key, raw: entry.raw, found, kept: entry });
  }
  for (const profileId of Object.keys(data.profiles)) {
    const raw = data.profiles[profileId];
    if (!isRecord(raw)) continue;
    const found = profileSecretRef(raw, settings.defaults);
    // OpenClaw: a keyRef / tokenRef wins over a plain key / token beside it.
    if (found !== null && (found.field === "keyRef" || found.field === "tokenRef")) out.push({ profileId, raw, found, kept: null });
  }
  return out;
}

function viewOf(data: StoreData, refs: readonly RefProfile[], outcomes: readonly Outcome[]): StoreData {
  const resolved = new Map<string, unknown>();
  const failed = new Map<string, string>();
  const errors = new Map<string, AuthProfilesError>();
  refs.forEach((profile, i) => {
    const outcome = outcomes[i] as Outcome;
    if (outcome.ok) resolved.set(profile.profileId, resolvedEntry(profile, outcome.value));
    else {
      failed.set(profile.profileId, problemOf(outcome.error));
      errors.set(profile.profileId, outcome.error);
    }
  });
  const profiles: Record<string, unknown> = {};
  for (const profileId of Object.keys(data.profiles)) {
    if (failed.has(profileId)) continue;
    setOwn(profiles, profileId, resolved.get(profileId) ?? data.profiles[profileId]);
  }
  const kept: KeptEntry[] = [];
  for (const entry of keptEntriesOf(data)) {
    if (entry.section === "profiles" && entry.key !== null && resolved.has(entry.key) && !Object.hasOwn(profiles, entry.key)) {
      setOwn(profiles, entry.key, resolved.get(entry.key));
      continue;
    }
    const problem = entry.section === "profiles" && entry.key !== null ? failed.get(entry.key) : undefined;
    kept.push(problem === undefined ? entry : withError({ ...entry, problem }, errors.get(entry.key as string)));
  }
  // A usable entry whose reference failed is set aside like an entry this version cannot read.
  const order = Object.keys(data.profiles);
  for (const profile of refs) {
    const problem = failed.get(profile.profileId);
    if (profile.kept === null && problem !== undefined) {
      kept.push(withError({ section: "profiles", key: profile.profileId, raw: profile.raw, index: order.indexOf(profile.profileId), problem }, errors.get(profile.profileId)));
    }
  }
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(data)) setOwn(view, key, key === "profiles" ? profiles : data[key as keyof StoreData]);
  Object.defineProperty(view, KEPT_ENTRIES, { value: kept, enumerable: true, writable: false, configurable: true });
  return view as unknown as StoreData;
}

const REF_ERROR: unique symbol = Symbol("auth-profiles.secretRefError");

function withError(entry: KeptEntry, error: AuthProfilesError | undefined): KeptEntry {
  return error === undefined ? entry : defineHidden(entry, REF_ERROR, error);
}

/**
 * The error of a kept profile whose secret reference could not be resolved, for a caller that
 * asked for that profile by id.
 *
 * @param entry - a kept entry of the resolver's view
 * @returns the `SECRET_REF_UNRESOLVED` error, or `undefined`
 * @internal
 */
export function secretRefErrorOf(entry: KeptEntry | undefined): AuthProfilesError | undefined {
  return entry === undefined ? undefined : (entry as { [REF_ERROR]?: AuthProfilesError })[REF_ERROR];
}

/** The usable entry of a resolved profile: the stored fields without the reference, the value hidden, the stored form marked. */
function resolvedEntry(profile: RefProfile, value: string): unknown {
  const { raw, found } = profile;
  const entry: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (key === found.field || key === found.secretField) continue;
    setOwn(entry, key, raw[key]);
  }
  const mark: ResolvedRefMark = { raw, label: "unsupported" in found.ref ? found.ref.unsupported : secretRefLabel(found.ref) };
  Object.defineProperty(entry, RESOLVED_REF, { value: mark, enumerable: true, writable: false, configurable: false });
  return defineHidden(entry, found.secretField, value);
}

/** The kept entry's problem: the error's message and its fix, in one line with no trailing period. */
function problemOf(error: AuthProfilesError): string {
  const message = error.message.replace(/\.$/, "");
  const hint = error.hint ?? "";
  const cut = hint.indexOf(" Until then");
  const fix = (cut < 0 ? hint : hint.slice(0, cut)).trim().replace(/\.$/, "");
  return fix === "" ? message : `${message} (fix: ${fix})`;
}

function unsupportedError(site: SecretRefSite, source: string): AuthProfilesError {
  return new AuthProfilesError("SECRET_REF_UNRESOLVED", `${site.jsonPath} of ${site.storeFile} cannot be resolved: its source "${source}" is one this library does not read (only env, file and exec).`, {
    hint: `Use an env, file or exec reference for this profile. Until then the profile "${site.profileId}" is skipped; the store keeps the reference unchanged.`,
    details: { file: site.storeFile, jsonPath: site.jsonPath, profileId: site.profileId, reason: "unsupported_source" },
  });
}

function unexpectedError(site: SecretRefSite, ref: SecretRef): AuthProfilesError {
  return new AuthProfilesError("SECRET_REF_UNRESOLVED", `${site.jsonPath} of ${site.storeFile} (${secretRefLabel(ref)}) cannot be resolved: unexpected error.`, {
    hint: `Until then the profile "${site.profileId}" is skipped; the store keeps the reference unchanged.`,
    details: { file: site.storeFile, jsonPath: site.jsonPath, profileId: site.profileId, ref: secretRefLabel(ref), reason: "exec_failed" },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Plain assignment would treat a `__proto__` key from JSON as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
