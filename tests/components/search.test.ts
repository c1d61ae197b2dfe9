import { strict as assert } from "node:assert";
import { Search, searchDefaults, type SearchArgs } from "../../components/search";
import { basicAuthUrl, masterUsername, tlsSecurityPolicy } from "../../components/search/aws";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";
import { stackConfig } from "../support/stacks";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import {
  assertAdmitsOnlyClients,
  assertOnlyInSecrets,
  awsPlacement,
  policy,
  tags,
} from "./support";

const domainType = "aws:opensearch/domain:Domain";

function args(tier: "staging" | "prod", overrides: Partial<SearchArgs> = {}): SearchArgs {
  return { ...searchDefaults[tier], tier, placement: awsPlacement(), tags, ...overrides };
}

describe("Search on aws in prod", () => {
  let recorded: Recorded;
  let search: Search;
  before(async () => {
    recorded = useMocks();
    search = new Search("search", args("prod"));
    await settle();
  });
  const domain = () => recorded.inputs(recorded.one(domainType, "search-domain"));

  it("spreads 3 r6g.large data nodes over the 3 private subnets' zones", () => {
    assert.deepEqual(domain().clusterConfig, {
      instanceType: "r6g.large.search",
      instanceCount: 3,
      zoneAwarenessEnabled: true,
      zoneAwarenessConfig: { availabilityZoneCount: 3 },
    });
    assert.deepEqual(domain().ebsOptions, { ebsEnabled: true, volumeType: "gp3", volumeSize: 100 });
  });

  it("lives in the private subnets behind a group that admits only the cluster on 443", () => {
    const group = recorded.one("aws:ec2/securityGroup:SecurityGroup", "search-sg");
    assert.deepEqual(domain().vpcOptions, {
      subnetIds: awsPlacement().subnetIds,
      securityGroupIds: [group.id],
    });
    assertAdmitsOnlyClients(recorded.inputs(group), 443);
  });

  it("encrypts at rest with its customer key, between nodes, and enforces HTTPS with TLS 1.2+", () => {
    const key = recorded.one("aws:kms/key:Key", "search-key");
    assert.deepEqual(domain().encryptAtRest, { enabled: true, kmsKeyId: key.outputs.arn });
    assert.deepEqual(domain().nodeToNodeEncryption, { enabled: true });
    assert.deepEqual(domain().domainEndpointOptions, {
      enforceHttps: true,
      tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07",
    });
    assert.equal(tlsSecurityPolicy, "Policy-Min-TLS-1-2-2019-07");
  });

  it("turns on fine-grained access control with a generated master password", () => {
    const security = domain().advancedSecurityOptions as Record<string, unknown>;
    assert.equal(security.enabled, true);
    assert.equal(security.anonymousAuthEnabled, false);
    assert.equal(security.internalUserDatabaseEnabled, true);
    const master = security.masterUserOptions as Record<string, unknown>;
    assert.equal(master.masterUserName, masterUsername);
    assert.equal((master.masterUserPassword as string).length, 32);
  });

  it("keeps the master password secret everywhere it is recorded", async () => {
    const password = await resolve(search.masterPassword);
    assert.equal(password.secret, true);
    assertOnlyInSecrets(recorded.all, password.value);
    assert.equal((await resolve(search.connectionString)).secret, true);
  });

  it("stores the credentials in Secrets Manager under its key, with a 30-day recovery window", () => {
    const secret = recorded.inputs(
      recorded.one("aws:secretsmanager/secret:Secret", "search-credentials"),
    );
    assert.equal(secret.kmsKeyId, recorded.one("aws:kms/key:Key", "search-key").outputs.arn);
    assert.equal(secret.recoveryWindowInDays, 30);
  });

  it("limits the domain policy to HTTP actions on this domain", () => {
    const access = recorded.inputs(
      recorded.one("aws:opensearch/domainPolicy:DomainPolicy", "search-access"),
    );
    const statement = policy(access.accessPolicies).Statement[0]!;
    assert.equal(statement.Action, "es:ESHttp*");
    assert.equal(
      statement.Resource,
      `${String(recorded.one(domainType, "search-domain").outputs.arn)}/*`,
    );
  });

  it("protects the domain, its key and its credentials", () => {
    assert.equal(recorded.one(domainType, "search-domain").protect, true);
    assert.equal(recorded.one("aws:kms/key:Key", "search-key").protect, true);
    assert.equal(
      recorded.one("aws:secretsmanager/secret:Secret", "search-credentials").protect,
      true,
    );
  });
});

describe("Search on aws in staging", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Search("search", args("staging"));
    await settle();
  });

  it("runs one t3.medium node in one zone, unprotected", () => {
    const domain = recorded.one(domainType, "search-domain");
    assert.deepEqual(recorded.inputs(domain).clusterConfig, {
      instanceType: "t3.medium.search",
      instanceCount: 1,
      zoneAwarenessEnabled: false,
    });
    assert.deepEqual(
      (recorded.inputs(domain).vpcOptions as { subnetIds: string[] }).subnetIds,
      awsPlacement().subnetIds.slice(0, 1),
    );
    assert.equal(domain.protect, false);
  });

  it("still encrypts and enforces HTTPS", () => {
    const domain = recorded.inputs(recorded.one(domainType, "search-domain"));
    assert.equal((domain.encryptAtRest as { enabled: boolean }).enabled, true);
    assert.equal((domain.nodeToNodeEncryption as { enabled: boolean }).enabled, true);
    assert.equal((domain.domainEndpointOptions as { enforceHttps: boolean }).enforceHttps, true);
  });
});

const serviceRoleType = "aws:iam/serviceLinkedRole:ServiceLinkedRole";

describe("Search on aws: the OpenSearch service-linked role", () => {
  it("is created for opensearchservice.amazonaws.com, kept on delete, before the domain", async () => {
    const recorded = useMocks();
    new Search("search", args("prod"));
    await settle();
    const role = recorded.one(serviceRoleType, "search-service-role");
    assert.equal(recorded.inputs(role).awsServiceName, "opensearchservice.amazonaws.com");
    // One per account: destroying this stack must not pull it from other domains.
    assert.equal(role.retainOnDelete, true);
    assert.ok(
      recorded.one(domainType, "search-domain").dependencies.includes(role.urn),
      "the domain waits for the service-linked role",
    );
  });

  it("is left alone when the account already has it (createServiceLinkedRole false)", async () => {
    const recorded = useMocks();
    new Search("search", args("prod", { createServiceLinkedRole: false }));
    await settle();
    assert.deepEqual(
      recorded.all.filter((r) => r.type === serviceRoleType),
      [],
    );
    const dependencies = recorded.one(domainType, "search-domain").dependencies;
    assert.deepEqual(
      dependencies.filter((urn) => urn.includes(serviceRoleType)),
      [],
    );
  });

  it("is created by default, and a stack can say the account has it", () => {
    assert.equal(searchDefaults.prod.createServiceLinkedRole, true);
    assert.equal(searchDefaults.staging.createServiceLinkedRole, true);
    assert.equal(stackConfig("prod").search.createServiceLinkedRole, true);
    const values = {
      tier: "prod",
      target: "aws",
      aws: { region: "us-east-1", replicaRegion: "us-west-2" },
      search: { createServiceLinkedRole: false },
    };
    assert.equal(parseStackConfig(source(values)).search.createServiceLinkedRole, false);
  });

  it("refuses a switch that is not a boolean, naming the key", () => {
    const found = problems({
      tier: "prod",
      target: "aws",
      aws: { region: "us-east-1", replicaRegion: "us-west-2" },
      search: { createServiceLinkedRole: "no" },
    });
    assert.ok(
      found.some((p) => p.startsWith("platform:search.createServiceLinkedRole: ")),
      found.join("\n"),
    );
  });
});

describe("Search sizing rules", () => {
  beforeEach(() => useMocks());

  it("refuses a node count that does not spread evenly over the zones", () => {
    assert.throws(() => new Search("search", args("prod", { instanceCount: 4 })), {
      name: "ComponentError",
      message:
        "Search search: invalid args:\n  - instanceCount 4 cannot be spread evenly over 3 zones; use a multiple of 3",
    });
  });
});

describe("Search on aws: the administrators' connection string", () => {
  it("percent-encodes a password holding #, %, @ and /, so the URL keeps its host", () => {
    const url = basicAuthUrl("admin", "a#b%c@d/e", "vpc-search.us-east-1.es.amazonaws.com");
    assert.equal(url, "https://admin:a%23b%25c%40d%2Fe@vpc-search.us-east-1.es.amazonaws.com");
    const parsed = new URL(url);
    assert.equal(parsed.hostname, "vpc-search.us-east-1.es.amazonaws.com");
    assert.equal(decodeURIComponent(parsed.password), "a#b%c@d/e");
    assert.equal(decodeURIComponent(parsed.username), "admin");
  });

  it("is built from the generated password, encoded, and stays secret", async () => {
    const recorded = useMocks();
    const search = new Search("search", args("prod"));
    await settle();
    const password = await resolve(search.masterPassword);
    const connection = await resolve(search.connectionString);
    const domain = recorded.one(domainType, "search-domain");
    assert.equal(connection.secret, true);
    assert.equal(
      connection.value,
      basicAuthUrl(masterUsername, password.value, String(domain.outputs.endpoint)),
    );
  });

  it("exposes the domain's ARN for the roles of the services that use it", async () => {
    const recorded = useMocks();
    const search = new Search("search", args("prod"));
    await settle();
    assert.equal(
      (await resolve(search.domainArn)).value,
      recorded.one(domainType, "search-domain").outputs.arn,
    );
  });
});
