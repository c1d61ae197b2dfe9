// The client of tools/plan/plan-server.ts: `node plan-client.mjs <host:port> <plan CLI args...>`
// asks the server for one plan, prints what the CLI printed and exits with its code. Plain
// JavaScript, so that a test waits for its plan and not for a TypeScript loader to start.
import * as net from "node:net";

const [address = "", ...args] = process.argv.slice(2);
const [host, port] = address.split(":");
const socket = net.connect(Number(port), host);
let reply = "";
socket.setEncoding("utf8");
socket.on("data", (chunk) => (reply += chunk));
socket.on("end", () => {
  const run = JSON.parse(reply);
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exitCode = run.status ?? 4;
});
socket.on("error", (err) => {
  process.stderr.write(`the planner failed: plan server ${address}: ${err.message}\n`);
  process.exitCode = 4;
});
socket.write(`${JSON.stringify({ args })}\n`);
