import { Command } from "commander";
import { clearProfileOrder, createAuthResolver, setProfileOrder } from "../../../src/index.js";
import { createFileProfileStore } from "../../../src/store.js";
import { locationOf, type CliLocation } from "../context.js";
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
      const { storePath, ids } = await readOrder(locationOf(command, io), provider);
      if (ids === undefined || ids.length === 0) writeLine(io.stdout, `No store order for ${provider}: the config's auth.order, else round-robin, applies (${storePath}).`);
      else writeLine(io.stdout, `Store order for ${provider}: ${ids.join(", ")}`);
    });
  order
    .command("set")
    .description("set the store's order (first = preferred)")
    .option("--provider <id>", "provider", "anthropic")
    .argument("<profileIds...>", "profile ids, preferred first")
    .action(async (ids: string[], options: { provider?: string }, command: Command) => {
      const provider = checkProvider(options.provider);
      const result = await setProfileOrder({ ...locationOf(command, io), provider, order: ids });
      writeLine(io.stdout, `Store order for ${provider}: ${(result.order ?? []).join(", ")}`);
    });
  order
    .command("clear")
    .description("remove the store's order (back to config order / round-robin)")
    .option("--provider <id>", "provider", "anthropic")
    .action(async (options: { provider?: string }, command: Command) => {
      const provider = checkProvider(options.provider);
      const result = await clearProfileOrder({ ...locationOf(command, io), provider });
      writeLine(io.stdout, result.changed ? `Cleared the store order for ${provider}.` : `There was no store order for ${provider}.`);
    });
  return order;
}

/** The store's order, read from the store the resolver uses. */
async function readOrder(location: CliLocation, provider: string): Promise<{ storePath: string; ids: readonly string[] | undefined }> {
  const resolver = createAuthResolver(location);
  try {
    const { storePath } = await resolver.status();
    const store = createFileProfileStore({ path: storePath });
    try {
      return { storePath, ids: (await store.read()).order?.[provider] };
    } finally {
      await store.close?.();
    }
  } finally {
    await resolver.close();
  }
}
