import { strict as assert } from "node:assert";
import { Database, databaseDefaults, type DatabaseArgs } from "../../components/database";
import type { RecordedResource } from "../../tools/plan/recorder";
import { wrapSecret } from "../../tools/plan/values";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import {
  assertAdmitsOnlyClients,
  assertOnlyInSecrets,
  awsPlacement,
  plainTextSightings,
  policy,
  tags,
} from "./support";

const rds = "aws:rds/instance:Instance";

function args(tier: "staging" | "prod"): DatabaseArgs {
  return { ...databaseDefaults[tier], tier, placement: awsPlacement(), tags };
}

describe("Database on aws in prod", () => {
  let recorded: Recorded;
  let database: Database;
  before(async () => {
    recorded = useMocks();
    database = new Database("database", args("prod"));
    await settle();
  });
  const instance = () => recorded.inputs(recorded.one(rds, "database-instance"));

  it("runs PostgreSQL 15 on the seed's db.r6g.xlarge", () => {
    assert.equal(instance().engine, "postgres");
    assert.equal(instance().engineVersion, "15");
    assert.equal(instance().instanceClass, "db.r6g.xlarge");
  });

  it("starts with 100 GiB of gp3 and lets storage grow to 1000 GiB", () => {
    assert.equal(instance().storageType, "gp3");
    assert.equal(instance().allocatedStorage, 100);
    assert.equal(instance().maxAllocatedStorage, 1000);
  });

  it("encrypts storage and Performance Insights with its own customer key", () => {
    const key = recorded.one("aws:kms/key:Key", "database-key");
    const keyArn = key.outputs.arn;
    assert.equal(recorded.inputs(key).enableKeyRotation, true);
    assert.equal(instance().storageEncrypted, true);
    assert.equal(instance().kmsKeyId, keyArn);
    assert.equal(instance().performanceInsightsEnabled, true);
    assert.equal(instance().performanceInsightsKmsKeyId, keyArn);
  });

  it("keeps PostgreSQL's logs 30 days in log groups it creates first, under its key (seed 003)", () => {
    const keyArn = recorded.one("aws:kms/key:Key", "database-key").outputs.arn;
    const logGroups = recorded.ofType("aws:cloudwatch/logGroup:LogGroup");
    assert.deepEqual(
      logGroups.map((g) => [g.name, recorded.inputs(g).name, recorded.inputs(g).retentionInDays]),
      [
        [
          "database-instance-log-postgresql",
          "/aws/rds/instance/platform-test-database/postgresql",
          30,
        ],
        ["database-instance-log-upgrade", "/aws/rds/instance/platform-test-database/upgrade", 30],
        [
          "database-replica-log-postgresql",
          "/aws/rds/instance/platform-test-database-replica/postgresql",
          30,
        ],
        [
          "database-replica-log-upgrade",
          "/aws/rds/instance/platform-test-database-replica/upgrade",
          30,
        ],
      ],
    );
    for (const group of logGroups) assert.equal(recorded.inputs(group).kmsKeyId, keyArn);
    const primary = recorded.one(rds, "database-instance");
    const replica = recorded.one(rds, "database-replica");
    assert.deepEqual(recorded.inputs(primary).enabledCloudwatchLogsExports, [
      "postgresql",
      "upgrade",
    ]);
    assert.deepEqual(recorded.inputs(replica).enabledCloudwatchLogsExports, [
      "postgresql",
      "upgrade",
    ]);
    for (const [instance, prefix] of [
      [primary, "database-instance"],
      [replica, "database-replica"],
    ] as const) {
      const own = logGroups.filter((g) => g.name.startsWith(`${prefix}-log-`)).map((g) => g.urn);
      assert.ok(
        own.every((urn) => instance.dependencies.includes(urn)),
        `${prefix} waits for its log groups`,
      );
    }
    const keyPolicy = JSON.parse(
      recorded.inputs(recorded.one("aws:kms/key:Key", "database-key")).policy as string,
    ) as { Statement: { Sid: string; Principal: unknown }[] };
    assert.deepEqual(keyPolicy.Statement.find((st) => st.Sid === "ServicesUse")?.Principal, {
      Service: ["logs.us-east-1.amazonaws.com"],
    });
  });

  it("keeps backups 7 days in the seed's backup and maintenance windows", () => {
    assert.equal(instance().backupRetentionPeriod, 7);
    assert.equal(instance().backupWindow, "03:00-04:00");
    assert.equal(instance().maintenanceWindow, "sun:04:00-sun:05:00");
  });

  it("runs Multi-AZ with deletion protection, a final snapshot and protect", () => {
    const record = recorded.one(rds, "database-instance");
    assert.equal(instance().multiAz, true);
    assert.equal(instance().deletionProtection, true);
    assert.equal(instance().skipFinalSnapshot, false);
    assert.equal(instance().finalSnapshotIdentifier, "platform-test-database-final-snapshot");
    assert.equal(record.protect, true);
    assert.equal(recorded.one("aws:kms/key:Key", "database-key").protect, true);
  });

  it("monitors every 60 s with a role RDS monitoring may assume", () => {
    const role = recorded.one("aws:iam/role:Role", "database-monitoring-role");
    assert.equal(instance().monitoringInterval, 60);
    assert.equal(instance().monitoringRoleArn, role.outputs.arn);
    assert.deepEqual(policy(recorded.inputs(role).assumeRolePolicy).Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "monitoring.rds.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
    const attachment = recorded.inputs(
      recorded.one(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "database-monitoring-policy",
      ),
    );
    assert.equal(
      attachment.policyArn,
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
  });

  it("forces TLS through its parameter group", () => {
    const params = recorded.one("aws:rds/parameterGroup:ParameterGroup", "database-params");
    assert.equal(recorded.inputs(params).family, "postgres15");
    assert.deepEqual(recorded.inputs(params).parameters, [
      { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
    ]);
    assert.equal(instance().parameterGroupName, params.outputs.name);
  });

  it("lives in the private subnets and is not publicly accessible", () => {
    const subnets = recorded.one("aws:rds/subnetGroup:SubnetGroup", "database-subnets");
    assert.deepEqual(recorded.inputs(subnets).subnetIds, awsPlacement().subnetIds);
    assert.equal(instance().dbSubnetGroupName, subnets.outputs.name);
    assert.equal(instance().publiclyAccessible, false);
  });

  it("admits only the workload clients' security group on 5432", () => {
    const sg = recorded.one("aws:ec2/securityGroup:SecurityGroup", "database-sg");
    assertAdmitsOnlyClients(recorded.inputs(sg), 5432);
    assert.deepEqual(instance().vpcSecurityGroupIds, [sg.outputs.id ?? sg.id]);
  });

  it("adds an encrypted, private analytics replica on db.r6g.large", () => {
    const replicaRecord = recorded.one(rds, "database-replica");
    const replica = recorded.inputs(replicaRecord);
    assert.equal(replica.replicateSourceDb, "platform-test-database");
    assert.equal(replica.instanceClass, "db.r6g.large");
    assert.equal(replica.storageEncrypted, true);
    assert.equal(replica.kmsKeyId, recorded.one("aws:kms/key:Key", "database-key").outputs.arn);
    assert.equal(replica.publiclyAccessible, false);
    assert.equal(replica.deletionProtection, true);
    assert.equal(replicaRecord.protect, true);
    assert.deepEqual(replica.tags, {
      ...tags,
      Name: "platform-test-database-replica",
      Purpose: "analytics",
    });
  });

  it("stores the master credentials in Secrets Manager under its key, as a secret", () => {
    const secret = recorded.one("aws:secretsmanager/secret:Secret", "database-credentials");
    assert.equal(
      recorded.inputs(secret).kmsKeyId,
      recorded.one("aws:kms/key:Key", "database-key").outputs.arn,
    );
    assert.equal(secret.protect, true);
    const version = recorded.one(
      "aws:secretsmanager/secretVersion:SecretVersion",
      "database-credentials-version",
    );
    const stored = JSON.parse(recorded.inputs(version).secretString as string) as Record<
      string,
      unknown
    >;
    assert.equal(stored.username, "app_admin");
    assert.equal(stored.dbname, "app");
    assert.equal(stored.port, 5432);
  });

  it("never records the generated password in plain text", async () => {
    const password = await resolve(database.password);
    assert.equal(password.secret, true);
    assertOnlyInSecrets(recorded.all, password.value);
  });

  it("gives a TLS connection string, as a secret", async () => {
    const conn = await resolve(database.connectionString);
    const password = (await resolve(database.password)).value;
    const host = (await resolve(database.host)).value;
    assert.equal(conn.secret, true);
    assert.equal(conn.value, `postgresql://app_admin:${password}@${host}:5432/app?sslmode=require`);
  });

  it("names the primary and its read replica by their RDS identifiers, for the alarms", async () => {
    assert.equal((await resolve(database.instanceId)).value, "platform-test-database");
    assert.equal(instance().identifier, "platform-test-database");
    assert.equal(database.replicaInstanceIds.length, 1);
    assert.equal(
      (await resolve(database.replicaInstanceIds[0]!)).value,
      "platform-test-database-replica",
    );
    assert.equal(
      recorded.inputs(recorded.one(rds, "database-replica")).identifier,
      "platform-test-database-replica",
    );
  });

  it("parents every child to the component", () => {
    const component = recorded.one("platform:index:Database", "database");
    for (const r of recorded.all.filter((r) => r.custom && !r.type.startsWith("pulumi:"))) {
      assert.equal(r.parent, component.urn, r.name);
    }
  });
});

describe("Database on aws in staging", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Database("database", args("staging"));
    await settle();
  });
  const instance = () => recorded.inputs(recorded.one(rds, "database-instance"));

  it("keeps PostgreSQL's logs 14 days", () => {
    const group = recorded.one(
      "aws:cloudwatch/logGroup:LogGroup",
      "database-instance-log-postgresql",
    );
    assert.equal(recorded.inputs(group).retentionInDays, 14);
    assert.equal(recorded.ofType("aws:cloudwatch/logGroup:LogGroup").length, 2);
  });

  it("runs a single-zone db.r6g.large with 100 GiB growing to 500 GiB", () => {
    assert.equal(instance().instanceClass, "db.r6g.large");
    assert.equal(instance().multiAz, false);
    assert.equal(instance().allocatedStorage, 100);
    assert.equal(instance().maxAllocatedStorage, 500);
  });

  it("is still encrypted, private, TLS-only and backed up 7 days", () => {
    assert.equal(instance().storageEncrypted, true);
    assert.equal(instance().publiclyAccessible, false);
    assert.equal(instance().backupRetentionPeriod, 7);
    assert.equal(instance().backupWindow, "03:00-04:00");
    const params = recorded.inputs(
      recorded.one("aws:rds/parameterGroup:ParameterGroup", "database-params"),
    );
    assert.deepEqual(params.parameters, [
      { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
    ]);
  });

  it("has no deletion protection, no protect and no read replica", () => {
    assert.equal(instance().deletionProtection, false);
    assert.equal(recorded.one(rds, "database-instance").protect, false);
    assert.equal(recorded.one("aws:kms/key:Key", "database-key").protect, false);
    assert.deepEqual(
      recorded.ofType(rds).map((r) => r.name),
      ["database-instance"],
    );
  });

  it("admits only the workload clients' security group on 5432", () => {
    assertAdmitsOnlyClients(
      recorded.inputs(recorded.one("aws:ec2/securityGroup:SecurityGroup", "database-sg")),
      5432,
    );
  });
});

describe("Database settings", () => {
  it("preloads the extensions RDS loads only at start", async () => {
    const recorded = useMocks();
    new Database("database", {
      ...args("staging"),
      extensions: ["pg_stat_statements", "vector", "pgaudit"],
    });
    await settle();
    const params = recorded.inputs(
      recorded.one("aws:rds/parameterGroup:ParameterGroup", "database-params"),
    );
    assert.deepEqual(params.parameters, [
      { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
      {
        name: "shared_preload_libraries",
        value: "pg_stat_statements,pgaudit",
        applyMethod: "pending-reboot",
      },
    ]);
  });

  it("lets the GCP standby replicate logically: pglogical preloaded, logical WAL, 5432 open to the standby's range only", async () => {
    const recorded = useMocks();
    new Database("database", {
      ...args("prod"),
      extensions: ["pg_stat_statements"],
      replicationClientCidrs: ["10.30.0.0/16"],
    });
    await settle();
    const params = recorded.inputs(
      recorded.one("aws:rds/parameterGroup:ParameterGroup", "database-params"),
    );
    assert.deepEqual(params.parameters, [
      { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
      { name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" },
      {
        name: "shared_preload_libraries",
        value: "pg_stat_statements,pglogical",
        applyMethod: "pending-reboot",
      },
    ]);
    // Inline beside the nodes' rule: a separate rule resource on a group with inline rules
    // would be dropped by the group's next update after a refresh.
    const sg = recorded.inputs(recorded.one("aws:ec2/securityGroup:SecurityGroup", "database-sg"));
    const ingress = sg.ingress as Record<string, unknown>[];
    assert.deepEqual(ingress[1], {
      protocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      cidrBlocks: ["10.30.0.0/16"],
      description: "Logical replication to the standby's replica",
    });
    assert.equal(ingress.length, 2);
    assert.deepEqual(
      recorded.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
      [],
    );
  });

  it("opens nothing to an address range and keeps WAL physical when nothing replicates from it", async () => {
    const recorded = useMocks();
    new Database("database", args("prod"));
    await settle();
    const sg = recorded.inputs(recorded.one("aws:ec2/securityGroup:SecurityGroup", "database-sg"));
    assert.deepEqual(
      (sg.ingress as { cidrBlocks?: string[] }[]).map((rule) => rule.cidrBlocks),
      [undefined],
    );
  });

  it("refuses a placement with no client security group", () => {
    useMocks();
    assert.throws(
      () =>
        new Database("database", {
          ...args("staging"),
          placement: { ...awsPlacement(), clientSecurityGroupIds: [] },
        }),
      {
        name: "ComponentError",
        message:
          "Database database: invalid args:\n  - placement.clientSecurityGroupIds is empty; a data service must admit at least the cluster's nodes",
      },
    );
  });

  it("build PostgreSQL in the cluster on target local, in the placement's namespace and nothing on AWS", async () => {
    const recorded = useMocks();
    const database = new Database("database", {
      ...args("staging"),
      placement: { target: "local", namespace: "data" },
    });
    await settle();
    const server = recorded.one("kubernetes:apps/v1:StatefulSet", "database-statefulset");
    assert.ok(server.parent.endsWith("platform:index:Database::database"));
    assert.equal(
      (recorded.inputs(server) as { metadata: { namespace: string } }).metadata.namespace,
      "data",
    );
    assert.equal((await resolve(database.host)).value, "database-postgres.data.svc.cluster.local");
    assert.deepEqual(
      recorded.all.filter((r) => r.type.startsWith("aws:")),
      [],
    );
  });
});

describe("The plain-text secret check", () => {
  const record = (inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}) =>
    ({ name: "r", inputs, outputs }) as unknown as RecordedResource;
  const value = "s3cr3t-value-0123456789";

  it("finds a secret copied into a plain input, naming where", () => {
    const found = plainTextSightings(
      [record({ a: { b: [`postgres://u:${value}@h`] } }, { c: wrapSecret(value) })],
      value,
    );
    assert.deepEqual(found, { exposed: ["r.inputs.a.b[0]"], secret: 1 });
  });

  it("accepts a secret that only travels wire-marked", () => {
    const found = plainTextSightings([record({ a: wrapSecret({ nested: value }) })], value);
    assert.deepEqual(found, { exposed: [], secret: 1 });
  });
});
