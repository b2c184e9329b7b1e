// A port on loopback that is free now, for a test that must know a server's address before the
// server starts (another process may still take it before then: retry if the listen fails).
import { createServer } from "node:net";

/** A free port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
