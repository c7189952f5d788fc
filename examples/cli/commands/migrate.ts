import { Command } from "commander";
import { copyProfiles, redactText } from "../../../src/index.js";
import { createRedisProfileStore } from "../../../src/redis.js";
import { agentFlag, locationOf } from "../context.js";
import { CliUsageError } from "../errors.js";
import { writeLine, type CliIo } from "../io.js";

interface MigrateOptions {
  readonly to: string;
  readonly keyPrefix?: string;
  readonly includeOauth?: boolean;
  readonly overwrite?: boolean;
  readonly encryptionKeyEnv?: string;
  readonly keyId?: string;
}

/**
 * `models auth migrate --to redis://…`: copies the agent's file store into a Redis store, so several
 * gateway hosts can share it.
 *
 * @param io - the CLI's streams
 * @returns the command
 */
export function migrateCommand(io: CliIo): Command {
  return new Command("migrate")
    .description("copy this agent's profiles into a Redis store shared by several gateway hosts")
    .requiredOption("--to <url>", "redis://[user:password@]host:port[/db] or rediss:// for TLS")
    .option("--key-prefix <prefix>", "prefix of every Redis key (default auth-profiles:)")
    .option("--include-oauth", "also move OAuth logins (then remove them from the file store)")
    .option("--overwrite", "replace profiles the Redis store already has")
    .option("--encryption-key-env <VAR>", "env variable holding a base64 32-byte key to encrypt credentials at rest")
    .option("--key-id <id>", "id stored beside each encrypted value (default k1)")
    .action(async (options: MigrateOptions, command: Command) => {
      const location = locationOf(command, io);
      if (!/^rediss?:\/\//.test(options.to)) throw new CliUsageError("--to must be a redis:// or rediss:// URL.", "e.g. --to redis://127.0.0.1:6379");
      const encryption = encryptionOf(options, io);
      const target = createRedisProfileStore({
        url: options.to,
        ...(location.agentId === undefined ? {} : { agentId: location.agentId }),
        ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
        ...(encryption === undefined ? {} : { encryption }),
      });
      try {
        const { agentId, ...shared } = location;
        const result = await copyProfiles({
          ...shared,
          from: agentId ?? "main",
          to: { store: target },
          ...(options.includeOauth === true ? { includeOAuth: true } : {}),
          ...(options.overwrite === true ? { overwrite: true } : {}),
        });
        writeLine(io.stdout, `Copied ${result.copied.length === 0 ? "nothing" : result.copied.join(", ")} to ${redactText(result.toPath)}.`);
        for (const skipped of result.skipped) writeLine(io.stdout, `  skipped ${skipped.profileId} (${skipped.reason})`);
        writeLine(io.stdout, "Next: give every gateway host createAuthResolver({ store: createRedisProfileStore({ url, agentId }) }).");
        if (options.includeOauth === true) writeLine(io.stdout, `Remove the moved OAuth logins from the file store (two stores must never refresh one rotating token): npm run cli -- models auth remove <profileId>${agentFlag(location)} (removeProfile).`);
      } finally {
        await target.close();
      }
    });
}

function encryptionOf(options: MigrateOptions, io: CliIo): { keys: Record<string, Buffer>; currentKeyId: string } | undefined {
  if (options.encryptionKeyEnv === undefined) return undefined;
  const value = io.env[options.encryptionKeyEnv];
  const key = value === undefined ? Buffer.alloc(0) : Buffer.from(value, "base64");
  if (key.length !== 32) {
    throw new CliUsageError(`${options.encryptionKeyEnv} must hold a base64-encoded 32-byte key.`, "Create one with: openssl rand -base64 32");
  }
  const keyId = options.keyId ?? "k1";
  return { keys: { [keyId]: key }, currentKeyId: keyId };
}
