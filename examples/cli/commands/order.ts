import { Command } from "commander";
import { createAuthResolver, type AuthStatus, type StoreData } from "../../../src/index.js";
import { createFileProfileStore } from "../../../src/store.js";
import { agentFlag, locationOf, type CliLocation } from "../context.js";
import { CliUsageError } from "../errors.js";
import { writeLine, type CliIo } from "../io.js";
import { checkProvider } from "../provider.js";

/**
 * `models auth order get|set|clear --provider anthropic`: reads or writes the store's explicit
 * profile order, which wins over the config's `auth.order` and round-robin.
 *
 * @param io - the CLI's streams
 * @returns the command
 */
export function orderCommand(io: CliIo): Command {
  const order = new Command("order").description("show or set the store's explicit profile order");
  order
    .command("get")
    .description("print the store's order")
    .option("--provider <id>", "provider", "anthropic")
    .action(async (options: { provider?: string }, command: Command) => {
      const provider = checkProvider(options.provider);
      const { status, data } = await readStore(locationOf(command, io));
      const ids = data.order?.[provider];
      if (ids === undefined || ids.length === 0) writeLine(io.stdout, `No store order for ${provider}: the config's auth.order, else round-robin, applies (${status.storePath}).`);
      else writeLine(io.stdout, `Store order for ${provider}: ${ids.join(", ")}`);
    });
  order
    .command("set")
    .description("set the store's order (first = preferred)")
    .option("--provider <id>", "provider", "anthropic")
    .argument("<profileIds...>", "profile ids, preferred first")
    .action(async (ids: string[], options: { provider?: string }, command: Command) => {
      const provider = checkProvider(options.provider);
      const location = locationOf(command, io);
      const { status } = await readStore(location);
      const known = status.auth.providers.filter((p) => p.provider === provider).flatMap((p) => p.entries.map((entry) => entry.profileId));
      const unknown = ids.filter((id) => !known.includes(id));
      if (unknown.length > 0) {
        throw new CliUsageError(`Unknown profile${unknown.length === 1 ? "" : "s"} for ${provider}: ${unknown.join(", ")}.`, `List them with: npm run cli -- models status${agentFlag(location)}`, { code: "NOT_FOUND", exitCode: 1 });
      }
      await writeOrder(status.storePath, provider, [...new Set(ids)]);
      writeLine(io.stdout, `Store order for ${provider}: ${[...new Set(ids)].join(", ")}`);
    });
  order
    .command("clear")
    .description("remove the store's order (back to config order / round-robin)")
    .option("--provider <id>", "provider", "anthropic")
    .action(async (options: { provider?: string }, command: Command) => {
      const provider = checkProvider(options.provider);
      const { status } = await readStore(locationOf(command, io));
      await writeOrder(status.storePath, provider, null);
      writeLine(io.stdout, `Cleared the store order for ${provider}.`);
    });
  return order;
}

/** The agent's status (which resolves the store path as the resolver does) and its store document. */
async function readStore(location: CliLocation): Promise<{ status: AuthStatus; data: StoreData }> {
  const resolver = createAuthResolver(location);
  try {
    const status = await resolver.status();
    const store = createFileProfileStore({ path: status.storePath });
    try {
      return { status, data: await store.read() };
    } finally {
      await store.close?.();
    }
  } finally {
    await resolver.close();
  }
}

async function writeOrder(storePath: string, provider: string, ids: readonly string[] | null): Promise<void> {
  const store = createFileProfileStore({ path: storePath });
  try {
    await store.update((current) => {
      const { [provider]: _old, ...others } = current.order ?? {};
      const order = ids === null ? others : { ...others, [provider]: ids };
      const { order: _previous, ...rest } = current;
      return { data: Object.keys(order).length === 0 ? { ...rest, version: 1 } : { ...rest, version: 1, order }, result: undefined };
    });
  } finally {
    await store.close?.();
  }
}
