/**
 * Warm resolve of an unexpired OAuth profile against the API-key case (the OAuth path should add
 * nothing but an expiry comparison), and against a setup-token, which sends the same headers as
 * OAuth but has no refresh: that difference is the freshness check alone.
 *
 * @module
 */
import { countFsCalls } from "../../test/helpers/fs-calls.js";
import { heapPerCall } from "../heap.js";
import { interleavedRounds } from "../measure.js";
import { figuresOf, verdictOf, type SectionResult } from "../report.js";
import { apiKeyStore, fakeAccessToken, makeWorkspace, oauthStore } from "../workspace.js";

/** "About equal": the OAuth case keeps at least this share of the other case's throughput. */
const MIN_OAUTH_SHARE = 0.9;
const COUNTED_CALLS = 10_000;

/** @returns the OAuth-vs-API-key figures */
export async function benchOAuthWarm(): Promise<SectionResult> {
  const keys = await makeWorkspace();
  const token = await makeWorkspace();
  const oauth = await makeWorkspace();
  let tokenRequests = 0;
  // Any token request would show up here (and fail): an unexpired token must not cause one.
  const fetchSpy: typeof fetch = async () => {
    tokenRequests += 1;
    throw new Error("bench: unexpected token request");
  };
  try {
    await keys.writeStore(apiKeyStore(1));
    await token.writeStore({ version: 1, profiles: { "anthropic:manual": { type: "token", provider: "anthropic", token: fakeAccessToken() } } });
    await oauth.writeStore(oauthStore(fakeAccessToken(), `sk-ant-ort01-${"r".repeat(90)}`, Date.now() + 3_600_000));
    const keyResolver = keys.resolver();
    const tokenResolver = token.resolver();
    const oauthResolver = oauth.resolver({ fetch: fetchSpy, oauth: { tokenUrl: "http://127.0.0.1:9/v1/oauth/token" } });
    const request = { model: "claude-sonnet-4-6" };
    const first = await oauthResolver.resolve(request);
    await keyResolver.resolve(request);
    await tokenResolver.resolve(request);
    const ops = await interleavedRounds(
      { apiKey: () => keyResolver.resolve(request), token: () => tokenResolver.resolve(request), oauth: () => oauthResolver.resolve(request) },
      { rounds: 7, roundMs: 300, warmupMs: 300 },
    );
    const fsCalls = await countFsCalls(async () => {
      for (let i = 0; i < COUNTED_CALLS; i += 1) await oauthResolver.resolve(request);
    });
    const oauthHeap = await heapPerCall(() => oauthResolver.resolve(request), { retainedCalls: 0 });
    const keyHeap = await heapPerCall(() => keyResolver.resolve(request), { retainedCalls: 0 });
    const apiKeyOps = ops["apiKey"]?.opsPerSec ?? Number.NaN;
    const tokenOps = ops["token"]?.opsPerSec ?? Number.NaN;
    const oauthOps = ops["oauth"]?.opsPerSec ?? Number.NaN;
    const share = oauthOps / apiKeyOps;
    const tokenShare = oauthOps / tokenOps;
    const extraNs = (1 / oauthOps - 1 / apiKeyOps) * 1e9;
    const fig = figuresOf("oauth warm");
    return {
      figures: [
        fig("warm resolve, 1 API-key profile", apiKeyOps, "ops/s", "-", "INFO"),
        fig("warm resolve, 1 OAuth profile (expires in 1 h)", oauthOps, "ops/s", "-", "INFO"),
        fig("warm resolve, 1 setup-token profile (same headers as OAuth)", tokenOps, "ops/s", "-", "INFO"),
        fig("OAuth ÷ API-key warm throughput", share, "×", `≥ ${MIN_OAUTH_SHARE} (about equal)`, verdictOf(share >= MIN_OAUTH_SHARE)),
        fig("OAuth − API-key time per warm resolve", extraNs, "ns/call", "-", "INFO"),
        fig("OAuth ÷ setup-token warm throughput (freshness check alone)", tokenShare, "×", `≥ ${MIN_OAUTH_SHARE} (about equal)`, verdictOf(tokenShare >= MIN_OAUTH_SHARE)),
        fig("fs calls during warm OAuth resolves", fsCalls, `calls in ${COUNTED_CALLS.toLocaleString("en-US")} resolves`, "0", verdictOf(fsCalls === 0)),
        fig("token requests during warm OAuth resolves", tokenRequests, "requests", "0", verdictOf(tokenRequests === 0 && first.mode === "oauth")),
        fig("heap allocated per warm resolve, OAuth", oauthHeap.allocatedBytes, "B/call", "-", "INFO"),
        fig("heap allocated per warm resolve, API key", keyHeap.allocatedBytes, "B/call", "-", "INFO"),
      ],
      notes: [
        "oauth warm: three resolvers over one-profile stores (an API key; a setup-token; an OAuth token expiring in 1 h, outside the 5 min refresh margin), 7 interleaved rounds, median; the OAuth resolver's fetch counts and refuses any token request. A setup-token sends the same Authorization: Bearer + oauth beta headers as OAuth but is never refreshed, so OAuth ÷ setup-token isolates the freshness check, and setup-token ÷ API key the header building.",
      ],
    };
  } finally {
    await keys.cleanup();
    await token.cleanup();
    await oauth.cleanup();
  }
}
