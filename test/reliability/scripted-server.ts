import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One scripted answer: a status with headers and a raw body, or a connection that misbehaves. */
export type Reply =
  | { readonly status: number; readonly body?: string | Uint8Array; readonly headers?: Readonly<Record<string, string>> }
  /** Read the request, never answer. */
  | { readonly hang: true }
  /** Reset the TCP connection without answering. */
  | { readonly reset: true };

/** A request the server received. */
export interface ReceivedRequest {
  /** Method. */
  readonly method: string;
  /** Path with query. */
  readonly path: string;
  /** Lower-cased headers. */
  readonly headers: IncomingMessage["headers"];
  /** The raw body. */
  readonly body: string;
}

/** A real HTTP server on 127.0.0.1 whose every answer comes from a test-supplied function. */
export interface ScriptedServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request, oldest first. */
  readonly requests: readonly ReceivedRequest[];
  /** Replaces the answering function. */
  answer(reply: (request: ReceivedRequest) => Reply | Promise<Reply>): void;
  /** Closes the server and every open (hanging) connection. */
  close(): Promise<void>;
}

/**
 * Starts a {@link ScriptedServer}. Until `answer` is called, every request gets 500.
 *
 * @returns the running server
 */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let replyFor: (request: ReceivedRequest) => Reply | Promise<Reply> = () => ({ status: 500, body: "no script" });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(request);
      void Promise.resolve(replyFor(request)).then((reply) => {
        if ("hang" in reply) return;
        if ("reset" in reply) return void req.socket.resetAndDestroy();
        // These statuses never carry a body.
        const body = reply.status === 204 || reply.status === 304 ? "" : (reply.body ?? "");
        res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...reply.headers });
        res.end(body);
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    answer(reply) {
      replyFor = reply;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
