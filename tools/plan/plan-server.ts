import * as net from "node:net";
import type { PlanRun } from "./cache";
import type { PlanRunner } from "./lanes";
import { exitCodes } from "./outcome";

/**
 * Serves plan CLI runs to other processes on the runner's lanes, so that the plans mocha's
 * tests ask for (tests/support/run.ts) run in the lanes' warm plan workers instead of a new
 * process each. `npm test` serves one while mocha runs and names it in PLAN_SERVER_ADDRESS.
 *
 * Protocol, one run per connection: the client sends one JSON line `{ "args": [...] }` and
 * reads back one JSON line `{ status, stdout, stderr }`; tools/plan/plan-client.mjs is that
 * client, printing and exiting as the CLI would.
 */
export const planServerVariable = "PLAN_SERVER_ADDRESS";

export interface PlanServer {
  readonly address: string;
  close(): Promise<void>;
}

export async function servePlans(runner: PlanRunner): Promise<PlanServer> {
  const server = net.createServer((socket) => {
    let request = "";
    socket.setEncoding("utf8");
    const onData = (chunk: string) => {
      request += chunk;
      if (!request.includes("\n")) return;
      // One run per connection: whatever follows the first line is not read.
      socket.off("data", onData);
      void answer(runner, request.slice(0, request.indexOf("\n"))).then((run) =>
        socket.end(`${JSON.stringify(run)}\n`),
      );
    };
    socket.on("data", onData);
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function answer(runner: PlanRunner, request: string): Promise<PlanRun> {
  try {
    const { args } = JSON.parse(request) as { args: string[] };
    const { status, stdout, stderr } = await runner.run(args);
    return { status, stdout, stderr };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      status: exitCodes["planner-failed"],
      stdout: "",
      stderr: `the planner failed: ${reason}\n`,
    };
  }
}
