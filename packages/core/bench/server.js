// The bench's server, in its own process so it does not share an event loop with the clients:
// answers every POST with the envelope of its action (a Submit's JobId, a Describe's status),
// after reading the whole body. It checks nothing, so each client pays only for its own work.
// Prints its URL on the first line.
import { createServer } from "node:http";

const answers = {
  SubmitImageAnimateJob: { JobId: "1194931538865782784" },
  DescribeImageAnimateJob: { Status: "RUN", ErrorCode: "", ErrorMessage: "", ResultVideoUrl: "" },
};
const bodies = Object.fromEntries(
  Object.entries(answers).map(([action, output]) => [
    action,
    JSON.stringify({ Response: { ...output, RequestId: "a06a2134-0306-4554-aa9a-232271bfda4f" } }),
  ]),
);
const server = createServer((request, response) => {
  let received = 0;
  request.on("data", (chunk) => {
    received += chunk.length;
  });
  request.on("end", () => {
    const body = bodies[request.headers["x-tc-action"]] ?? bodies.DescribeImageAnimateJob;
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-received": received });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}/`));
