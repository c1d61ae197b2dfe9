import { strict as assert } from "node:assert";
import { Backups, backupDefaults } from "../../components/backup";
import { Cache, cacheDefaults } from "../../components/cache";
import { Database, databaseDefaults } from "../../components/database";
import { ObjectStore, objectStoreDefaults } from "../../components/objectstore";
import type { Placement } from "../../components/placement";
import { Queue, queueDefaults } from "../../components/queue";
import { Search, searchDefaults } from "../../components/search";
import { useMocks, type Recorded } from "../support/mocks";
import { tags } from "./support";

const gcpPlacement: Placement = { target: "gcp", networkId: "projects/p/global/networks/n" };
/** A target no component implements, as a caller outside TypeScript's checks could pass. */
const elsewhere = { target: "azure" } as unknown as Placement;

describe("A data service on a target it has no implementation for", () => {
  let recorded: Recorded;
  beforeEach(() => (recorded = useMocks()));

  const awsOnly = [
    [
      "Search search",
      () =>
        new Search("search", {
          ...searchDefaults.prod,
          tier: "prod",
          placement: gcpPlacement,
          tags,
        }),
    ],
    [
      "Backups backups",
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
        name: "ComponentError",
        message: `${component}: invalid args:\n  - placement.target: "gcp" cannot be built yet; supported targets: "aws"`,
      });
    });
  }

  it("Queue elsewhere is refused, naming aws and gcp, before registering anything", () => {
    assert.throws(
      () => new Queue("queue", { ...queueDefaults.prod, tier: "prod", placement: elsewhere, tags }),
      {
        name: "ComponentError",
        message:
          'Queue queue: invalid args:\n  - placement.target: "azure" cannot be built yet; supported targets: "aws", "gcp"',
      },
    );
    assert.equal(recorded.all.length, 0);
  });

  const everywhere = [
    [
      "Database db",
      () =>
        new Database("db", { ...databaseDefaults.prod, tier: "prod", placement: elsewhere, tags }),
    ],
    [
      "Cache cache",
      () => new Cache("cache", { ...cacheDefaults.prod, tier: "prod", placement: elsewhere, tags }),
    ],
    [
      "ObjectStore objects",
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
    it(`${component} elsewhere is refused, naming aws, gcp and local, before registering anything`, () => {
      assert.throws(build, {
        name: "ComponentError",
        message: `${component}: invalid args:\n  - placement.target: "azure" cannot be built yet; supported targets: "aws", "gcp", "local"`,
      });
      assert.equal(recorded.all.length, 0);
    });
  }
});
