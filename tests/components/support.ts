import { strict as assert } from "node:assert";
import type { AwsPlacement } from "../../components/placement";
import type { RecordedResource } from "../../tools/plan/recorder";
import { secretSig, sigKey } from "../../tools/plan/values";

export const clientsGroup = "sg-0c11e475000000001";

/** The placement the network gives data services on AWS. */
export function awsPlacement(replicaRegion?: string): AwsPlacement {
  return {
    target: "aws",
    vpcId: "vpc-0a1b2c3d4e5f60001",
    subnetIds: ["subnet-0private0a", "subnet-0private0b", "subnet-0private0c"],
    clientSecurityGroupIds: [clientsGroup],
    replicaRegion,
  };
}

export const tags = { project: "platform", stack: "test", "managed-by": "pulumi" };

/**
 * Where a plain text occurs in recorded inputs and outputs outside a secret-marked value,
 * as `<resource name>.<inputs|outputs>.<path>`; and how often it occurs inside one.
 */
export function plainTextSightings(
  records: readonly RecordedResource[],
  text: string,
): { exposed: string[]; secret: number } {
  const exposed: string[] = [];
  let secret = 0;
  const walk = (value: unknown, path: string, inSecret: boolean): void => {
    if (typeof value === "string") {
      if (value.includes(text)) {
        if (inSecret) secret++;
        else exposed.push(path);
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`, inSecret));
    } else if (value && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      const marked =
        obj[sigKey] === secretSig || (obj[sigKey] !== undefined && obj.secret === true);
      for (const [k, v] of Object.entries(obj)) walk(v, `${path}.${k}`, inSecret || marked);
    }
  };
  for (const r of records) {
    walk(r.inputs, `${r.name}.inputs`, false);
    walk(r.outputs, `${r.name}.outputs`, false);
  }
  return { exposed, secret };
}

/** Fails unless the text is recorded at least once, and only ever inside secrets. */
export function assertOnlyInSecrets(records: readonly RecordedResource[], text: string): void {
  assert.ok(text.length >= 16, `expected a generated secret, got ${JSON.stringify(text)}`);
  const { exposed, secret } = plainTextSightings(records, text);
  assert.deepEqual(exposed, [], "the secret appears in plain text");
  assert.ok(secret > 0, "the secret is never recorded at all, so the check proves nothing");
}

/** The single ingress rule of a security group, with nothing but the client group admitted. */
export function assertAdmitsOnlyClients(
  inputs: Record<string, unknown>,
  port: number,
  vpcId = "vpc-0a1b2c3d4e5f60001",
): void {
  assert.equal(inputs.vpcId, vpcId);
  assert.deepEqual(inputs.ingress, [
    {
      protocol: "tcp",
      fromPort: port,
      toPort: port,
      securityGroups: [clientsGroup],
      description: "Workload clients only",
    },
  ]);
  assert.deepEqual(inputs.egress, []);
}

/** Parses a JSON policy input. */
export function policy(value: unknown): {
  Statement: Record<string, unknown>[];
} {
  assert.equal(typeof value, "string", "expected a JSON policy document");
  return JSON.parse(value as string) as { Statement: Record<string, unknown>[] };
}
