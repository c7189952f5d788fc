import * as v from "valibot";
import { lazySchema, once } from "./lazy-schema.js";

/**
 * OpenClaw's secret references (SecretRef), as its own code reads them: pure parsing only. The
 * reading of a source (env, file, command) is `io/secret-sources.ts`.
 *
 * Facts (OpenClaw `src/config/types.secrets.ts`, `src/secrets/ref-contract.ts`,
 * `src/secrets/runtime-auth-collectors.ts`, `docs/gateway/secrets.md`):
 * - a ref is exactly `{ source, provider, id }` (three non-empty strings; an object with other keys
 *   is not a ref); `{ source, id }` without `provider` takes `secrets.defaults[source]`, else
 *   `"default"`;
 * - on an `api_key` entry `keyRef` wins over `key`, and a ref written in `key` itself counts as
 *   `keyRef`; the same for `token` / `tokenRef`; an OAuth entry never takes a ref;
 * - provider aliases are configured under `secrets.providers` of `openclaw.json`.
 */

/** Where a secret reference reads its value. @category Store */
export type SecretRefSource = "env" | "file" | "exec";

/**
 * OpenClaw's secret reference: read the value from `source` through the provider named `provider`
 * (an alias under `secrets.providers` of `openclaw.json`), at `id`.
 *
 * @category Store
 */
export interface SecretRef {
  /** `env`, `file` or `exec`. */
  readonly source: SecretRefSource;
  /** The provider alias, e.g. `default`. */
  readonly provider: string;
  /** The variable name (`env`), a JSON pointer or `value` (`file`), or the command's id (`exec`). */
  readonly id: string;
}

/** The provider alias OpenClaw uses when none is given or configured. @internal */
export const DEFAULT_SECRET_PROVIDER = "default";

/** `secrets.defaults`: the provider alias per source. @internal */
export interface SecretDefaults {
  readonly env?: string | undefined;
  readonly file?: string | undefined;
  readonly exec?: string | undefined;
}

const SOURCES: ReadonlySet<string> = new Set(["env", "file", "exec"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function filledString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * Reads a value as OpenClaw reads a secret reference.
 *
 * @param value - a `keyRef` / `tokenRef` value, or a `key` / `token` that may hold a ref object
 * @param defaults - `secrets.defaults`, for a ref without `provider`
 * @returns the ref (id trimmed, as OpenClaw resolves it), or `null` when `value` is not one
 * @internal
 */
export function parseSecretRef(value: unknown, defaults: SecretDefaults = {}): SecretRef | { readonly unsupported: string } | null {
  if (!isRecord(value)) return null;
  const keys = Object.keys(value);
  const { source, provider, id } = value;
  if (!filledString(source) || !filledString(id)) return null;
  let alias: string;
  if (keys.length === 3 && filledString(provider)) alias = provider;
  else if (keys.length === 2 && provider === undefined) alias = defaults[source as SecretRefSource] ?? DEFAULT_SECRET_PROVIDER;
  else return null;
  // OpenClaw hands other sources to plugins; this library reads only the three built-in ones.
  if (!SOURCES.has(source)) return { unsupported: source };
  return { source: source as SecretRefSource, provider: alias.trim(), id: id.trim() };
}

/** The stored field that holds the secret, per credential type. @internal */
export type SecretField = "key" | "token";

/** A profile entry whose secret comes from a reference. @internal */
export interface ProfileSecretRef {
  /** `keyRef`, `key`, `tokenRef` or `token`: where the ref is written. */
  readonly field: "keyRef" | "key" | "tokenRef" | "token";
  /** The field the resolved value stands in for. */
  readonly secretField: SecretField;
  /** The ref, or what is wrong with it. */
  readonly ref: SecretRef | { readonly unsupported: string };
}

/**
 * Finds the secret reference of a stored `api_key` / `token` entry, with OpenClaw's precedence:
 * `keyRef` over `key` (a ref object in `key` counts too), `tokenRef` over `token`.
 *
 * @param entry - a raw profile entry
 * @param defaults - `secrets.defaults`
 * @returns the ref and where it is written, or `null` when the entry has none
 * @internal
 */
export function profileSecretRef(entry: unknown, defaults: SecretDefaults = {}): ProfileSecretRef | null {
  if (!isRecord(entry)) return null;
  const type = entry["type"];
  const secretField: SecretField | null = type === "api_key" ? "key" : type === "token" ? "token" : null;
  if (secretField === null) return null;
  const refField = secretField === "key" ? "keyRef" : "tokenRef";
  const explicit = Object.hasOwn(entry, refField) ? parseSecretRef(entry[refField], defaults) : null;
  if (explicit !== null) return { field: refField, secretField, ref: explicit };
  const inline = Object.hasOwn(entry, secretField) ? parseSecretRef(entry[secretField], defaults) : null;
  if (inline !== null) return { field: secretField, secretField, ref: inline };
  return null;
}

/**
 * `source:provider:id`, OpenClaw's label of a ref (the id is a name or path, never the secret).
 *
 * @param ref - the ref
 * @returns the label
 * @internal
 */
export function secretRefLabel(ref: SecretRef): string {
  return `${ref.source}:${ref.provider}:${ref.id}`;
}

const EXEC_ID = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;

/**
 * Whether an `exec` ref id is one OpenClaw sends to a command: `^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$`
 * with no `.` or `..` path segment.
 *
 * @param id - the ref id
 * @returns `true` when valid
 * @internal
 */
export function isValidExecRefId(id: string): boolean {
  return EXEC_ID.test(id) && !id.split("/").some((segment) => segment === "." || segment === "..");
}

/**
 * Reads a JSON pointer (RFC 6901) as OpenClaw's file provider does: own keys only, array indexes.
 *
 * @param root - the parsed secrets file
 * @param pointer - an absolute pointer, `/providers/anthropic/apiKey`
 * @returns the value, or `undefined` when the path does not exist
 * @internal
 */
export function readJsonPointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith("/")) return undefined;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) {
      const index = /^\d+$/.test(token) ? Number(token) : -1;
      if (index < 0 || index >= current.length) return undefined;
      current = current[index];
    } else if (isRecord(current) && Object.hasOwn(current, token)) {
      current = current[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/** The provider schemas, built on the first read of a `secrets` block (not at import). */
const providerSchemas = once(() => {
  const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
  const stringList = v.array(v.string());

  const env = v.looseObject({ source: v.literal("env"), allowlist: v.optional(stringList) });
  const file = v.looseObject({
    source: v.literal("file"),
    path: v.pipe(v.string(), v.minLength(1)),
    mode: v.optional(v.picklist(["json", "singleValue"])),
    timeoutMs: v.optional(positiveInt),
    maxBytes: v.optional(positiveInt),
    allowInsecurePath: v.optional(v.boolean()),
  });
  const exec = v.looseObject({
    source: v.literal("exec"),
    command: v.pipe(v.string(), v.minLength(1)),
    args: v.optional(stringList),
    timeoutMs: v.optional(positiveInt),
    noOutputTimeoutMs: v.optional(positiveInt),
    maxOutputBytes: v.optional(positiveInt),
    jsonOnly: v.optional(v.boolean()),
    env: v.optional(v.record(v.string(), v.string())),
    passEnv: v.optional(stringList),
    trustedDirs: v.optional(stringList),
    allowInsecurePath: v.optional(v.boolean()),
    allowSymlinkCommand: v.optional(v.boolean()),
  });
  return { env, file, exec } as const;
});

/** `secrets.providers.<alias>` with `source: "env"`. @internal */
export const EnvSecretProviderSchema = lazySchema(() => providerSchemas().env);
/** `secrets.providers.<alias>` with `source: "file"`. @internal */
export const FileSecretProviderSchema = lazySchema(() => providerSchemas().file);
/** `secrets.providers.<alias>` with `source: "exec"`. @internal */
export const ExecSecretProviderSchema = lazySchema(() => providerSchemas().exec);

/** One configured secret provider. @internal */
export type SecretProviderConfig =
  | v.InferOutput<typeof EnvSecretProviderSchema>
  | v.InferOutput<typeof FileSecretProviderSchema>
  | v.InferOutput<typeof ExecSecretProviderSchema>;

/** A provider alias as read from the config: its settings, or why they cannot be used. @internal */
export type ProviderReading = { readonly ok: true; readonly config: SecretProviderConfig } | { readonly ok: false; readonly problem: string };

/** The `secrets` block of `openclaw.json`, read provider by provider. @internal */
export interface SecretsSettings {
  /** Alias → its settings (or problem); aliases are own keys only. */
  readonly providers: ReadonlyMap<string, ProviderReading>;
  /** `secrets.defaults`. */
  readonly defaults: SecretDefaults;
}

const SCHEMAS = { env: EnvSecretProviderSchema, file: FileSecretProviderSchema, exec: ExecSecretProviderSchema } as const;

/**
 * Reads the `secrets` block of a config (OpenClaw's `openclaw.json`) one provider at a time, so a
 * bad provider makes only the refs that name it unusable, never the whole config.
 *
 * @param secrets - `config.secrets`, whatever it holds
 * @returns the providers and defaults
 * @internal
 */
export function readSecretsSettings(secrets: unknown): SecretsSettings {
  const providers = new Map<string, ProviderReading>();
  const block = isRecord(secrets) ? secrets : {};
  const listed = isRecord(block["providers"]) ? block["providers"] : {};
  for (const alias of Object.keys(listed)) {
    const raw = listed[alias];
    const source = isRecord(raw) ? raw["source"] : undefined;
    if (typeof source !== "string" || !Object.hasOwn(SCHEMAS, source)) {
      providers.set(alias, { ok: false, problem: `secrets.providers.${alias}.source must be "env", "file" or "exec"` });
      continue;
    }
    const parsed = v.safeParse(SCHEMAS[source as keyof typeof SCHEMAS], raw);
    if (parsed.success) providers.set(alias, { ok: true, config: parsed.output as SecretProviderConfig });
    else {
      const key = parsed.issues[0]?.path?.map((item) => String(item.key)).join(".");
      providers.set(alias, { ok: false, problem: `secrets.providers.${alias}${key === undefined || key === "" ? "" : `.${key}`} is invalid` });
    }
  }
  const rawDefaults = isRecord(block["defaults"]) ? block["defaults"] : {};
  const pick = (name: string): string | undefined => {
    const value = rawDefaults[name];
    return filledString(value) ? value.trim() : undefined;
  };
  return { providers, defaults: { env: pick("env"), file: pick("file"), exec: pick("exec") } };
}

/**
 * Marks an in-memory profile entry whose secret came from a reference. A store that is asked to
 * write such an entry writes {@link ResolvedRefMark.raw} instead (see `validateStore`), so a
 * resolved value can never reach a store, whatever a caller does with the entry.
 *
 * @internal
 */
export const RESOLVED_REF: unique symbol = Symbol.for("auth-profiles.resolvedRef") as never;

/** What {@link RESOLVED_REF} holds. @internal */
export interface ResolvedRefMark {
  /** The entry exactly as stored (with its ref, without the value). */
  readonly raw: unknown;
  /** `source:provider:id`. */
  readonly label: string;
}

/**
 * The mark of an entry resolved from a reference, if it is one.
 *
 * @param entry - a profile entry
 * @returns the mark, or `undefined`
 * @internal
 */
export function resolvedRefMark(entry: unknown): ResolvedRefMark | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const mark = (entry as { [RESOLVED_REF]?: unknown })[RESOLVED_REF];
  return typeof mark === "object" && mark !== null ? (mark as ResolvedRefMark) : undefined;
}
