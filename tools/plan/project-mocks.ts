import * as fs from "node:fs";
import * as path from "node:path";
import { projectMocksFiles } from "./calls";

type Answer<A> = Record<string, unknown> | ((args: A) => Record<string, unknown>);

/**
 * A project's own answers to the calls its program makes, from `plan.mocks.ts`, `.js` or
 * `.json` in the project folder (the first found). A `.ts`/`.js` file exports this shape
 * (as `default` or as the module itself); a `.json` file holds it with plain objects.
 */
export interface ProjectMocks {
  /** Invoke token (`aws:ec2/getAmi:getAmi`) to its result, or a function of its inputs. */
  readonly invokes?: Readonly<Record<string, Answer<Record<string, unknown>>>>;
  /**
   * Type token (`pulumi:pulumi:StackReference`, `aws:ec2/vpc:Vpc`) to the state read, or a
   * function of the id and name asked for. A stack reference's state is `{ outputs: {...} }`.
   */
  readonly reads?: Readonly<Record<string, Answer<{ id: string; name: string }>>>;
}

export class ProjectMocksError extends Error {}

/** The project's mocks and the file they came from; no file gives no answers. */
export function loadProjectMocks(projectDir: string): { file?: string; mocks: ProjectMocks } {
  const file = projectMocksFiles.map((f) => path.join(projectDir, f)).find(fs.existsSync);
  if (!file) return { mocks: {} };
  let loaded: unknown;
  try {
    loaded = file.endsWith(".json")
      ? JSON.parse(fs.readFileSync(file, "utf8"))
      : // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require(file) as unknown);
  } catch (err) {
    throw new ProjectMocksError(`${file}: ${(err as Error).message}`);
  }
  const mocks = ((loaded as { default?: unknown })?.default ?? loaded) as Record<string, unknown>;
  const unknownKeys = Object.keys(mocks ?? {}).filter((k) => k !== "invokes" && k !== "reads");
  if (!mocks || typeof mocks !== "object" || unknownKeys.length > 0) {
    throw new ProjectMocksError(
      `${file}: expected an object with "invokes" and/or "reads"` +
        (unknownKeys.length > 0 ? `, found ${unknownKeys.map((k) => `"${k}"`).join(", ")}` : ""),
    );
  }
  return { file, mocks: mocks as ProjectMocks };
}

/** The project's answer to an invoke, or undefined when it has none. */
export function projectInvoke(
  mocks: ProjectMocks,
  token: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const answer = mocks.invokes?.[token];
  return typeof answer === "function" ? answer(inputs) : answer;
}

/** The project's answer to a read, or undefined when it has none. */
export function projectRead(
  mocks: ProjectMocks,
  type: string,
  args: { id: string; name: string },
): Record<string, unknown> | undefined {
  const answer = mocks.reads?.[type];
  return typeof answer === "function" ? answer(args) : answer;
}
