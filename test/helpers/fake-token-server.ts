import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the fake endpoint does with one token request. */
export type TokenBehaviour =
  /** Rotates like Anthropic: a valid refresh token is spent and a new pair issued. */
  | { readonly kind: "ok"; readonly expiresInS?: number; readonly rotate?: boolean; readonly delayMs?: number }
  /** 400 invalid_grant, whatever the token. */
  | { readonly kind: "invalid_grant" }
  /** Any status with a JSON (or raw) body. */
  | { readonly kind: "status"; readonly status: number; readonly body?: string; readonly contentType?: string }
  /** Reads the request and never answers. */
  | { readonly kind: "hang" }
  /** Sends headers and half the body, then the rest after `delayMs`. */
  | { readonly kind: "slow"; readonly delayMs: number }
  /** 200 with an HTML page. */
  | { readonly kind: "html"; readonly status?: number }
  /** 200 with JSON cut in half, complete at the HTTP level (content-length matches). */
  | { readonly kind: "truncated" }
  /** 200 declaring the full length, sending half, then closing the connection. */
  | { readonly kind: "cut" }
  /** 200 with a body of `bytes` (default 1 MiB), chunked unless `declareLength`. */
  | { readonly kind: "oversized"; readonly bytes?: number; readonly declareLength?: boolean }
  /** Resets the TCP connection after reading the request. */
  | { readonly kind: "reset" };

/** One request the fake endpoint received. */
export interface TokenRequestRecord {
  /** HTTP method. */
  readonly method: string;
  /** Request path. */
  readonly path: string;
  /** Lower-cased request headers. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body. */
  readonly rawBody: string;
  /** The parsed JSON body, or `undefined`. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  /** What the server did. */
  readonly behaviour: TokenBehaviour["kind"];
  /** For `ok`: whether the refresh token was valid (else it answered invalid_grant). */
  readonly accepted: boolean;
}

/** A real token endpoint on 127.0.0.1. */
export interface FakeTokenServer {
  /** `http://127.0.0.1:<port>/v1/oauth/token`. */
  readonly url: string;
  /** Every request, in order. */
  readonly requests: readonly TokenRequestRecord[];
  /** Number of requests received. */
  readonly count: number;
  /** Registers a refresh token as valid (what a login would have issued) and returns it. */
  issueRefreshToken(): string;
  /** Queues behaviours for the next requests (default: `ok`). */
  enqueue(...behaviours: TokenBehaviour[]): void;
  /** Behaviour used when the queue is empty. */
  setDefault(behaviour: TokenBehaviour): void;
  /** Tells whether a refresh token is still valid. */
  isValid(refreshToken: string): boolean;
  /**
   * Calls `listener` right after a rotating answer was written to the socket (the old refresh
   * token is spent from then on), e.g. to kill or stop the client at that moment.
   */
  onIssued(listener: ((pair: { readonly access: string; readonly refresh: string }) => void) | null): void;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

/** An access token in Anthropic's format (fake). */
export function fakeAccessToken(): string {
  return `sk-ant-oat01-${randomBytes(60).toString("base64url")}`;
}

/** A refresh token in Anthropic's format (fake). */
export function fakeRefreshToken(): string {
  return `sk-ant-ort01-${randomBytes(60).toString("base64url")}`;
}

/** Starts a fake OAuth token endpoint with refresh-token rotation on 127.0.0.1. */
export async function startFakeTokenServer(): Promise<FakeTokenServer> {
  const valid = new Set<string>();
  const queue: TokenBehaviour[] = [];
  let fallback: TokenBehaviour = { kind: "ok" };
  const requests: TokenRequestRecord[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let issued: ((pair: { readonly access: string; readonly refresh: string }) => void) | null = null;

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, rawBody: string): void => {
    const behaviour = queue.shift() ?? fallback;
    const body = parseBody(rawBody);
    const refreshToken = typeof body?.refresh_token === "string" ? body.refresh_token : "";
    const accepted = behaviour.kind === "ok" && valid.has(refreshToken);
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: { ...req.headers }, rawBody, body, behaviour: behaviour.kind, accepted });
    switch (behaviour.kind) {
      case "ok": {
        if (!accepted) return json(res, 400, { error: "invalid_grant", error_description: "Refresh token not found or invalid" });
        const rotate = behaviour.rotate ?? true;
        const payload: Record<string, unknown> = {
          token_type: "Bearer",
          access_token: fakeAccessToken(),
          expires_in: behaviour.expiresInS ?? 28_800,
          scope: "user:inference user:profile",
        };
        if (rotate) {
          valid.delete(refreshToken);
          const next = fakeRefreshToken();
          valid.add(next);
          payload.refresh_token = next;
        }
        const answer = (): void => {
          json(res, 200, payload);
          if (rotate) issued?.({ access: payload.access_token as string, refresh: payload.refresh_token as string });
        };
        if (behaviour.delayMs === undefined) return answer();
        return later(behaviour.delayMs, answer);
      }
      case "invalid_grant":
        return json(res, 400, { error: "invalid_grant", error_description: "Refresh token not found or invalid" });
      case "status":
        res.writeHead(behaviour.status, { "content-type": behaviour.contentType ?? "application/json" });
        return void res.end(behaviour.body ?? JSON.stringify({ type: "error", error: { type: "api_error", message: "Internal server error" } }));
      case "hang":
        return;
      case "slow": {
        const text = JSON.stringify({ access_token: fakeAccessToken(), expires_in: 28_800 });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, 10));
        return later(behaviour.delayMs, () => res.end(text.slice(10)));
      }
      case "html":
        res.writeHead(behaviour.status ?? 200, { "content-type": "text/html" });
        return void res.end("<!doctype html><html><body><h1>Just a moment…</h1></body></html>");
      case "truncated": {
        const text = JSON.stringify({ access_token: fakeAccessToken(), expires_in: 28_800, refresh_token: fakeRefreshToken() });
        const half = text.slice(0, Math.floor(text.length / 2));
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(half) });
        return void res.end(half);
      }
      case "cut": {
        const text = JSON.stringify({ access_token: fakeAccessToken(), expires_in: 28_800 });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        return later(20, () => req.socket.destroy());
      }
      case "oversized": {
        const bytes = behaviour.bytes ?? 1024 * 1024;
        const headers: Record<string, string | number> = { "content-type": "application/json" };
        if (behaviour.declareLength === true) headers["content-length"] = bytes;
        res.writeHead(200, headers);
        const chunk = `"${"x".repeat(16 * 1024 - 2)}"`;
        let sent = 0;
        const pump = (): void => {
          while (sent < bytes) {
            const piece = chunk.slice(0, Math.min(chunk.length, bytes - sent));
            sent += piece.length;
            if (!res.write(piece)) return void res.once("drain", pump);
          }
          res.end();
        };
        res.on("error", () => undefined);
        return pump();
      }
      case "reset":
        req.socket.resetAndDestroy();
        return;
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1/oauth/token`,
    get requests() {
      return requests;
    },
    get count() {
      return requests.length;
    },
    issueRefreshToken() {
      const token = fakeRefreshToken();
      valid.add(token);
      return token;
    },
    enqueue(...behaviours) {
      queue.push(...behaviours);
    },
    setDefault(behaviour) {
      fallback = behaviour;
    },
    isValid(refreshToken) {
      return valid.has(refreshToken);
    },
    onIssued(listener) {
      issued = listener;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseBody(rawBody: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(rawBody);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
