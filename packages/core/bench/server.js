// The bench's server, in its own process so it does not share an event loop with the clients:
// answers every POST with the same DescribeImageAnimateJob envelope. It checks nothing, so each
// client pays only for its own work. Prints its URL on the first line.
import { createServer } from "node:http";

const body = JSON.stringify({
  Response: { Status: "RUN", ErrorCode: "", ErrorMessage: "", ResultVideoUrl: "", RequestId: "a06a2134-0306-4554-aa9a-232271bfda4f" },
});
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () =>
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}/`));
