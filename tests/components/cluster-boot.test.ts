import { strict as assert } from "node:assert";
import { Cluster } from "../../components/cluster";
import { eksProdArgs } from "../support/cluster";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";

describe("Cluster on aws: what runs in it waits for a working cluster", () => {
  let recorded: Recorded;
  let cluster: Cluster;
  before(async () => {
    recorded = useMocks();
    cluster = new Cluster("cluster", eksProdArgs());
    await settle();
  });

  const addon = (n: string) => recorded.one("aws:eks/addon:Addon", `cluster-${n}`);

  it("creates the Kubernetes provider only after the nodes and the four core add-ons", () => {
    const provider = recorded.one("pulumi:providers:kubernetes", "cluster-k8s");
    const nodes = recorded.one("aws:eks/nodeGroup:NodeGroup", "cluster-nodes");
    for (const needed of [
      nodes,
      addon("vpc-cni"),
      addon("kube-proxy"),
      addon("coredns"),
      addon("aws-ebs-csi-driver"),
    ]) {
      assert.ok(provider.dependencies.includes(needed.urn), `${needed.name}`);
    }
  });

  it("turns on the VPC CNI's network policy agent, so NetworkPolicies are enforced", () => {
    const cni = recorded.inputs(addon("vpc-cni"));
    assert.deepEqual(JSON.parse(String(cni.configurationValues)), {
      enableNetworkPolicy: "true",
    });
  });

  it("makes an encrypted gp3 StorageClass the default, bound where the pod lands", async () => {
    const sc = recorded.one("kubernetes:storage.k8s.io/v1:StorageClass", "cluster-gp3");
    assert.deepEqual(recorded.inputs(sc), {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: {
        name: "gp3-encrypted",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    });
    assert.ok(sc.dependencies.includes(addon("aws-ebs-csi-driver").urn));
    assert.match(sc.provider, /pulumi:providers:kubernetes::cluster-k8s::/);
    assert.equal((await resolve(cluster.storageClassName!)).value, "gp3-encrypted");
  });
});
