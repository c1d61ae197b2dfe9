import { strict as assert } from "node:assert";
import { Backups, backupDefaults } from "../../components/backup";
import { Cache, cacheDefaults } from "../../components/cache";
import { Database, databaseDefaults } from "../../components/database";
import { ObjectStore, objectStoreDefaults } from "../../components/objectstore";
import type { Placement } from "../../components/placement";
import { Queue, queueDefaults } from "../../components/queue";
import { Search, searchDefaults } from "../../components/search";
import { useMocks } from "../support/mocks";
import { tags } from "./support";

const gcpPlacement: Placement = { target: "gcp", networkId: "projects/p/global/networks/n" };
/** A target no component implements, as a caller outside TypeScript's checks could pass. */
const elsewhere = { target: "azure" } as unknown as Placement;

describe("A data service on a target it has no implementation for", () => {
  beforeEach(() => useMocks());

  const awsOnly = [
    [
      "Search",
      () =>
        new Search("search", {
          ...searchDefaults.prod,
          tier: "prod",
          placement: gcpPlacement,
          tags,
        }),
    ],
    [
      "Backups",
      () =>
        new Backups("backups", {
          ...backupDefaults.prod,
          tier: "prod",
          placement: gcpPlacement,
          resources: [],
          tags,
        }),
    ],
  ] as const;
  for (const [component, build] of awsOnly) {
    it(`${component} on gcp is refused, naming aws as its only target`, () => {
      assert.throws(build, {
        message: `${component} cannot be built on target "gcp" yet; supported targets: "aws"`,
      });
    });
  }

  it("Queue elsewhere is refused, naming aws and gcp", () => {
    assert.throws(
      () => new Queue("queue", { ...queueDefaults.prod, tier: "prod", placement: elsewhere, tags }),
      { message: 'Queue cannot be built on target "azure" yet; supported targets: "aws", "gcp"' },
    );
  });

  const everywhere = [
    [
      "Database",
      () =>
        new Database("db", { ...databaseDefaults.prod, tier: "prod", placement: elsewhere, tags }),
    ],
    [
      "Cache",
      () => new Cache("cache", { ...cacheDefaults.prod, tier: "prod", placement: elsewhere, tags }),
    ],
    [
      "ObjectStore",
      () =>
        new ObjectStore("objects", {
          ...objectStoreDefaults.prod,
          tier: "prod",
          placement: elsewhere,
          tags,
        }),
    ],
  ] as const;
  for (const [component, build] of everywhere) {
    it(`${component} elsewhere is refused, naming aws, gcp and local`, () => {
      assert.throws(build, {
        message: `${component} cannot be built on target "azure" yet; supported targets: "aws", "gcp", "local"`,
      });
    });
  }
});
