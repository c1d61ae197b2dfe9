import { strict as assert } from "node:assert";
import { Cluster } from "../../components/cluster";
import { eksProdArgs } from "../support/cluster";
import { settle, useMocks, type Recorded } from "../support/mocks";

type Doc = { Statement: Record<string, unknown>[] };

describe("Cluster on aws in prod: scaling pods and nodes", () => {
  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Cluster("cluster", eksProdArgs());
    await settle();
  });

  const release = (n: string) => recorded.one("kubernetes:helm.sh/v3:Release", n);

  it("installs metrics-server 3.13.1 (app 0.8.1) in kube-system, two restricted replicas", () => {
    const ms = recorded.inputs(release("cluster-metrics-server-release"));
    assert.equal(ms.chart, "metrics-server");
    assert.equal(ms.version, "3.13.1");
    assert.deepEqual(ms.repositoryOpts, {
      repo: "https://kubernetes-sigs.github.io/metrics-server/",
    });
    assert.equal(ms.namespace, "kube-system");
    assert.equal(ms.timeout, 600);
    const values = ms.values as Record<string, unknown>;
    assert.equal(values.replicas, 2);
    assert.deepEqual(values.podDisruptionBudget, { enabled: true, minAvailable: 1 });
    // EKS kubelets serve certificates the cluster's CA signs: they are verified.
    assert.deepEqual(values.args, []);
    assert.deepEqual(values.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.match(
      release("cluster-metrics-server-release").provider,
      /providers:kubernetes::cluster-k8s::/,
    );
  });

  it("installs Cluster Autoscaler 1.35.0 (chart 9.59.0), discovering the node group by its EKS tags", () => {
    const role = recorded.one("aws:iam/role:Role", "cluster-autoscaler-role");
    const ca = recorded.inputs(release("cluster-autoscaler"));
    assert.equal(ca.chart, "cluster-autoscaler");
    assert.equal(ca.version, "9.59.0");
    assert.deepEqual(ca.repositoryOpts, { repo: "https://kubernetes.github.io/autoscaler" });
    assert.equal(ca.namespace, "kube-system");
    assert.deepEqual(ca.values, {
      cloudProvider: "aws",
      awsRegion: "us-east-1",
      autoDiscovery: { clusterName: "platform-prod" },
      image: { repository: "registry.k8s.io/autoscaling/cluster-autoscaler", tag: "v1.35.0" },
      rbac: {
        serviceAccount: {
          create: true,
          name: "cluster-autoscaler",
          annotations: { "eks.amazonaws.com/role-arn": role.outputs.arn },
        },
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containerSecurityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      },
      resources: {
        requests: { cpu: "100m", memory: "300Mi" },
        limits: { cpu: "200m", memory: "600Mi" },
      },
    });
  });

  it("lets only the autoscaler's service account assume its role", () => {
    const role = recorded.one("aws:iam/role:Role", "cluster-autoscaler-role");
    const oidc = recorded.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    const host = String(recorded.inputs(oidc).url).replace("https://", "");
    const trust = JSON.parse(String(recorded.inputs(role).assumeRolePolicy)) as Doc;
    assert.deepEqual(trust.Statement, [
      {
        Effect: "Allow",
        Principal: { Federated: oidc.outputs.arn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${host}:sub`]: "system:serviceaccount:kube-system:cluster-autoscaler",
            [`${host}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ]);
  });

  it("lets it resize and terminate only in groups tagged as owned by this cluster", () => {
    const role = recorded.one("aws:iam/role:Role", "cluster-autoscaler-role");
    const policy = recorded.inputs(
      recorded.one("aws:iam/rolePolicy:RolePolicy", "cluster-autoscaler-role-scaling"),
    );
    assert.equal(policy.role, role.id);
    const doc = JSON.parse(String(policy.policy)) as Doc;
    assert.deepEqual(doc.Statement[1], {
      Sid: "ScaleOwnGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/platform-prod": "owned" },
      },
    });
    const reads = doc.Statement[0]!.Action as string[];
    assert.ok(
      reads.every((a) => /:(Describe|Get)/.test(a)),
      reads.join(", "),
    );
    assert.equal(doc.Statement.length, 2);
  });
});
