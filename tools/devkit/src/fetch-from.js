// A fetch that sends from a chosen loopback address (127.0.0.2, 127.0.0.3...), so one test can play
// several clients: a relay, a thief. Node's own fetch cannot pick its source address; node:http can.
import { request } from "node:http";

/** A fetch whose connections come from `localAddress`. Plain HTTP, a body of bytes or a string. */
export function fetchFrom(localAddress) {
  return async (input, init) => {
    const outgoing = new Request(input, init);
    const body = outgoing.body ? Buffer.from(await outgoing.arrayBuffer()) : undefined;
    const url = new URL(outgoing.url);
    return new Promise((resolve, reject) => {
      const sent = request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: outgoing.method,
          headers: { ...Object.fromEntries(outgoing.headers), ...(body && { "content-length": String(body.length) }) },
          localAddress,
          agent: false,
        },
        (response) => {
          const chunks = [];
          response.on("data", (chunk) => chunks.push(chunk));
          response.on("end", () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers.set(name, String(value));
            resolve(new Response(Buffer.concat(chunks), { status: response.statusCode, headers }));
          });
          response.on("error", reject);
        },
      );
      sent.on("error", reject);
      sent.end(body);
    });
  };
}
