import type { Redis } from "ioredis";
import { AuthProfilesError } from "../model/errors.js";

/**
 * The Redis URL to show in messages: the same URL without its password (userinfo password and a
 * `password` query parameter), so `rediss://gw:s3cret@cache:6380/1` is shown as
 * `rediss://gw@cache:6380/1`.
 *
 * @param url - a `redis://` or `rediss://` URL as given to the store
 * @returns the URL without any password
 * @throws AuthProfilesError `INVALID_ARGUMENT` when `url` is not a `redis:` or `rediss:` URL (the
 * message never repeats the URL, which may hold a password)
 * @internal
 */
export function describeRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Node's URL error carries the input, which may hold the password: keep it out of `cause`.
    throw invalidUrl();
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw invalidUrl();
  parsed.password = "";
  parsed.searchParams.delete("password");
  return parsed.toString();
}

/**
 * The URL-like location of a client the caller created, built from its options (never its
 * password): `rediss://user@host:port/db` or `redis+unix:///path/to.sock`.
 *
 * @param client - an ioredis client
 * @returns where it connects
 * @internal
 */
export function describeRedisClient(client: Redis): string {
  const options = client.options;
  const db = options.db !== undefined && options.db !== 0 ? `/${options.db}` : "";
  if (typeof options.path === "string" && options.path !== "") return `redis+unix://${options.path}${db}`;
  const scheme = options.tls === undefined ? "redis" : "rediss";
  const user = typeof options.username === "string" && options.username !== "" ? `${encodeURIComponent(options.username)}@` : "";
  const host = options.host ?? "localhost";
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return `${scheme}://${user}${shownHost}:${options.port ?? 6379}${db}`;
}

function invalidUrl(): AuthProfilesError {
  return new AuthProfilesError("INVALID_ARGUMENT", "The Redis profile store `url` is not a redis:// or rediss:// URL.", {
    hint: "Pass a URL like redis://host:6379/0 or rediss://user:password@host:6380 (TLS), or pass a connected ioredis `client` instead.",
    details: { option: "url" },
  });
}
