// An HTTP CONNECT proxy on loopback for the official SDK's own hard-wired hosts: its metadata
// requests (metadata.tencentyun.com:80) are tunnelled to the emulator, and its STS calls
// (sts.tencentcloudapi.com:443) are TLS-terminated here with a test-only certificate and answered
// by the emulator. Any other host is refused: nothing leaves this machine.
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer, type Server, type Socket } from "node:net";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

export interface LoopbackProxy {
  /** The proxy's URL, for `http_proxy`. */
  readonly url: string;
  /** Where metadata requests go: the emulator's port, or undefined for a host that is not there. */
  metadataPort: number | undefined;
  /** Hosts the proxy was asked for, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

export async function startLoopbackProxy(emulatorUrl: string): Promise<LoopbackProxy> {
  const emulatorPort = Number(new URL(emulatorUrl).port);
  const asked: string[] = [];
  // STS over TLS, as the official SDK calls it; answered by the emulator over plain HTTP.
  const sts = createHttpsServer({ key: fixture("loopback-tls.key"), cert: fixture("loopback-tls.crt") }, async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
    const answer = await fetch(new URL(request.url ?? "/", emulatorUrl), {
      method: request.method ?? "POST",
      headers,
      body: Buffer.concat(chunks),
    });
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  const open = new Set<Socket>();
  const proxy: Server = createServer((client: Socket) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.once("data", (head: Buffer) => {
      const target = /^CONNECT ([^\s:]+):(\d+) HTTP/.exec(head.toString("latin1"));
      const [, host = "", port = ""] = target ?? [];
      asked.push(`${host}:${port}`);
      if (host === "metadata.tencentyun.com" && port === "80" && state.metadataPort !== undefined) {
        const upstream = connect(state.metadataPort, "127.0.0.1", () => {
          client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on("error", () => client.destroy());
      } else if (host === "sts.tencentcloudapi.com" && port === "443") {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        sts.emit("connection", client);
      } else {
        client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"); // refused: never a connection beyond loopback
      }
    });
    client.on("error", () => {});
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as { port: number };
  const state: LoopbackProxy = {
    url: `http://127.0.0.1:${port}`,
    metadataPort: emulatorPort,
    asked,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        sts.close();
        proxy.close(() => resolve());
      }),
  };
  return state;
}
