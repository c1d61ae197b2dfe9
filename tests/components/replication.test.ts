import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  CrossCloudVpn,
  DatabaseReplication,
  instanceOfDatabaseId,
  replicationUser,
  setupImage,
  sourceSetupScript,
} from "../../components/replication";
import { sigKey, unwrapSecrets } from "../../tools/plan/values";
import { settle, useMocks, type Recorded } from "../support/mocks";
import { tags } from "./support";

const networkId = "projects/platform-prod-standby/global/networks/standby-network-vpc";

describe("The HA VPN between the AWS primary and the GCP standby", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new CrossCloudVpn("standby-vpn", {
      awsVpcId: "vpc-0abc",
      awsRouteTableIds: ["rtb-a", "rtb-b", "rtb-c"],
      gcpNetworkId: networkId,
      gcpRegion: "us-central1",
      gcpAdvertisedRanges: ["10.30.0.0/16"],
      servicePeering: { networkName: "standby-network-vpc" },
      tags,
    });
    await settle();
  });

  const inputs = (type: string, name: string) => recorded.inputs(recorded.one(type, name));

  it("announces the standby's subnets and private service access range (Cloud SQL) to AWS over BGP", () => {
    assert.deepEqual(inputs("gcp:compute/router:Router", "standby-vpn-router"), {
      region: "us-central1",
      network: networkId,
      bgp: {
        asn: 65534,
        advertiseMode: "CUSTOM",
        advertisedGroups: ["ALL_SUBNETS"],
        advertisedIpRanges: [{ range: "10.30.0.0/16" }],
      },
    });
  });

  it("propagates the learned GCP routes into every private route table of the VPC", () => {
    const gateway = recorded.one("aws:ec2/vpnGateway:VpnGateway", "standby-vpn-aws-gateway");
    assert.equal(recorded.inputs(gateway).amazonSideAsn, "64512");
    assert.equal(recorded.inputs(gateway).vpcId, "vpc-0abc");
    const propagations = recorded
      .ofType("aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation")
      .map((r) => recorded.inputs(r));
    assert.deepEqual(
      propagations.map((p) => p.routeTableId),
      ["rtb-a", "rtb-b", "rtb-c"],
    );
    assert.equal(new Set(propagations.map((p) => p.vpnGatewayId)).size, 1);
    assert.match(String(propagations[0]!.vpnGatewayId), /^vgw-[0-9a-f]{17}$/);
  });

  it("faces each Cloud VPN interface with an AWS customer gateway and a BGP VPN connection", () => {
    const ha = recorded.one("gcp:compute/haVpnGateway:HaVpnGateway", "standby-vpn-gcp-gateway");
    const ifaces = ha.outputs.vpnInterfaces as { ipAddress: string }[];
    for (const i of [0, 1]) {
      const customer = inputs(
        "aws:ec2/customerGateway:CustomerGateway",
        `standby-vpn-customer-${i}`,
      );
      assert.deepEqual(
        [customer.ipAddress, customer.bgpAsn, customer.type],
        [ifaces[i]!.ipAddress, "65534", "ipsec.1"],
      );
      const connection = inputs(
        "aws:ec2/vpnConnection:VpnConnection",
        `standby-vpn-connection-${i}`,
      );
      assert.equal(connection.staticRoutesOnly, false);
      assert.equal(connection.type, "ipsec.1");
    }
  });

  it("runs IKEv2 with AES-256, SHA2-256 and DH group 14 on all four tunnels, each with its own /30", () => {
    const connections = [0, 1].map((i) =>
      inputs("aws:ec2/vpnConnection:VpnConnection", `standby-vpn-connection-${i}`),
    );
    assert.deepEqual(
      connections.flatMap((c) => [c.tunnel1InsideCidr, c.tunnel2InsideCidr]),
      ["169.254.21.0/30", "169.254.21.4/30", "169.254.22.0/30", "169.254.22.4/30"],
    );
    for (const c of connections) {
      for (const t of [1, 2]) {
        assert.deepEqual(c[`tunnel${t}IkeVersions`], ["ikev2"]);
        assert.deepEqual(c[`tunnel${t}Phase1EncryptionAlgorithms`], ["AES256"]);
        assert.deepEqual(c[`tunnel${t}Phase2IntegrityAlgorithms`], ["SHA2-256"]);
        assert.deepEqual(c[`tunnel${t}Phase2DhGroupNumbers`], [14]);
        assert.match(String(c[`tunnel${t}PresharedKey`]), /^k[A-Za-z0-9]{32}$/);
      }
    }
  });

  it("keeps every pre-shared key secret on both sides", () => {
    const connection = recorded.one(
      "aws:ec2/vpnConnection:VpnConnection",
      "standby-vpn-connection-0",
    );
    assert.match(JSON.stringify(connection.inputs.tunnel1PresharedKey), new RegExp(sigKey));
    assert.match(JSON.stringify(connection.inputs.tunnel2PresharedKey), new RegExp(sigKey));
    const tunnel = recorded.one("gcp:compute/vPNTunnel:VPNTunnel", "standby-vpn-tunnel-0");
    assert.match(JSON.stringify(tunnel.inputs.sharedSecret), new RegExp(sigKey));
  });

  it("builds four tunnels to the AWS outside addresses, two on each HA VPN interface, with BGP to AWS", () => {
    const peer = inputs(
      "gcp:compute/externalVpnGateway:ExternalVpnGateway",
      "standby-vpn-peer-gateway",
    );
    assert.equal(peer.redundancyType, "FOUR_IPS_REDUNDANCY");
    const outside = [0, 1].flatMap((i) => {
      const c = recorded.one("aws:ec2/vpnConnection:VpnConnection", `standby-vpn-connection-${i}`);
      return [c.outputs.tunnel1Address, c.outputs.tunnel2Address];
    });
    assert.deepEqual(
      (peer.interfaces as { id: number; ipAddress: string }[]).map((f) => [f.id, f.ipAddress]),
      outside.map((address, id) => [id, address]),
    );
    const cgw = ["169.254.21.2", "169.254.21.6", "169.254.22.2", "169.254.22.6"];
    const vgw = ["169.254.21.1", "169.254.21.5", "169.254.22.1", "169.254.22.5"];
    for (const i of [0, 1, 2, 3]) {
      const tunnel = inputs("gcp:compute/vPNTunnel:VPNTunnel", `standby-vpn-tunnel-${i}`);
      assert.deepEqual(
        [tunnel.vpnGatewayInterface, tunnel.peerExternalGatewayInterface, tunnel.ikeVersion],
        [Math.floor(i / 2), i, 2],
      );
      const iface = inputs(
        "gcp:compute/routerInterface:RouterInterface",
        `standby-vpn-interface-${i}`,
      );
      assert.equal(iface.ipRange, `${cgw[i]}/30`);
      const bgp = inputs("gcp:compute/routerPeer:RouterPeer", `standby-vpn-bgp-${i}`);
      assert.deepEqual([bgp.peerIpAddress, bgp.peerAsn], [vgw[i], 64512]);
    }
  });

  it("exports the tunnels' routes into Google's service network, so Cloud SQL reaches AWS", () => {
    assert.deepEqual(
      inputs(
        "gcp:compute/networkPeeringRoutesConfig:NetworkPeeringRoutesConfig",
        "standby-vpn-service-routes",
      ),
      {
        network: "standby-network-vpc",
        peering: "servicenetworking-googleapis-com",
        exportCustomRoutes: true,
        importCustomRoutes: false,
      },
    );
  });
});

/** The RDS source, its setup Job's namespace and the standby's Cloud SQL instance. */
function primaryAndStandby() {
  return {
    source: {
      host: "platform-prod-database.c0.us-east-1.rds.amazonaws.com",
      masterUser: "app_admin",
      masterPassword: pulumi.secret("master-password-0123456789"),
      databaseName: "app",
      cidr: "10.10.0.0/16",
      caCertificate: "-----BEGIN CERTIFICATE-----\nRDS\n-----END CERTIFICATE-----\n",
    },
    setup: { namespace: "production", dependsOn: [] },
    destinationDatabaseId: "platform-prod-standby:standby-database-postgres-1234567",
  };
}

describe("Continuous replication of the RDS primary into the standby's Cloud SQL", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    // The path is a component (the VPN): the job waits for what it holds.
    const path = new pulumi.ComponentResource("platform:test:Path", "vpn");
    new random.RandomId("vpn-tunnel", { byteLength: 4 }, { parent: path });
    new DatabaseReplication("standby-replication", {
      ...primaryAndStandby(),
      networkId,
      region: "us-central1",
      idPrefix: "platform-prod",
      pathReady: [path],
      labels: tags,
    });
    await settle();
  });

  const one = (type: string, name: string) => recorded.one(type, name);
  const inputs = (type: string, name: string) => recorded.inputs(one(type, name));

  it("connects to RDS as its own role over TLS, verifying the server with RDS's CA", () => {
    const profile = inputs(
      "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
      "standby-replication-source-profile",
    );
    assert.equal(profile.role, "SOURCE");
    assert.equal(profile.connectionProfileId, "platform-prod-rds-source");
    const pg = profile.postgresql as Record<string, unknown>;
    assert.deepEqual(
      [pg.host, pg.port, pg.username],
      ["platform-prod-database.c0.us-east-1.rds.amazonaws.com", 5432, replicationUser],
    );
    assert.deepEqual(pg.ssl, {
      caCertificate: "-----BEGIN CERTIFICATE-----\nRDS\n-----END CERTIFICATE-----\n",
    });
    const password = one(
      "random:index/randomPassword:RandomPassword",
      "standby-replication-password",
    );
    assert.equal(pg.password, (unwrapSecrets(password.outputs) as { result: string }).result);
  });

  it("replicates into the standby's existing Cloud SQL instance, named from its database id", () => {
    assert.deepEqual(
      inputs(
        "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
        "standby-replication-destination-profile",
      ).postgresql,
      { cloudSqlId: "standby-database-postgres-1234567" },
    );
    assert.throws(() => instanceOfDatabaseId("no-colon"), /not a <project>:<instance>/);
  });

  it("creates a CONTINUOUS migration job over the standby's network, stopped until the stack starts it", () => {
    const job = one(
      "gcp:databasemigrationservice/migrationJob:MigrationJob",
      "standby-replication-job",
    );
    const source = one(
      "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
      "standby-replication-source-profile",
    );
    assert.deepEqual(
      {
        ...recorded.inputs(job),
        labels: undefined,
        displayName: undefined,
      },
      {
        location: "us-central1",
        migrationJobId: "platform-prod-rds-to-cloudsql",
        type: "CONTINUOUS",
        source: source.outputs.name,
        destination:
          "projects/mock-project/locations/us-central1/connectionProfiles/platform-prod-cloudsql-standby",
        vpcPeeringConnectivity: { vpc: networkId },
        // It copies the tables that exist when it starts and no later DDL: it starts once the
        // application's schema is on RDS.
        desiredState: "NOT_STARTED",
        labels: undefined,
        displayName: undefined,
      },
    );
    const tunnel = recorded.one("random:index/randomId:RandomId", "vpn-tunnel");
    assert.ok(job.dependencies.includes(tunnel.urn), JSON.stringify(job.dependencies));
  });

  it("prepares the source only from inside the primary's VPC, before the source profile exists", () => {
    const setup = one("kubernetes:batch/v1:Job", "standby-replication-source-setup");
    const spec = recorded.inputs(setup).spec as {
      template: { spec: { containers: Record<string, unknown>[] } };
    };
    const container = spec.template.spec.containers[0]!;
    assert.equal(container.image, setupImage);
    assert.deepEqual(container.command, ["sh", "-c", sourceSetupScript()]);
    assert.deepEqual(container.env, [
      { name: "PGSSLMODE", value: "require" },
      { name: "APP_DATABASE", value: "app" },
      { name: "REPLICATION_USER", value: "dms_replicator" },
    ]);
    const profile = one(
      "gcp:databasemigrationservice/connectionProfile:ConnectionProfile",
      "standby-replication-source-profile",
    );
    assert.ok(profile.dependencies.includes(setup.urn));
    const policy = inputs(
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "standby-replication-source-setup-egress",
    ).spec as { egress: { to: unknown[]; ports: unknown[] }[] };
    assert.deepEqual(policy.egress[1], {
      to: [{ ipBlock: { cidr: "10.10.0.0/16" } }],
      ports: [{ protocol: "TCP", port: 5432 }],
    });
  });

  it("installs pglogical and grants the replication role what Database Migration Service needs, in postgres and the app database", () => {
    const script = sourceSetupScript();
    assert.match(script, /for db in postgres "\$APP_DATABASE"; do/);
    for (const sql of [
      "CREATE EXTENSION IF NOT EXISTS pglogical;",
      'GRANT rds_replication, rds_superuser TO :"user";',
      "GRANT USAGE ON SCHEMA pglogical TO PUBLIC;",
      "GRANT SELECT ON ALL TABLES IN SCHEMA %1$I TO %2$I",
      "GRANT SELECT ON ALL SEQUENCES IN SCHEMA %1$I TO %2$I",
    ]) {
      assert.ok(script.includes(sql), sql);
    }
  });

  it("keeps the master and replication passwords in a secret the Job reads, never in its spec", () => {
    const secret = one("kubernetes:core/v1:Secret", "standby-replication-source-setup-credentials");
    assert.match(JSON.stringify(secret.inputs.stringData), new RegExp(sigKey));
    const job = one("kubernetes:batch/v1:Job", "standby-replication-source-setup");
    assert.equal(JSON.stringify(job.inputs).includes("master-password-0123456789"), false);
  });

  it("alerts when the standby is more than 60 s behind for a minute, on Cloud SQL's replica lag", () => {
    const alert = inputs("gcp:monitoring/alertPolicy:AlertPolicy", "standby-replication-lag");
    const condition = (alert.conditions as { conditionThreshold: Record<string, unknown> }[])[0]!
      .conditionThreshold;
    assert.deepEqual(condition, {
      filter:
        'resource.type = "cloudsql_database" AND resource.labels.database_id = "platform-prod-standby:standby-database-postgres-1234567" AND metric.type = "cloudsql.googleapis.com/database/replication/replica_lag"',
      comparison: "COMPARISON_GT",
      thresholdValue: 60,
      duration: "60s",
      aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
    });
  });
});

describe("Continuous replication the stack has started", () => {
  it("runs the migration job once platform:replication.startMigration says so", async () => {
    const recorded = useMocks({ stack: "prod" });
    new DatabaseReplication("standby-replication", {
      ...primaryAndStandby(),
      networkId: "projects/platform-prod-standby/global/networks/standby-network",
      region: "us-central1",
      idPrefix: "platform-prod",
      pathReady: [],
      start: true,
      labels: {},
    });
    await settle();
    const job = recorded.one(
      "gcp:databasemigrationservice/migrationJob:MigrationJob",
      "standby-replication-job",
    );
    assert.equal(recorded.inputs(job).desiredState, "RUNNING");
  });
});
