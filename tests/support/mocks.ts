import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { createMocker } from "../../tools/plan/mocks";
import {
  installRecordingMonitor,
  type RecordedRead,
  type RecordedResource,
  type RecordingMonitor,
} from "../../tools/plan/recorder";
import { unwrapSecrets } from "../../tools/plan/values";

/**
 * Recorded registrations of one test: every resource with its inputs as the cloud would
 * receive them (secrets still marked), its options and its parent.
 */
export class Recorded {
  constructor(private readonly monitor: RecordingMonitor) {}

  get all(): readonly RecordedResource[] {
    return this.monitor.records;
  }

  ofType(type: string): RecordedResource[] {
    return this.monitor.records.filter((r) => r.type === type);
  }

  /** The one resource of this type (and name, if given); fails when there is not exactly one. */
  one(type: string, name?: string): RecordedResource {
    const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) {
      const names =
        this.ofType(type)
          .map((r) => r.name)
          .join(", ") || "none";
      throw new Error(
        `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (${names})`,
      );
    }
    return found[0]!;
  }

  /** The one read (`Resource.get`) of this type and name; fails when there is not exactly one. */
  read(type: string, name: string): RecordedRead {
    const found = this.monitor.reads.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
      const names = this.monitor.reads.map((r) => `${r.type} ${r.name}`).join(", ") || "none";
      throw new Error(
        `expected one read of ${type} named ${name}, found ${found.length} (${names})`,
      );
    }
    return found[0]!;
  }

  /** Every read of this type. */
  readsOf(type: string): RecordedRead[] {
    return this.monitor.reads.filter((r) => r.type === type);
  }

  /** Inputs with secrets unwrapped, for asserting values. */
  inputs(resource: RecordedResource): Record<string, unknown> {
    return unwrapSecrets(resource.inputs) as Record<string, unknown>;
  }
}

/**
 * Installs the same recording mocks the offline plan uses. Call before constructing
 * resources; `settle()` waits until every registration has reached the monitor.
 */
export function useMocks(
  options: { preview?: boolean; project?: string; stack?: string } = {},
): Recorded {
  const monitor = installRecordingMonitor({
    mocker: createMocker("us-east-1"),
    project: options.project ?? "platform",
    stack: options.stack ?? "test",
    preview: options.preview ?? false,
  });
  return new Recorded(monitor);
}

/** Waits for every outstanding registration and invoke. */
export async function settle(): Promise<void> {
  await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** The value and secrecy of an Output, for assertions. */
export async function resolve<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  const internal = output as unknown as { promise(): Promise<T>; isSecret: Promise<boolean> };
  return { value: await internal.promise(), secret: await internal.isSecret };
}
