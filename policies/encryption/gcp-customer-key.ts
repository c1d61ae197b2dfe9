import { block, isSet, read, resourcePolicy, type Props } from "../lib";

/** Where each GCP data store takes its customer key, and how a message names that input. */
const keyInputs: Record<string, { input: string; key: (props: Props) => unknown[] }> = {
  "gcp:bigquery/dataset:Dataset": {
    input: "defaultEncryptionConfiguration.kmsKeyName",
    key: (props) => [read(block(props, "defaultEncryptionConfiguration"), "kmsKeyName")],
  },
  "gcp:pubsub/topic:Topic": { input: "kmsKeyName", key: (props) => [read(props, "kmsKeyName")] },
  "gcp:filestore/instance:Instance": {
    input: "kmsKeyName",
    key: (props) => [read(props, "kmsKeyName")],
  },
  "gcp:spanner/database:Database": {
    input: "encryptionConfig.kmsKeyName",
    key: (props) => {
      const config = block(props, "encryptionConfig");
      return [read(config, "kmsKeyName"), read(config, "kmsKeyNames")];
    },
  },
  // A customer-supplied key (rawKey, rsaEncryptedKey) is the customer's as well.
  "gcp:compute/disk:Disk": {
    input: "diskEncryptionKey.kmsKeySelfLink",
    key: (props) => {
      const key = block(props, "diskEncryptionKey");
      return ["kmsKeySelfLink", "rawKey", "rsaEncryptedKey"].map((k) => read(key, k));
    },
  },
};

/** Google encrypts all data at rest; a customer key adds revocation and an audit trail on top. */
export const gcpCustomerKey = resourcePolicy(
  {
    name: "gcp-data-customer-key",
    description:
      "BigQuery datasets, Pub/Sub topics, Filestore instances, Spanner databases and Compute disks should encrypt with a customer-managed Cloud KMS key (defaultEncryptionConfiguration.kmsKeyName, kmsKeyName, kmsKeyName, encryptionConfig.kmsKeyName, diskEncryptionKey.kmsKeySelfLink). Advisory: Google-managed encryption is always on.",
    enforcementLevel: "advisory",
    severity: "low",
  },
  Object.keys(keyInputs),
  (props, args) => {
    const { input, key } = keyInputs[args.type] as (typeof keyInputs)[string];
    return key(props).some(isSet)
      ? []
      : [`${args.name}: data uses a Google-managed key; set ${input}.`];
  },
);
