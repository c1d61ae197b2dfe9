import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  Backups,
  backupArgProblems,
  backupDefaults,
  type BackupArgs,
} from "../../components/backup";
import { Cache, cacheArgProblems, cacheDefaults, type CacheArgs } from "../../components/cache";
import {
  Cluster,
  clusterArgProblems,
  clusterDefaults,
  type ClusterArgs,
} from "../../components/cluster";
import {
  Database,
  databaseArgProblems,
  databaseDefaults,
  type DatabaseArgs,
} from "../../components/database";
import { Edge, edgeArgProblems, edgeDefaults, type EdgeArgs } from "../../components/edge";
import { collectProblems, ComponentError, refuseArgs } from "../../components/errors";
import {
  ObjectStore,
  objectStoreArgProblems,
  objectStoreDefaults,
  type ObjectStoreArgs,
} from "../../components/objectstore";
import {
  Observability,
  observabilityArgProblems,
  type ObservabilityArgs,
} from "../../components/observability";
import {
  Search,
  searchArgProblems,
  searchDefaults,
  type SearchArgs,
} from "../../components/search";
import {
  ServiceIdentity,
  serviceIdentityArgProblems,
  type ServiceIdentityArgs,
} from "../../components/service-identity";
import { parseQuantity } from "../../components/workloads/quantity";
import { useMocks, type Recorded } from "../support/mocks";
import { awsPlacement, tags } from "./support";

const componentsDir = join(__dirname, "..", "..", "components");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const sources = sourceFiles(componentsDir).map((path) => ({
  file: relative(componentsDir, path),
  text: readFileSync(path, "utf8"),
}));

/** Functions in components/ declared to return the one error, which a `throw` may call. */
const errorFactories = sources.flatMap(({ text }) =>
  [...text.matchAll(/function (\w+)\([^)]*\):\s*ComponentError\s*\{/g)].map((m) => m[1]!),
);

describe("The one error components throw", () => {
  it("prints the component, its name and one line per problem, as a RunError", () => {
    const error = new ComponentError("Database", "main", ["engineVersion: first", "nodes: second"]);
    assert.equal(
      error.message,
      "Database main: invalid args:\n  - engineVersion: first\n  - nodes: second",
    );
    assert.equal(error.name, "ComponentError");
    // The CLI prints a RunError's message alone, without a stack trace.
    assert.ok(pulumi.RunError.isInstance(error));
    assert.deepEqual(error.problems, ["engineVersion: first", "nodes: second"]);
  });

  it("says what the cloud reported when the args cannot change it", () => {
    const error = new ComponentError("Network", "net", ["azCount is 4"], "cannot be built");
    assert.equal(error.message, "Network net: cannot be built:\n  - azCount is 4");
  });

  it("is thrown by refuseArgs for any problem, and not for none", () => {
    assert.doesNotThrow(() => refuseArgs("Cache", "cache", []));
    assert.throws(() => refuseArgs("Cache", "cache", ["nodes: 0"]), {
      name: "ComponentError",
      message: "Cache cache: invalid args:\n  - nodes: 0",
    });
  });

  it("is collected from a parsing helper into a component's problems", () => {
    const problems: string[] = [];
    assert.equal(
      collectProblems(() => parseQuantity("2 Gi"), problems),
      undefined,
    );
    assert.deepEqual(problems, ['"2 Gi" is not a Kubernetes quantity']);
    assert.equal(
      collectProblems(() => parseQuantity("2Gi"), problems),
      2 * 2 ** 30,
    );
  });

  it("is what a parsing helper throws", () => {
    assert.throws(() => parseQuantity("ten"), {
      name: "ComponentError",
      message: 'parseQuantity "ten": invalid args:\n  - "ten" is not a Kubernetes quantity',
    });
  });
});

describe("Every file in components/", () => {
  it("is read by this check (it would pass on no files)", () => {
    assert.ok(sources.length > 100, `${sources.length} files`);
    assert.ok(errorFactories.includes("unsupportedTarget"), errorFactories.join(", "));
  });

  it("throws only the one error: new ComponentError, or a function that returns one", () => {
    const offending = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/\bthrow\s+([^;]*)/g)]
        .map((m) => m[1]!.trim())
        .filter((thrown) => {
          if (thrown.startsWith("new ComponentError(")) return false;
          const call = /^(\w+)\(/.exec(thrown);
          if (call && errorFactories.includes(call[1]!)) return false;
          // collectProblems hands back what is not a ComponentError untouched.
          return !(file === "errors.ts" && thrown === "e");
        })
        .map((thrown) => `${file}: throw ${thrown.split("\n")[0]}`),
    );
    assert.deepEqual(offending, []);
  });

  it("builds no other error, not even to return it", () => {
    const offending = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/new (?:\w+\.)*(\w*Error)\b/g)]
        .filter((m) => m[1] !== "ComponentError")
        .map((m) => `${file}: ${m[0]}`),
    );
    assert.deepEqual(offending, []);
  });
});

const cluster: ClusterArgs = {
  ...clusterDefaults.staging,
  apiAccess: { mode: "private", cidrs: ["10.10.0.0/16"] },
  tier: "staging",
  clusterName: "platform-staging",
  region: "us-east-1",
  placement: { target: "aws", vpcId: "vpc-0123", privateSubnetIds: ["subnet-a", "subnet-b"] },
  tags,
};
const database: DatabaseArgs = {
  ...databaseDefaults.staging,
  tier: "staging",
  placement: awsPlacement(),
  tags,
};
const cache: CacheArgs = {
  ...cacheDefaults.staging,
  tier: "staging",
  placement: awsPlacement(),
  tags,
};
const objectStore: ObjectStoreArgs = {
  ...objectStoreDefaults.staging,
  tier: "staging",
  placement: awsPlacement(),
  tags,
};
const search: SearchArgs = {
  ...searchDefaults.prod,
  tier: "prod",
  placement: awsPlacement(),
  tags,
};
const backups: BackupArgs = {
  ...backupDefaults.staging,
  tier: "staging",
  placement: awsPlacement(),
  resources: ["arn:aws:rds:us-east-1:111122223333:db:platform-staging"],
  tags,
};
const edge: EdgeArgs = {
  ...edgeDefaults.staging,
  tier: "staging",
  namePrefix: "platform-staging",
  zone: { name: "example.com" },
  hosts: ["app"],
  origins: { aws: { hostname: "lb.example.com" } },
  healthPaths: { app: "/health" },
};
const observability: ObservabilityArgs = {
  target: "gcp",
  tier: "staging",
  namespace: "monitoring",
  clusterName: "platform-staging",
  region: "us-central1",
  gcpProject: "platform-staging",
  scrapeTargets: [],
  receivers: { emailTo: "team@example.com" },
  labels: {},
  tags,
};
const gcpIdentity = {
  target: "gcp",
  project: "platform-staging",
  buckets: {},
  poolReady: [],
} as const;
const identity: ServiceIdentityArgs = {
  clusterName: "platform-staging",
  namespace: "production",
  serviceAccount: "api",
  uses: { buckets: { uploads: "read" } },
  cloud: gcpIdentity,
  tags,
};

/** One component with args it accepts, and one change to them that it must refuse. */
interface Refusal {
  readonly component: string;
  readonly accepted: () => string[];
  readonly build: () => unknown;
  readonly message: string;
}

const refusals: Refusal[] = [
  {
    component: "Cluster",
    accepted: () => clusterArgProblems(cluster),
    build: () => new Cluster("cluster", { ...cluster, minNodes: 4 }),
    message:
      "Cluster cluster: invalid args:\n" +
      "  - minNodes: 4 is more than desiredNodes (3); expected minNodes <= desiredNodes <= maxNodes",
  },
  {
    component: "Database",
    accepted: () => databaseArgProblems(database),
    build: () => new Database("database", { ...database, engine: "timescaledb" }),
    message:
      "Database database: invalid args:\n" +
      '  - engine: "timescaledb" cannot be built on a "aws" placement; the "timescaledb" engine runs on a "kubernetes" placement, the "managed" engine on the others',
  },
  {
    component: "Cache",
    accepted: () => cacheArgProblems(cache),
    build: () => new Cache("cache", { ...cache, highAvailability: true, nodes: 1 }),
    message:
      "Cache cache: invalid args:\n" +
      "  - nodes: 1; highAvailability needs at least 2 nodes (a primary and a replica)",
  },
  {
    component: "ObjectStore",
    accepted: () => objectStoreArgProblems(objectStore),
    build: () => new ObjectStore("objects", { ...objectStore, crossRegionReplication: true }),
    message:
      "ObjectStore objects: invalid args:\n" +
      "  - crossRegionReplication is on but the placement has no replicaRegion; set platform:aws.replicaRegion",
  },
  {
    component: "Search",
    accepted: () => searchArgProblems(search),
    build: () => new Search("search", { ...search, instanceCount: 4 }),
    message:
      "Search search: invalid args:\n" +
      "  - instanceCount 4 cannot be spread evenly over 3 zones; use a multiple of 3",
  },
  {
    component: "Backups",
    accepted: () => backupArgProblems(backups),
    build: () => new Backups("backups", { ...backups, resources: [] }),
    message:
      "Backups backups: invalid args:\n" +
      "  - resources: nothing to back up; give at least one resource",
  },
  {
    component: "Edge",
    accepted: () => edgeArgProblems(edge),
    build: () => new Edge("edge", { ...edge, primaryPool: "gcp" }),
    message: 'Edge edge: invalid args:\n  - origins.gcp: primaryPool "gcp" needs it',
  },
  {
    component: "Observability",
    accepted: () => observabilityArgProblems(observability),
    build: () => new Observability("observability", { ...observability, gcpProject: undefined }),
    message:
      'Observability observability: invalid args:\n  - gcpProject: is required on target "gcp"',
  },
  {
    component: "ServiceIdentity",
    accepted: () =>
      serviceIdentityArgProblems({
        ...identity,
        cloud: { ...gcpIdentity, buckets: { uploads: "platform-staging-uploads" } },
      }),
    build: () => new ServiceIdentity("api", identity),
    message:
      "ServiceIdentity api: invalid args:\n" +
      '  - uses bucket "uploads", which no resource was passed for',
  },
];

describe("Each component with argument rules", () => {
  let recorded: Recorded;
  beforeEach(() => (recorded = useMocks()));

  for (const r of refusals) {
    it(`${r.component} accepts the baseline args`, () => {
      assert.deepEqual(r.accepted(), []);
    });

    it(`${r.component} refuses bad args with the one error and its exact message, registering nothing`, () => {
      assert.throws(r.build, (e: unknown) => {
        assert.ok(e instanceof ComponentError, String(e));
        assert.equal(e.message, r.message);
        return true;
      });
      assert.deepEqual(
        recorded.all.map((x) => x.type),
        [],
      );
    });
  }
});
