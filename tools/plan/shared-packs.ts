import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "./cache";

/**
 * Policy pack processes `npm test` starts once and lends to the mocha processes it runs, so
 * that a test file that speaks to the pack itself does not start its own (each start
 * type-checks the pack). Lane i of a run lends TEST_PACK_ADDRESSES[i]; the plans the tests
 * run use the plan server's own packs (tools/plan/plan-server.ts), so that a plan's stack
 * config never lands in the middle of a test file's config. A mocha process claims a lane for
 * its whole life with a lock file in the run's cache folder, so two processes never share a
 * pack; without a free lane, or outside `npm test`, a process starts its own pack as before.
 */
export const testPacksVariable = "TEST_PACK_ADDRESSES";

let claimed: number | null | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes lane `lane` for this process, or takes it over from a process that has exited. */
function take(dir: string, lane: number): boolean {
  const lock = path.join(dir, `lane-${lane}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      return true;
    } catch {
      const owner = Number(fs.readFileSync(lock, "utf8"));
      if (owner === process.pid) return true;
      if (owner > 0 && alive(owner)) return false;
      fs.rmSync(lock, { force: true });
    }
  }
  return false;
}

/** The lane this process holds, claimed on first call; undefined when none is free. */
function claimedLane(lanes: number): number | undefined {
  if (claimed !== undefined) return claimed ?? undefined;
  const dir = cacheDir();
  claimed = null;
  if (!dir) return undefined;
  for (let lane = 0; lane < lanes; lane++) {
    if (take(dir, lane)) {
      claimed = lane;
      break;
    }
  }
  return claimed ?? undefined;
}

function lentAddress(variable: string): string | undefined {
  const addresses = (process.env[variable] ?? "").split(",").filter((a) => a !== "");
  if (addresses.length === 0) return undefined;
  const lane = claimedLane(addresses.length);
  return lane === undefined ? undefined : addresses[lane];
}

/** Address of the pack lent for the tests of this process, if `npm test` lent one. */
export function lentTestPack(): string | undefined {
  return lentAddress(testPacksVariable);
}
