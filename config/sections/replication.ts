import { z } from "zod";
import { cidrsOverlap as blocksOverlap, parseCidr } from "../cidr";

const int = (what: string, min: number, max: number) =>
  z
    .number({ error: `is not a number; expected ${what} from ${min} to ${max}` })
    .int({ error: `is not a whole number; expected ${what} from ${min} to ${max}` })
    .min(min, { error: `is too small; expected ${what} from ${min} to ${max}` })
    .max(max, { error: `is too large; expected ${what} from ${min} to ${max}` })
    .optional();

/**
 * `platform:replication`: the data path from the AWS primary to the GCP standby. Every key
 * is optional; the path exists whenever `platform:standby` is "gcp".
 */
export const replicationSection = z
  .object({
    /**
     * The most data, in seconds of the primary's writes, a failover to the standby may lose
     * (seed 002: 300). Config refuses a design whose computed database RPO exceeds it.
     */
    rpoTargetSeconds: int("seconds", 1, 86400),
    /** Replication lag, seconds, beyond which the standby's lag alert opens. @default 60 */
    lagAlertSeconds: int("seconds", 10, 3600),
    /**
     * PEM bundle of the CA that signs the RDS server certificate, for Database Migration
     * Service to verify the primary over TLS: the region's bundle from
     * https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem. With it (and a
     * database on both sites) the database is replicated to the standby; without it, it is not.
     * @default none
     */
    sourceCaCertificate: z.string().min(1).optional(),
    /**
     * Start the migration job. Created stopped: it copies the tables that exist when it starts
     * and replicates no DDL, so it starts once the application's schema is on RDS, the VPN's
     * BGP sessions are up and the destination is demoted (README, "Starting replication").
     * @default false
     */
    startMigration: z.boolean().optional(),
  })
  .strict();

/** Whether two IPv4 CIDR blocks share an address; a block that does not parse shares none. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [first, second] = [parseCidr(a), parseCidr(b)];
  return typeof first !== "string" && typeof second !== "string" && blocksOverlap(first, second);
}

/** What the replication settings need from the rest of the stack. */
export interface ReplicationContext {
  readonly standby: "none" | "gcp";
  /** The primary's VPC range. */
  readonly awsCidr: string;
  /** The standby network's ranges by name (subnet, pods, services, private service access). */
  readonly gcpRanges: Readonly<Record<string, string>>;
  /** Whether `platform:replication` is a secret key (its values are not shown offline). */
  readonly secret: boolean;
}

type ReplicationInput = z.output<typeof replicationSection> | undefined;

/**
 * Cross-key rules of the data path: the VPN needs the two clouds' ranges apart, the RDS CA
 * must be a PEM bundle, and replication settings need a standby.
 */
export function replicationProblems(input: ReplicationInput, ctx: ReplicationContext): string[] {
  const key = "platform:replication";
  if (ctx.standby !== "gcp") {
    return input === undefined
      ? []
      : [
          `${key}: is set but platform:standby is "${ctx.standby}"; there is no standby to copy data to`,
        ];
  }
  const problems = Object.entries(ctx.gcpRanges)
    .filter(([, range]) => cidrsOverlap(ctx.awsCidr, range))
    .map(
      ([name, range]) =>
        `platform:network.cidrBlock: "${ctx.awsCidr}" overlaps the standby's ${name} range ${range}; the VPN between the sites routes each range to one side only, choose a primary range outside it`,
    );
  const pem = input?.sourceCaCertificate;
  if (pem !== undefined && !ctx.secret && !pem.includes("-----BEGIN CERTIFICATE-----")) {
    problems.push(
      `${key}.sourceCaCertificate: is not a PEM bundle; expected -----BEGIN CERTIFICATE----- blocks`,
    );
  }
  return problems;
}
