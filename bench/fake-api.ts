/**
 * The fake Anthropic API (`examples/fake-anthropic.ts`) in a child process on 127.0.0.1.
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FakeBehavior } from "../examples/fake-anthropic.js";

/** Repository root: `node --import tsx` resolves tsx from here. */
export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** A running fake API process. */
export interface FakeApiProcess {
  /** Its base URL. */
  readonly url: string;
  /** Forgets recorded requests and behaviours (keeps its memory flat over many requests). */
  reset(): Promise<void>;
  /** Requests received since the last reset. */
  requestCount(): Promise<number>;
  /** Scripts the answers to one credential. */
  setBehavior(credential: string, behavior: FakeBehavior): Promise<void>;
  /** Stops the process. */
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly url?: string;
  readonly count?: number;
}

/** @returns the fake API, started and answering */
export async function startFakeApiProcess(): Promise<FakeApiProcess> {
  const script = fileURLToPath(new URL("./fixtures/fake-anthropic-server.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting = new Map<number, (reply: Reply) => void>();
  let nextId = 1;
  child.on("message", (raw: unknown) => {
    const reply = raw as Reply;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ask = (message: Record<string, unknown>): Promise<Reply> =>
    new Promise((resolve) => {
      const id = nextId;
      nextId += 1;
      waiting.set(id, resolve);
      child.send({ ...message, id });
    });
  const ready = await Promise.race([
    new Promise<Reply>((resolve) => waiting.set(0, resolve)),
    exited.then(() => {
      throw new Error("bench: the fake Anthropic server process exited before it was ready");
    }),
  ]);
  return {
    url: ready.url ?? "",
    reset: async () => void (await ask({ kind: "reset" })),
    requestCount: async () => (await ask({ kind: "count" })).count ?? 0,
    setBehavior: async (credential, behavior) => void (await ask({ kind: "setBehavior", credential, behavior })),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.disconnect();
      await exited;
    },
  };
}
