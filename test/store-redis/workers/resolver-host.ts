// One gateway host: a real resolver over the shared Redis store. Resolves once (an expired OAuth
// profile is refreshed, at most once across hosts), then records N rate-limit failures on a key.
import { createAuthResolver } from "../../../src/resolver/resolver.js";
import { createRedisProfileStore } from "../../../src/redis.js";

const [url = "", keyPrefix = "", tokenUrl = "", now = "0", failures = "0"] = process.argv.slice(2);
const store = createRedisProfileStore({ url, keyPrefix });
const resolver = createAuthResolver({ store, configPath: false, env: {}, claudeCli: false, now: () => Number(now), oauth: { tokenUrl } });
const auth = await resolver.resolve({ profileId: "anthropic:me" });
for (let i = 0; i < Number(failures); i += 1) await resolver.reportFailure("anthropic:key", { status: 429 });
await resolver.close();
await store.close();
process.stdout.write(`${auth.secret.slice(-12)}\n`);
