import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How a test Redis keeps its data. */
export interface RedisServerOptions {
  /**
   * `"always"`: append-only file fsynced on every write (nothing acknowledged is lost by a crash).
   * `false` (default): no persistence at all; a restart starts empty.
   */
  readonly appendFsync?: "always" | false;
  /** Extra `redis-server` arguments, e.g. `["--user", "alice", "on", ">pw", "~*", "+@all"]`. */
  readonly args?: readonly string[];
}

/** A real `redis-server` on a loopback port in a temp dir, for tests. */
export interface RedisServer {
  /** The loopback port. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The temp dir holding its data files. */
  readonly dir: string;
  /** Stops it: `SIGTERM` (clean) or `SIGKILL` (a crash). Idempotent. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port and dir (after {@link RedisServer.stop}). */
  start(): Promise<void>;
  /** Freezes it with `SIGSTOP` (connections stay open, nothing is answered): a stalled Redis. */
  pause(): void;
  /** Lets a paused server go on (`SIGCONT`). */
  resume(): void;
  /** Stops it and removes its temp dir. */
  dispose(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Starts a real `redis-server` bound to 127.0.0.1 on a free port, in a fresh temp dir, and waits
 * until it answers `PING`.
 *
 * @param options - persistence and extra arguments
 * @returns the running server
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), "auth-profiles-redis-"));
  const removeDirOnExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once("exit", removeDirOnExit);
  let port = 0;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = [
      "--port", String(port),
      "--bind", "127.0.0.1",
      "--dir", dir,
      "--save", "",
      "--daemonize", "no",
      "--protected-mode", "no",
      "--logfile", "",
      "--loglevel", "warning",
      ...(options.appendFsync === "always" ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
      ...(options.args ?? []),
    ];
    const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    // A test process that crashes or times out must not leave its Redis behind.
    const killOnExit = (): void => {
      proc.kill("SIGKILL");
    };
    process.once("exit", killOnExit);
    proc.once("exit", () => process.off("exit", killOnExit));
    let output = "";
    proc.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<never>((_resolve, reject) => {
      proc.once("error", reject);
      proc.once("exit", (code) => reject(new Error(`redis-server exited (${String(code)}): ${output}`)));
    });
    exited.catch(() => undefined);
    child = proc;
    await Promise.race([waitForPong(port), exited]);
  };

  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill(signal);
    await gone;
  };

  for (let attempt = 0; ; attempt += 1) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      await stop("SIGKILL");
      if (attempt >= 4) {
        process.off("exit", removeDirOnExit);
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    stop,
    start: launch,
    pause() {
      child?.kill("SIGSTOP");
    },
    resume() {
      child?.kill("SIGCONT");
    },
    async dispose() {
      child?.kill("SIGCONT");
      await stop("SIGKILL");
      process.off("exit", removeDirOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A port the OS just handed out on 127.0.0.1 (free at the time of the call). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `PING` on the port is answered (`+PONG`, or `-NOAUTH` when the default user is off). */
async function waitForPong(port: number): Promise<void> {
  for (let waitedMs = 0; waitedMs < READY_TIMEOUT_MS; waitedMs += 20) {
    if (await pingOnce(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server on port ${port} did not answer PING`);
}

async function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG") || reply.startsWith("-NOAUTH"));
    });
  });
}
