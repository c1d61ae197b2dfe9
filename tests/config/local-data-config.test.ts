import { strict as assert } from "node:assert";
import {
  localCacheSettings,
  localDatabaseSettings,
  localObjectStoreSettings,
} from "../../components/local-data";
import { parseStackConfig } from "../../config";
import { problems, source } from "../support/config";

const dev = { tier: "dev", target: "local" };

describe("Data service config on the local target", () => {
  it("resolves to the in-cluster servers' settings when the stack sets no data keys", () => {
    const config = parseStackConfig(source(dev));
    assert.deepEqual(config.database, { ...localDatabaseSettings, enabled: true });
    assert.deepEqual(config.cache, { ...localCacheSettings, enabled: true });
    assert.deepEqual(config.objectStore, { ...localObjectStoreSettings, enabled: true });
  });

  it("honours platform:database.enabled false and the other keys over the local settings", () => {
    const config = parseStackConfig(
      source({
        ...dev,
        database: { enabled: false },
        cache: { engineVersion: "7.0" },
        objectStore: { buckets: { exports: { noncurrentVersionDays: 30 } } },
      }),
    );
    assert.equal(config.database.enabled, false);
    assert.equal(config.cache.engineVersion, "7.0");
    assert.deepEqual(
      config.objectStore.buckets.map((b) => b.role),
      ["uploads", "exports"],
    );
  });

  it("sizes the in-cluster PostgreSQL and names its database and user as the keys say", () => {
    const { database } = parseStackConfig(
      source({
        ...dev,
        database: {
          allocatedStorageGb: 30,
          maxAllocatedStorageGb: 30,
          databaseName: "orders",
          username: "orders_app",
        },
      }),
    );
    assert.deepEqual(
      [database.allocatedStorageGb, database.databaseName, database.username],
      [30, "orders", "orders_app"],
    );
  });

  it("refuses a PostgreSQL or Redis version the local target pins no image for", () => {
    const found = problems({
      ...dev,
      database: { engineVersion: "17" },
      cache: { engineVersion: "7.1" },
    });
    assert.deepEqual(found, [
      'platform:database.engineVersion: "17" has no pinned image on target "local"; expected one of 15, 16',
    ]);
  });
});
