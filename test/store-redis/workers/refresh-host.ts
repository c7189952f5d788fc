// One "gateway host" refreshing an OAuth profile under the Redis refresh lock.
// Mode "refresh": waits for "go", then refreshes if the token is still the old one, calling the
// token endpoint at <tokenUrl>. Mode "hold": takes the lock and never lets go (to be killed).
import { createRedisProfileStore } from "../../../src/redis.js";
import type { OAuthProfile } from "../../../src/model/store.js";
import { nextStdinLine } from "./stdin.js";

const [url = "", keyPrefix = "", hostId = "", mode = "refresh", tokenUrl = "", ttlMs = "30000"] = process.argv.slice(2);
const PROFILE_ID = "anthropic:work";
const store = createRedisProfileStore({ url, keyPrefix, refreshLockTtlMs: Number(ttlMs) });

if (mode === "hold") {
  await store.withRefreshLock(PROFILE_ID, async () => {
    process.stdout.write("locked\n");
    await new Promise(() => undefined);
  });
} else {
  await store.read();
  process.stdout.write("ready\n");
  await nextStdinLine();
  const access = await store.withRefreshLock(PROFILE_ID, async () => {
    const profile = (await store.read()).profiles[PROFILE_ID] as OAuthProfile;
    if (profile.access !== "old-access") return profile.access;
    const response = await fetch(tokenUrl, { method: "POST", body: hostId });
    const fresh = (await response.json()) as { access_token: string };
    await store.update((current) => ({
      data: { ...current, profiles: { ...current.profiles, [PROFILE_ID]: { ...profile, access: fresh.access_token } } },
      result: null,
    }));
    return fresh.access_token;
  });
  process.stdout.write(`access ${access}\n`);
  await store.close();
}
