import { strict as assert } from "node:assert";
import {
  createGcpNetwork,
  gcpNetworkDefaults,
  type GcpNetworkOutputs,
} from "../../components/network/gcp";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";
import { testParent } from "./gcp-support";

describe("Network on gcp", () => {
  let recorded: Recorded;
  let built: GcpNetworkOutputs;

  beforeEach(async () => {
    recorded = useMocks();
    built = createGcpNetwork(
      "net",
      { ...gcpNetworkDefaults, tier: "prod", region: "us-central1", labels: { tier: "prod" } },
      testParent(),
    );
    await settle();
  });

  it("is a custom-mode VPC: no subnet is created for it in every region", () => {
    const vpc = recorded.one("gcp:compute/network:Network", "net-vpc");
    assert.equal(recorded.inputs(vpc).autoCreateSubnetworks, false);
    assert.equal(recorded.inputs(vpc).routingMode, "REGIONAL");
  });

  it("has one regional subnet with private Google access, flow logs and ranges for pods and services", () => {
    const subnet = recorded.inputs(recorded.one("gcp:compute/subnetwork:Subnetwork", "net-subnet"));
    assert.equal(subnet.region, "us-central1");
    assert.equal(subnet.ipCidrRange, "10.20.0.0/20");
    assert.equal(subnet.privateIpGoogleAccess, true);
    assert.deepEqual(subnet.secondaryIpRanges, [
      { rangeName: "net-pods", ipCidrRange: "10.24.0.0/14" },
      { rangeName: "net-services", ipCidrRange: "10.28.0.0/20" },
    ]);
    assert.deepEqual(subnet.logConfig, {
      aggregationInterval: "INTERVAL_5_SEC",
      flowSampling: 0.5,
      metadata: "INCLUDE_ALL_METADATA",
    });
    assert.equal(built.podsRangeName, "net-pods");
    assert.equal(built.servicesRangeName, "net-services");
  });

  it("keeps the default internet route, the path Private Google Access takes to Google's APIs", () => {
    // Private Google Access sends private nodes and pods to googleapis.com's addresses through
    // the default route to the internet gateway; deleting it would cut them off.
    const vpc = recorded.inputs(recorded.one("gcp:compute/network:Network", "net-vpc"));
    assert.equal(vpc.deleteDefaultRoutesOnCreate, false);
    const subnet = recorded.inputs(recorded.one("gcp:compute/subnetwork:Subnetwork", "net-subnet"));
    assert.equal(subnet.privateIpGoogleAccess, true);
  });

  it("gives private nodes egress through Cloud NAT on the subnet only", () => {
    const router = recorded.inputs(recorded.one("gcp:compute/router:Router", "net-router"));
    assert.equal(router.region, "us-central1");
    const nat = recorded.inputs(recorded.one("gcp:compute/routerNat:RouterNat", "net-nat"));
    assert.equal(nat.natIpAllocateOption, "AUTO_ONLY");
    assert.equal(nat.sourceSubnetworkIpRangesToNat, "LIST_OF_SUBNETWORKS");
    assert.deepEqual(
      (nat.subnetworks as { sourceIpRangesToNats: string[] }[]).map((s) => s.sourceIpRangesToNats),
      [["ALL_IP_RANGES"]],
    );
    assert.deepEqual(nat.logConfig, { enable: true, filter: "ERRORS_ONLY" });
  });

  it("hands the cluster its Cloud NAT, which pods wait for before pulling public images", async () => {
    const nat = recorded.one("gcp:compute/routerNat:RouterNat", "net-nat");
    assert.equal((await resolve(built.egress.urn)).value, nat.urn);
  });

  it("reserves a /16 for private service access and peers it with Service Networking", () => {
    const address = recorded.one("gcp:compute/globalAddress:GlobalAddress", "net-private-services");
    const range = recorded.inputs(address);
    assert.equal(range.purpose, "VPC_PEERING");
    assert.equal(range.addressType, "INTERNAL");
    assert.equal(range.address, "10.30.0.0");
    assert.equal(range.prefixLength, 16);
    const peering = recorded.inputs(
      recorded.one("gcp:servicenetworking/connection:Connection", "net-private-services"),
    );
    assert.equal(peering.service, "servicenetworking.googleapis.com");
    assert.deepEqual(peering.reservedPeeringRanges, [address.outputs.name]);
    assert.match(String(address.outputs.name), /^net-private-services-/);
  });

  it("hands managed services the network only once the peering exists", async () => {
    const peering = recorded.one("gcp:servicenetworking/connection:Connection");
    const vpc = recorded.one("gcp:compute/network:Network");
    const { value } = await resolve(built.serviceNetworkId);
    assert.equal(value, vpc.id);
    const deps = await (
      built.serviceNetworkId as unknown as { allResources(): Promise<Set<{ urn: unknown }>> }
    ).allResources();
    const urns = await Promise.all(
      [...deps].map((r) => resolve(r.urn as import("@pulumi/pulumi").Output<string>)),
    );
    assert.ok(urns.map((u) => u.value).includes(peering.urn));
  });

  it("parents every child to the component", () => {
    const children = recorded.all.filter((r) => r.type.startsWith("gcp:"));
    assert.equal(children.length, 6);
    const parentUrn = recorded.one("platform:index:Test").urn;
    for (const c of children) assert.equal(c.parent, parentUrn, `${c.type} ${c.name}`);
  });
});
