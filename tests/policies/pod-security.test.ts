import { strict as assert } from "node:assert";
import {
  compliantPodSpec,
  deployment,
  kinds,
  podBearingKinds,
  versionConfig,
  windowsPodSpec,
} from "./fixtures/pods";
import { assertFindings, usePack, withField } from "./pack";

type Spec = Record<string, unknown>;
const change = (path: string, value: unknown) => (spec: Spec) => withField(spec, path, value);

interface Case {
  readonly it: string;
  readonly change: (spec: Spec) => Spec;
  readonly messages: readonly RegExp[];
}

/** Per policy: the ways a pod breaks it, each one field away from the compliant baseline. */
const cases: Record<string, readonly Case[]> = {
  "k8s-pod-not-privileged": [
    {
      it: "fails a privileged container",
      change: change("containers.0.securityContext.privileged", true),
      messages: [
        /^Deployment api: container "api" is privileged; set securityContext.privileged to false\.$/,
      ],
    },
    {
      it: "fails a Windows HostProcess pod",
      change: change("securityContext.windowsOptions", { hostProcess: true }),
      messages: [/^Deployment api: the pod runs as a Windows HostProcess/],
    },
    {
      it: "fails a Windows HostProcess container",
      change: change("containers.0.securityContext.windowsOptions", { hostProcess: true }),
      messages: [/^Deployment api: container "api" runs as a Windows HostProcess/],
    },
  ],
  "k8s-pod-no-host-namespaces": [
    {
      it: "fails a pod on the host network",
      change: change("hostNetwork", true),
      messages: [
        /^Deployment api: the pod shares the host's namespace \(hostNetwork: true\); remove hostNetwork\.$/,
      ],
    },
    {
      it: "fails a pod sharing the host PID and IPC namespaces",
      change: (s) => withField(withField(s, "hostPID", true), "hostIPC", true),
      messages: [/\(hostPID: true\)/, /\(hostIPC: true\)/],
    },
  ],
  "k8s-pod-no-host-ports": [
    {
      it: "fails a container binding a host port",
      change: change("containers.0.ports.0.hostPort", 8080),
      messages: [/^Deployment api: container "api" binds host port 8080; remove hostPort/],
    },
  ],
  "k8s-pod-no-probe-hosts": [
    {
      it: "fails a liveness probe whose httpGet names a host",
      change: change("containers.0.livenessProbe", {
        httpGet: { host: "169.254.169.254", path: "/latest/meta-data/", port: 80 },
      }),
      messages: [
        /^Deployment api: container "api"'s livenessProbe.httpGet sets host 169.254.169.254; remove host so the kubelet probes the pod's own IP\.$/,
      ],
    },
    {
      it: "fails readiness and startup probes whose tcpSocket names a host",
      change: (spec) =>
        withField(
          withField(spec, "containers.0.readinessProbe", {
            tcpSocket: { host: "db.internal", port: 5432 },
          }),
          "containers.0.startupProbe",
          { tcpSocket: { host: "10.0.0.1", port: 22 } },
        ),
      messages: [
        /container "api"'s readinessProbe.tcpSocket sets host db.internal;/,
        /container "api"'s startupProbe.tcpSocket sets host 10.0.0.1;/,
      ],
    },
    {
      it: "fails postStart and preStop handlers that name a host",
      change: change("containers.0.lifecycle", {
        postStart: { httpGet: { host: "10.0.0.2", path: "/", port: 80 } },
        preStop: { tcpSocket: { host: "10.0.0.3", port: 80 } },
      }),
      messages: [
        /container "api"'s lifecycle.postStart.httpGet sets host 10.0.0.2;/,
        /container "api"'s lifecycle.preStop.tcpSocket sets host 10.0.0.3;/,
      ],
    },
    {
      it: "fails an init container's probe host and an ephemeral container's hook host",
      change: (spec) =>
        withField(
          withField(spec, "initContainers", [
            { name: "migrate", startupProbe: { httpGet: { host: "10.0.0.4", port: 80 } } },
          ]),
          "ephemeralContainers",
          [{ name: "debug", lifecycle: { preStop: { httpGet: { host: "10.0.0.5", port: 80 } } } }],
        ),
      messages: [
        /init container "migrate"'s startupProbe.httpGet sets host 10.0.0.4;/,
        /ephemeral container "debug"'s lifecycle.preStop.httpGet sets host 10.0.0.5;/,
      ],
    },
  ],
  "k8s-pod-allowed-volume-types": [
    {
      it: "fails a hostPath volume",
      change: change("volumes.1", { name: "docker", hostPath: { path: "/var/run/docker.sock" } }),
      messages: [
        /^Deployment api: volume "docker" is of type hostPath, which the restricted profile forbids; use one of configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret\.$/,
      ],
    },
    {
      it: "fails an nfs volume",
      change: change("volumes.1", { name: "shared", nfs: { server: "nfs", path: "/" } }),
      messages: [/volume "shared" is of type nfs/],
    },
    {
      it: "names a volume without a name by its place in the pod",
      change: change("volumes.1", { hostPath: { path: "/etc" } }),
      messages: [/^Deployment api: volume "#1" is of type hostPath/],
    },
  ],
  "k8s-pod-capabilities-restricted": [
    {
      it: "fails a container that does not drop ALL",
      change: change("containers.0.securityContext.capabilities.drop", ["NET_RAW"]),
      messages: [
        /^Deployment api: container "api" does not drop ALL capabilities; set securityContext.capabilities.drop to \["ALL"\]\.$/,
      ],
    },
    {
      it: "fails a container adding SYS_ADMIN",
      change: change("containers.0.securityContext.capabilities.add", [
        "NET_BIND_SERVICE",
        "SYS_ADMIN",
      ]),
      messages: [
        /^Deployment api: container "api" adds capabilities SYS_ADMIN; only NET_BIND_SERVICE may be added\.$/,
      ],
    },
    {
      it: "names every capability a container adds beyond NET_BIND_SERVICE",
      change: change("containers.0.securityContext.capabilities.add", ["SYS_ADMIN", "NET_RAW"]),
      messages: [/ adds capabilities SYS_ADMIN, NET_RAW; only NET_BIND_SERVICE may be added\.$/],
    },
    {
      it: "names a container without a name by its place in the pod",
      change: (spec) =>
        withField(
          withField(spec, "containers.0.name", undefined),
          "containers.0.securityContext.capabilities",
          undefined,
        ),
      messages: [/^Deployment api: container "#0" does not drop ALL capabilities/],
    },
  ],
  "k8s-pod-no-privilege-escalation": [
    {
      it: "fails a container that leaves allowPrivilegeEscalation unset",
      change: change("containers.0.securityContext.allowPrivilegeEscalation", undefined),
      messages: [
        /^Deployment api: container "api" may escalate privileges; set securityContext.allowPrivilegeEscalation to false\.$/,
      ],
    },
  ],
  "k8s-pod-run-as-non-root": [
    {
      it: "fails a pod that never asks for runAsNonRoot",
      change: change("securityContext.runAsNonRoot", undefined),
      messages: [
        /^Deployment api: container "api" may run as root; set runAsNonRoot: true on the pod or the container\.$/,
      ],
    },
    {
      it: "fails a container that overrides the pod with runAsNonRoot false",
      change: change("containers.0.securityContext.runAsNonRoot", false),
      messages: [/container "api" may run as root/],
    },
  ],
  "k8s-pod-run-as-user-not-root": [
    {
      it: "fails a pod running as user 0",
      change: change("securityContext.runAsUser", 0),
      messages: [/^Deployment api: the pod sets runAsUser 0 \(root\); use a non-zero user id\.$/],
    },
    {
      it: "fails a container running as user 0",
      change: change("containers.0.securityContext.runAsUser", 0),
      messages: [/^Deployment api: container "api" sets runAsUser 0 \(root\)/],
    },
  ],
  "k8s-pod-seccomp-restricted": [
    {
      it: "fails a pod with no seccomp profile anywhere",
      change: change("securityContext.seccompProfile", undefined),
      messages: [
        /^Deployment api: container "api" has no seccomp profile; set seccompProfile.type to RuntimeDefault/,
      ],
    },
    {
      it: "fails an Unconfined pod profile",
      change: change("securityContext.seccompProfile.type", "Unconfined"),
      messages: [
        /^Deployment api: the pod's seccomp profile is Unconfined; use RuntimeDefault or Localhost\.$/,
      ],
    },
    {
      it: "fails a container overriding the pod with Unconfined",
      change: change("containers.0.securityContext.seccompProfile", { type: "Unconfined" }),
      messages: [/^Deployment api: container "api"'s seccomp profile is Unconfined/],
    },
  ],
  "k8s-pod-default-proc-mount": [
    {
      it: "fails an Unmasked /proc",
      change: change("containers.0.securityContext.procMount", "Unmasked"),
      messages: [
        /^Deployment api: container "api" mounts \/proc as Unmasked; remove procMount or set it to Default\.$/,
      ],
    },
  ],
  "k8s-pod-apparmor-restricted": [
    {
      it: "fails an Unconfined AppArmor profile on the pod",
      change: change("securityContext.appArmorProfile", { type: "Unconfined" }),
      messages: [
        /^Deployment api: the pod's AppArmor profile is Unconfined; use RuntimeDefault or Localhost\.$/,
      ],
    },
    {
      it: "fails an Unconfined AppArmor profile on a container",
      change: change("containers.0.securityContext.appArmorProfile", { type: "Unconfined" }),
      messages: [/^Deployment api: container "api"'s AppArmor profile is Unconfined/],
    },
  ],
  "k8s-pod-selinux-restricted": [
    {
      it: "fails a custom SELinux type on the pod",
      change: change("securityContext.seLinuxOptions", { type: "spc_t" }),
      messages: [
        /^Deployment api: the pod sets SELinux type spc_t; use container_t or leave it unset\.$/,
      ],
    },
    {
      it: "fails a SELinux user and role on a container",
      change: change("containers.0.securityContext.seLinuxOptions", {
        user: "system_u",
        role: "system_r",
      }),
      messages: [
        /^Deployment api: container "api" sets SELinux user system_u; leave seLinuxOptions.user unset\.$/,
        /^Deployment api: container "api" sets SELinux role system_r; leave seLinuxOptions.role unset\.$/,
      ],
    },
  ],
  "k8s-pod-safe-sysctls": [
    {
      it: "fails an unsafe sysctl",
      change: change("securityContext.sysctls", [
        { name: "net.ipv4.tcp_syncookies", value: "1" },
        { name: "kernel.msgmax", value: "65536" },
      ]),
      messages: [/^Deployment api: the pod sets the unsafe sysctl kernel.msgmax; remove it\.$/],
    },
  ],
  "k8s-container-read-only-root-filesystem": [
    {
      it: "fails a writable root filesystem",
      change: change("containers.0.securityContext.readOnlyRootFilesystem", false),
      messages: [
        /^Deployment api: container "api" can write to its root filesystem; set securityContext.readOnlyRootFilesystem to true/,
      ],
    },
  ],
  "k8s-container-image-pinned": [
    {
      it: "fails the latest tag",
      change: change("containers.0.image", "ghcr.io/platform/api:latest"),
      messages: [
        /^Deployment api: container "api" uses image ghcr.io\/platform\/api:latest; pin a version tag or a digest instead of latest\.$/,
      ],
    },
    {
      it: "fails an untagged image from a registry with a port",
      change: change("containers.0.image", "registry.local:5000/platform/api"),
      messages: [
        /uses image registry.local:5000\/platform\/api without a tag; pin a version tag or a digest\.$/,
      ],
    },
  ],
  "k8s-container-resources": [
    {
      it: "fails a container whose CPU request is empty or null",
      change: (spec) =>
        withField(
          withField(spec, "containers.0.resources.requests.cpu", ""),
          "containers.0.resources.limits.cpu",
          null,
        ),
      messages: [/^Deployment api: container "api" has no requests.cpu, limits.cpu;/],
    },
    {
      it: "fails a container without a memory limit",
      change: change("containers.0.resources.limits.memory", undefined),
      messages: [
        /^Deployment api: container "api" has no limits.memory; set CPU and memory requests and limits\.$/,
      ],
    },
    {
      it: "fails a container without any resources",
      change: change("containers.0.resources", undefined),
      messages: [
        /container "api" has no requests.cpu, requests.memory, limits.cpu, limits.memory;/,
      ],
    },
  ],
};

/** Per policy: pods that differ from the baseline and still comply, so must pass. */
const compliantVariants: Record<string, readonly { it: string; change: (spec: Spec) => Spec }[]> = {
  "k8s-pod-no-host-ports": [
    {
      it: "passes a host port of 0 or null (unset)",
      change: (spec) =>
        withField(spec, "containers.0.ports", [
          { containerPort: 8080, hostPort: 0 },
          { containerPort: 9090, hostPort: null },
        ]),
    },
  ],
  "k8s-pod-no-probe-hosts": [
    {
      it: "passes probes and hooks whose host is unset, empty or null",
      change: (spec) =>
        withField(
          withField(spec, "containers.0.livenessProbe", {
            httpGet: { path: "/healthz", port: 8080 },
            tcpSocket: { port: 8080, host: "" },
          }),
          "containers.0.lifecycle",
          {
            postStart: { httpGet: { host: null, path: "/", port: 8080 } },
            preStop: { exec: { command: ["sleep", "5"] } },
          },
        ),
    },
  ],
  "k8s-pod-allowed-volume-types": [
    {
      it: "passes an image volume (restricted admits it)",
      change: change("volumes.1", {
        name: "models",
        image: { reference: "ghcr.io/platform/models:1.0.0", pullPolicy: "IfNotPresent" },
      }),
    },
    {
      it: "passes a volume whose other sources are null",
      change: change("volumes.0", { name: "tmp", emptyDir: {}, hostPath: null }),
    },
  ],
  "k8s-pod-seccomp-restricted": [
    {
      it: "passes a Localhost profile on the pod",
      change: change("securityContext.seccompProfile", {
        type: "Localhost",
        localhostProfile: "profiles/api.json",
      }),
    },
    {
      it: "passes a container that sets RuntimeDefault itself when the pod sets none",
      change: (spec) =>
        withField(
          withField(spec, "securityContext.seccompProfile", undefined),
          "containers.0.securityContext.seccompProfile",
          { type: "RuntimeDefault" },
        ),
    },
  ],
  "k8s-pod-default-proc-mount": [
    {
      it: "passes procMount Default",
      change: change("containers.0.securityContext.procMount", "Default"),
    },
  ],
  "k8s-pod-apparmor-restricted": [
    {
      it: "passes annotations that are not AppArmor's, whatever their value",
      change: (spec) => spec,
    },
  ],
  "k8s-pod-selinux-restricted": [
    ...["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"].map(
      (type) => ({
        it: `passes SELinux type ${JSON.stringify(type)} with an empty user and role`,
        change: change("containers.0.securityContext.seLinuxOptions", {
          type,
          user: "",
          role: "",
          level: "s0:c123,c456",
        }),
      }),
    ),
  ],
  "k8s-pod-safe-sysctls": [
    {
      it: "passes every sysctl the profile calls safe",
      change: change(
        "securityContext.sysctls",
        [
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes",
          "net.ipv4.tcp_rmem",
          "net.ipv4.tcp_wmem",
          "net.ipv4.tcp_slow_start_after_idle",
          "net.ipv4.tcp_notsent_lowat",
        ].map((name) => ({ name, value: "1" })),
      ),
    },
  ],
  "k8s-container-image-pinned": [
    {
      it: "passes an image pinned by digest",
      change: change(
        "containers.0.image",
        "ghcr.io/platform/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      ),
    },
    {
      // The digest fixes the image; the tag beside it is only a label (OCI image reference).
      it: "passes an image tagged latest but pinned by digest",
      change: change(
        "containers.0.image",
        "ghcr.io/platform/api:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      ),
    },
    {
      it: "passes a tagged image from Docker Hub's library (no registry, no slash)",
      change: change("containers.0.image", "nginx:1.27.3"),
    },
    {
      it: "passes a container whose image is not given",
      change: change("containers.0.image", undefined),
    },
  ],
};

/** A Deployment whose pod carries the scrape annotations Prometheus reads, not AppArmor's. */
function scrapeAnnotated(spec: Spec) {
  return withField(deployment(spec), "props.spec.template.metadata.annotations", {
    "prometheus.io/scrape": "true",
    "prometheus.io/port": "9090",
  });
}

describe("Pod security policies, through the analyzer protocol", function () {
  const pack = usePack();

  for (const [policy, policyCases] of Object.entries(cases)) {
    describe(policy, () => {
      it("passes the compliant Deployment", async () => {
        assert.deepEqual(await pack.analyze(deployment(), policy), []);
      });
      for (const variant of compliantVariants[policy] ?? []) {
        it(variant.it, async () => {
          const spec = variant.change(compliantPodSpec());
          const found = await pack.analyze(
            policy === "k8s-pod-apparmor-restricted" ? scrapeAnnotated(spec) : deployment(spec),
            policy,
          );
          assert.deepEqual(found, []);
        });
      }
      for (const c of policyCases) {
        it(c.it, async () => {
          assertFindings(
            await pack.analyze(deployment(c.change(compliantPodSpec())), policy),
            policy,
            c.messages,
          );
        });
      }
    });
  }

  describe("k8s-pod-apparmor-restricted on annotations", () => {
    const policy = "k8s-pod-apparmor-restricted";
    const annotated = (value: string) => {
      const d = deployment();
      return withField(d, "props.spec.template.metadata.annotations", {
        "container.apparmor.security.beta.kubernetes.io/api": value,
      });
    };

    it("fails an unconfined AppArmor annotation on the pod template", async () => {
      assertFindings(await pack.analyze(annotated("unconfined"), policy), policy, [
        /^Deployment api: annotation container.apparmor.security.beta.kubernetes.io\/api is unconfined; use runtime\/default or localhost\/<profile>\.$/,
      ]);
    });

    it("passes runtime/default and localhost profiles, and an empty value", async () => {
      assert.deepEqual(await pack.analyze(annotated(""), policy), []);
      assert.deepEqual(await pack.analyze(annotated("runtime/default"), policy), []);
      assert.deepEqual(await pack.analyze(annotated("localhost/api"), policy), []);
    });
  });

  describe("every pod-bearing kind and API version", () => {
    const privileged = withField(
      compliantPodSpec(),
      "containers.0.securityContext.privileged",
      true,
    );
    for (const [type, wrap] of Object.entries(kinds)) {
      const kind = type.split(":")[2];
      it(`fails a privileged ${type} and passes a compliant one`, async () => {
        const bad = await pack.analyze(
          { type, name: "api", props: wrap(privileged) },
          "k8s-pod-not-privileged",
        );
        assertFindings(bad, "k8s-pod-not-privileged", [
          new RegExp(`^${kind} api: container "api" is privileged`),
        ]);
        const good = await pack.analyze({ type, name: "api", props: wrap(compliantPodSpec()) });
        assert.deepEqual(good, []);
      });
    }

    it("raises nothing for a workload whose pod spec is not given", async () => {
      const noSpec = withField(deployment(), "props.spec.template.spec", undefined);
      assert.deepEqual(await pack.analyze(noSpec), []);
      const bare = { type: "kubernetes:core/v1:Pod", name: "api", props: { metadata: {} } };
      assert.deepEqual(await pack.analyze(bare), []);
    });
  });

  describe("init and ephemeral containers", () => {
    it("fails an init container that may escalate privileges", async () => {
      const spec = withField(compliantPodSpec(), "initContainers", [
        { name: "migrate", image: "ghcr.io/platform/migrate:1.0.0", securityContext: {} },
      ]);
      assertFindings(
        await pack.analyze(deployment(spec), "k8s-pod-no-privilege-escalation"),
        "k8s-pod-no-privilege-escalation",
        [/^Deployment api: init container "migrate" may escalate privileges/],
      );
    });

    it("fails an ephemeral container that does not drop ALL capabilities", async () => {
      const spec = withField(compliantPodSpec(), "ephemeralContainers", [
        {
          name: "debug",
          image: "busybox:1.36",
          securityContext: { allowPrivilegeEscalation: false },
        },
      ]);
      assertFindings(
        await pack.analyze(deployment(spec), "k8s-pod-capabilities-restricted"),
        "k8s-pod-capabilities-restricted",
        [/^Deployment api: ephemeral container "debug" does not drop ALL capabilities/],
      );
    });

    it("holds init containers to requests and limits but not ephemeral ones", async () => {
      const spec = withField(
        withField(compliantPodSpec(), "initContainers", [{ name: "migrate", image: "m:1" }]),
        "ephemeralContainers",
        [{ name: "debug", image: "busybox:1.36" }],
      );
      assertFindings(
        await pack.analyze(deployment(spec), "k8s-container-resources"),
        "k8s-container-resources",
        [/init container "migrate" has no requests.cpu/],
      );
    });
  });

  describe("names the pod's owner", () => {
    const privileged = withField(
      compliantPodSpec(),
      "containers.0.securityContext.privileged",
      true,
    );

    it("by the object's own name where it differs from the resource's", async () => {
      const resource = withField(deployment(privileged), "props.metadata.name", "web");
      assertFindings(
        await pack.analyze(resource, "k8s-pod-not-privileged"),
        "k8s-pod-not-privileged",
        [/^Deployment web: container "api" is privileged/],
      );
    });

    it("by the resource's name when the object is auto-named", async () => {
      const resource = withField(
        { ...deployment(privileged), name: "api-deployment" },
        "props.metadata",
        {},
      );
      assertFindings(
        await pack.analyze(resource, "k8s-pod-not-privileged"),
        "k8s-pod-not-privileged",
        [/^Deployment api-deployment: container "api" is privileged/],
      );
    });
  });

  it("leaves resources without a pod alone", async () => {
    const found = await pack.analyze({
      type: "kubernetes:core/v1:Service",
      name: "api",
      props: { metadata: { name: "api" }, spec: { ports: [{ port: 80 }] } },
    });
    assert.deepEqual(found, []);
  });

  it("does not throw on a Deployment without a template", async () => {
    const found = await pack.analyze({
      type: "kubernetes:apps/v1:Deployment",
      name: "api",
      props: { metadata: { name: "api" }, spec: { replicas: 1 } },
    });
    assert.deepEqual(found, []);
  });
  describe("every control on every pod-bearing kind", () => {
    for (const type of podBearingKinds) {
      const kind = type.split(":")[2] ?? type;
      const wrap = kinds[type] as (spec: Spec) => Record<string, unknown>;
      for (const [policy, policyCases] of Object.entries(cases)) {
        const first = policyCases[0] as Case;
        it(`${kind}: ${policy} ${first.it}`, async () => {
          const found = await pack.analyze(
            { type, name: "api", props: wrap(first.change(compliantPodSpec())) },
            policy,
          );
          assertFindings(
            found,
            policy,
            first.messages.map((m) => new RegExp(m.source.replace(/^\^Deployment /, `^${kind} `))),
          );
        });
      }
      it(`${kind}: a compliant pod and a compliant Windows pod pass the whole pack`, async () => {
        assert.deepEqual(
          await pack.analyze({ type, name: "api", props: wrap(compliantPodSpec()) }),
          [],
        );
        assert.deepEqual(
          await pack.analyze({ type, name: "api", props: wrap(windowsPodSpec()) }),
          [],
        );
      });
    }
  });

  describe("Windows pods (spec.os.name windows)", () => {
    afterEach(async () => pack.configure());
    const linuxOnly = [
      "k8s-pod-capabilities-restricted",
      "k8s-pod-no-privilege-escalation",
      "k8s-pod-seccomp-restricted",
    ];

    it("are held to the Linux-only controls when they do not declare their OS", async () => {
      const found = await pack.analyze(deployment(withField(windowsPodSpec(), "os", undefined)));
      assert.deepEqual(
        found.map((d) => d.policyName),
        [...linuxOnly, "k8s-container-read-only-root-filesystem"],
      );
    });

    it("are held to capabilities, privilege escalation and seccomp under a standard before 1.25", async () => {
      await pack.configure(versionConfig(linuxOnly, "v1.24"));
      const found = await pack.analyze(deployment(windowsPodSpec()));
      assert.deepEqual(
        found.map((d) => d.policyName),
        linuxOnly,
      );
    });

    it("pass those controls from 1.25 on", async () => {
      await pack.configure(versionConfig(linuxOnly, "v1.25"));
      assert.deepEqual(await pack.analyze(deployment(windowsPodSpec())), []);
    });

    it("still must run as non-root and not as a HostProcess", async () => {
      const spec = withField(
        withField(windowsPodSpec(), "securityContext.runAsNonRoot", undefined),
        "securityContext.windowsOptions.hostProcess",
        true,
      );
      const found = await pack.analyze(deployment(spec));
      assert.deepEqual(
        found.map((d) => d.policyName),
        ["k8s-pod-not-privileged", "k8s-pod-run-as-non-root"],
      );
    });
  });

  describe("the standard's version (policy config `version`, like PSA's enforce-version)", () => {
    afterEach(async () => pack.configure());

    it("declares latest as the default and v1.23 to v1.37 as the other choices", () => {
      const info = pack.infos.find((i) => i.name === "k8s-pod-no-probe-hosts");
      const version = info?.configSchema.version as {
        type?: unknown;
        default?: unknown;
        enum?: unknown[];
      };
      assert.equal(version.type, "string");
      assert.equal(version.default, "latest");
      assert.deepEqual(version.enum?.slice(0, 2), ["v1.23", "v1.24"]);
      assert.deepEqual(version.enum?.slice(-2), ["v1.37", "latest"]);
    });

    it("leaves probe hosts alone before 1.34, where Baseline did not restrict them", async () => {
      const policy = "k8s-pod-no-probe-hosts";
      const spec = withField(compliantPodSpec(), "containers.0.readinessProbe", {
        httpGet: { host: "10.0.0.1", port: 8080 },
      });
      await pack.configure(versionConfig([policy], "v1.33"));
      assert.deepEqual(await pack.analyze(deployment(spec), policy), []);
      await pack.configure(versionConfig([policy], "v1.34"));
      assertFindings(await pack.analyze(deployment(spec), policy), policy, [
        /readinessProbe.httpGet sets host 10.0.0.1;/,
      ]);
    });

    it("holds pods to the latest standard when the version names no release (v1.<minor> only)", async () => {
      const policy = "k8s-pod-no-probe-hosts";
      const spec = withField(compliantPodSpec(), "containers.0.readinessProbe", {
        httpGet: { host: "10.0.0.1", port: 8080 },
      });
      for (const version of ["v1.33.2", "pre-v1.33", "1.33"]) {
        await pack.configure(versionConfig([policy], version));
        assertFindings(await pack.analyze(deployment(spec), policy), policy, [
          /readinessProbe.httpGet sets host 10.0.0.1;/,
        ]);
      }
    });

    /** Each sysctl Baseline added after 1.23, with the release whose text first lists it. */
    const addedSysctls: readonly [string, number][] = [
      ["net.ipv4.ip_local_reserved_ports", 27],
      ["net.ipv4.tcp_keepalive_time", 29],
      ["net.ipv4.tcp_fin_timeout", 29],
      ["net.ipv4.tcp_keepalive_intvl", 29],
      ["net.ipv4.tcp_keepalive_probes", 29],
      ["net.ipv4.tcp_rmem", 32],
      ["net.ipv4.tcp_wmem", 32],
      ["net.ipv4.tcp_slow_start_after_idle", 37],
      ["net.ipv4.tcp_notsent_lowat", 37],
    ];
    for (const [sysctl, minor] of addedSysctls) {
      it(`flags ${sysctl} under v1.${minor - 1} and allows it from v1.${minor}`, async () => {
        const policy = "k8s-pod-safe-sysctls";
        const spec = withField(compliantPodSpec(), "securityContext.sysctls", [
          { name: sysctl, value: "1" },
        ]);
        await pack.configure(versionConfig([policy], `v1.${minor - 1}`));
        assertFindings(await pack.analyze(deployment(spec), policy), policy, [
          new RegExp(
            `the pod sets the unsafe sysctl ${sysctl.replace(/\./g, "\\.")}; remove it\\.$`,
          ),
        ]);
        await pack.configure(versionConfig([policy], `v1.${minor}`));
        assert.deepEqual(await pack.analyze(deployment(spec), policy), []);
      });
    }

    it("allows SELinux type container_engine_t from 1.31 only", async () => {
      const policy = "k8s-pod-selinux-restricted";
      const spec = withField(compliantPodSpec(), "securityContext.seLinuxOptions", {
        type: "container_engine_t",
      });
      await pack.configure(versionConfig([policy], "v1.30"));
      assertFindings(await pack.analyze(deployment(spec), policy), policy, [
        /the pod sets SELinux type container_engine_t;/,
      ]);
      await pack.configure(versionConfig([policy], "v1.31"));
      assert.deepEqual(await pack.analyze(deployment(spec), policy), []);
    });

    it("lets a pod in its own user namespace run as uid 0 from 1.35 on", async () => {
      const policies = ["k8s-pod-run-as-non-root", "k8s-pod-run-as-user-not-root"];
      const spec = withField(
        withField(withField(compliantPodSpec(), "hostUsers", false), "securityContext", {
          runAsUser: 0,
          seccompProfile: { type: "RuntimeDefault" },
        }),
        "containers.0.securityContext.runAsUser",
        0,
      );
      assert.deepEqual(await pack.analyze(deployment(spec)), []);
      await pack.configure(versionConfig(policies, "v1.35"));
      assert.deepEqual(await pack.analyze(deployment(spec)), []);
      await pack.configure(versionConfig(policies, "v1.34"));
      assert.deepEqual(
        (await pack.analyze(deployment(spec))).map((d) => d.policyName),
        [policies[0], policies[1], policies[1]],
      );
    });

    it("holds a pod sharing the host's user namespace (hostUsers true) to non-root", async () => {
      const spec = withField(
        withField(compliantPodSpec(), "hostUsers", true),
        "securityContext.runAsUser",
        0,
      );
      assertFindings(
        await pack.analyze(deployment(spec), "k8s-pod-run-as-user-not-root"),
        "k8s-pod-run-as-user-not-root",
        [/the pod sets runAsUser 0/],
      );
    });
  });
});
