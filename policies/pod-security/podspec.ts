import { block, isSet, list, read, type Props } from "../lib";
import { applies, safeSysctlsSince, type Standard } from "./standard";

/**
 * Where the pod (its metadata and spec) sits in each pod-bearing kind, for every API version
 * @pulumi/kubernetes offers. Patches are left out: they only carry the fields they change.
 */
const templatePath = ["spec", "template"];
const cronJobPath = ["spec", "jobTemplate", "spec", "template"];
export const podPaths: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Pod": [],
  "kubernetes:core/v1:PodTemplate": ["template"],
  "kubernetes:core/v1:ReplicationController": templatePath,
  "kubernetes:apps/v1:Deployment": templatePath,
  "kubernetes:apps/v1beta1:Deployment": templatePath,
  "kubernetes:apps/v1beta2:Deployment": templatePath,
  "kubernetes:extensions/v1beta1:Deployment": templatePath,
  "kubernetes:apps/v1:StatefulSet": templatePath,
  "kubernetes:apps/v1beta1:StatefulSet": templatePath,
  "kubernetes:apps/v1beta2:StatefulSet": templatePath,
  "kubernetes:apps/v1:DaemonSet": templatePath,
  "kubernetes:apps/v1beta2:DaemonSet": templatePath,
  "kubernetes:extensions/v1beta1:DaemonSet": templatePath,
  "kubernetes:apps/v1:ReplicaSet": templatePath,
  "kubernetes:apps/v1beta2:ReplicaSet": templatePath,
  "kubernetes:extensions/v1beta1:ReplicaSet": templatePath,
  "kubernetes:batch/v1:Job": templatePath,
  "kubernetes:batch/v1:CronJob": cronJobPath,
  "kubernetes:batch/v1beta1:CronJob": cronJobPath,
  "kubernetes:batch/v2alpha1:CronJob": cronJobPath,
};

export const podBearingTypes = Object.keys(podPaths);

/** A pod spec found in a resource, with the annotations of the pod it describes. */
export interface PodSite {
  /** e.g. "Deployment api". */
  readonly owner: string;
  readonly spec: Props;
  /** Annotations of the pod (the template's metadata, or the Pod's own). */
  readonly annotations: Record<string, string>;
}

/** The pod spec of a resource of `type`, or none when the type carries no pod. */
export function podSpecOf(type: string, name: string, props: Props): PodSite | undefined {
  const path = podPaths[type];
  if (!path) return undefined;
  // A pod spec that is absent or not known yet reads as an empty one, about which no check
  // has anything to say.
  const pod = walk(props, path);
  const objectName = read(block(props, "metadata"), "name");
  const kind = type.split(":").pop() ?? type;
  return {
    owner: `${kind} ${typeof objectName === "string" ? objectName : name}`,
    spec: block(pod, "spec"),
    annotations: block(block(pod, "metadata"), "annotations") as Record<string, string>,
  };
}

function walk(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = read(node, key);
  return node;
}

export type ContainerList = "containers" | "initContainers" | "ephemeralContainers";
export const containerLists: readonly ContainerList[] = [
  "containers",
  "initContainers",
  "ephemeralContainers",
];

/** One container of a pod spec, with the pod-level security context it inherits. */
export interface ContainerSite {
  readonly list: ContainerList;
  readonly name: string;
  readonly container: Props;
  /** The container's own securityContext (empty when absent). */
  readonly securityContext: Props;
  /** e.g. `container "api"`, `init container "migrate"`. */
  readonly label: string;
}

const labels: Record<ContainerList, string> = {
  containers: "container",
  initContainers: "init container",
  ephemeralContainers: "ephemeral container",
};

export function containersOf(
  spec: Props,
  lists: readonly ContainerList[] = containerLists,
): ContainerSite[] {
  return lists.flatMap((l) =>
    list(spec, l).map((c, i) => {
      const container = (typeof c === "object" && c !== null ? c : {}) as Props;
      const rawName = read(container, "name");
      const name = typeof rawName === "string" ? rawName : `#${i}`;
      return {
        list: l,
        name,
        container,
        securityContext: block(container, "securityContext"),
        label: `${labels[l]} "${name}"`,
      };
    }),
  );
}

/**
 * The value a container runs with for a setting both levels offer: the container's own when
 * set, else the pod's, as the kubelet resolves it.
 */
export function effective(site: PodSite, c: ContainerSite, key: string): unknown {
  const own = read(c.securityContext, key);
  return own ?? read(podSecurityContext(site), key);
}

export function podSecurityContext(site: PodSite): Props {
  return block(site.spec, "securityContext");
}

/**
 * A check of one control group: a message per finding, empty when the pod complies. Checks of
 * the Pod Security Standards read the release of the standard they hold the pod to.
 */
export type PodCheck = (site: PodSite, standard: Standard) => string[];

/** A pod that declares it runs on Windows nodes (spec.os.name). */
export function isWindows(site: PodSite): boolean {
  return read(block(site.spec, "os"), "name") === "windows";
}

/**
 * Restricted exempts Windows pods from the controls of Linux kernel features (capabilities,
 * privilege escalation, seccomp): the API refuses those fields on a Windows pod.
 */
function windowsExempt(site: PodSite, standard: Standard): boolean {
  return isWindows(site) && applies(standard, "windowsExempt");
}

/** A pod in its own user namespace (hostUsers: false): uid 0 inside maps to an unprivileged uid. */
function inUserNamespace(site: PodSite, standard: Standard): boolean {
  return read(site.spec, "hostUsers") === false && applies(standard, "userNamespaces");
}

const where = (site: PodSite) => site.owner;

export const checkPrivileged: PodCheck = (site) => {
  const found: string[] = [];
  if (read(block(podSecurityContext(site), "windowsOptions"), "hostProcess") === true) {
    found.push(
      `${where(site)}: the pod runs as a Windows HostProcess; remove windowsOptions.hostProcess.`,
    );
  }
  for (const c of containersOf(site.spec)) {
    if (read(c.securityContext, "privileged") === true) {
      found.push(
        `${where(site)}: ${c.label} is privileged; set securityContext.privileged to false.`,
      );
    }
    if (read(block(c.securityContext, "windowsOptions"), "hostProcess") === true) {
      found.push(
        `${where(site)}: ${c.label} runs as a Windows HostProcess; remove windowsOptions.hostProcess.`,
      );
    }
  }
  return found;
};

export const checkHostNamespaces: PodCheck = (site) =>
  (["hostNetwork", "hostPID", "hostIPC"] as const)
    .filter((key) => read(site.spec, key) === true)
    .map(
      (key) => `${where(site)}: the pod shares the host's namespace (${key}: true); remove ${key}.`,
    );

export const checkHostPorts: PodCheck = (site) =>
  containersOf(site.spec).flatMap((c) =>
    list(c.container, "ports")
      .map((p) => read(p, "hostPort"))
      .filter((port) => port !== undefined && port !== null && port !== 0)
      .map(
        (port) =>
          `${where(site)}: ${c.label} binds host port ${String(port)}; remove hostPort and expose it through a Service.`,
      ),
  );

/** The volume sources the restricted profile admits. */
export const allowedVolumeSources: readonly string[] = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

export const checkVolumeTypes: PodCheck = (site) =>
  list(site.spec, "volumes").flatMap((v, i) => {
    const volume = (typeof v === "object" && v !== null ? v : {}) as Props;
    const rawName = read(volume, "name");
    const name = typeof rawName === "string" ? rawName : `#${i}`;
    return Object.keys(volume)
      .filter((key) => key !== "name" && !allowedVolumeSources.includes(key))
      .filter((key) => read(volume, key) !== null)
      .map(
        (key) =>
          `${where(site)}: volume "${name}" is of type ${key}, which the restricted profile forbids; ` +
          `use one of ${allowedVolumeSources.join(", ")}.`,
      );
  });

export const checkCapabilities: PodCheck = (site, standard) =>
  (windowsExempt(site, standard) ? [] : containersOf(site.spec)).flatMap((c) => {
    const capabilities = block(c.securityContext, "capabilities");
    const drop = list(capabilities, "drop");
    const added = list(capabilities, "add").filter((cap) => cap !== "NET_BIND_SERVICE");
    const found: string[] = [];
    if (!drop.includes("ALL")) {
      found.push(
        `${where(site)}: ${c.label} does not drop ALL capabilities; set securityContext.capabilities.drop to ["ALL"].`,
      );
    }
    if (added.length > 0) {
      found.push(
        `${where(site)}: ${c.label} adds capabilities ${added.map(String).join(", ")}; only NET_BIND_SERVICE may be added.`,
      );
    }
    return found;
  });

export const checkPrivilegeEscalation: PodCheck = (site, standard) =>
  (windowsExempt(site, standard) ? [] : containersOf(site.spec))
    .filter((c) => read(c.securityContext, "allowPrivilegeEscalation") !== false)
    .map(
      (c) =>
        `${where(site)}: ${c.label} may escalate privileges; set securityContext.allowPrivilegeEscalation to false.`,
    );

export const checkRunAsNonRoot: PodCheck = (site, standard) =>
  (inUserNamespace(site, standard) ? [] : containersOf(site.spec))
    .filter((c) => effective(site, c, "runAsNonRoot") !== true)
    .map(
      (c) =>
        `${where(site)}: ${c.label} may run as root; set runAsNonRoot: true on the pod or the container.`,
    );

export const checkRunAsUser: PodCheck = (site, standard) => {
  const found: string[] = [];
  if (inUserNamespace(site, standard)) return found;
  if (read(podSecurityContext(site), "runAsUser") === 0) {
    found.push(`${where(site)}: the pod sets runAsUser 0 (root); use a non-zero user id.`);
  }
  for (const c of containersOf(site.spec)) {
    if (read(c.securityContext, "runAsUser") === 0) {
      found.push(`${where(site)}: ${c.label} sets runAsUser 0 (root); use a non-zero user id.`);
    }
  }
  return found;
};

const allowedProfiles = ["RuntimeDefault", "Localhost"];

export const checkSeccomp: PodCheck = (site, standard) => {
  const found: string[] = [];
  if (windowsExempt(site, standard)) return found;
  const podType = read(block(podSecurityContext(site), "seccompProfile"), "type");
  if (podType !== undefined && !allowedProfiles.includes(podType as string)) {
    found.push(
      `${where(site)}: the pod's seccomp profile is ${String(podType)}; use RuntimeDefault or Localhost.`,
    );
  }
  for (const c of containersOf(site.spec)) {
    const own = read(block(c.securityContext, "seccompProfile"), "type");
    if (own !== undefined && !allowedProfiles.includes(own as string)) {
      found.push(
        `${where(site)}: ${c.label}'s seccomp profile is ${String(own)}; use RuntimeDefault or Localhost.`,
      );
    } else if (own === undefined && podType === undefined) {
      found.push(
        `${where(site)}: ${c.label} has no seccomp profile; set seccompProfile.type to RuntimeDefault on the pod or the container.`,
      );
    }
  }
  return found;
};

export const checkProcMount: PodCheck = (site) =>
  containersOf(site.spec)
    .map((c) => ({ c, mount: read(c.securityContext, "procMount") }))
    .filter(({ mount }) => mount !== undefined && mount !== "Default")
    .map(
      ({ c, mount }) =>
        `${where(site)}: ${c.label} mounts /proc as ${String(mount)}; remove procMount or set it to Default.`,
    );

const appArmorAnnotation = "container.apparmor.security.beta.kubernetes.io/";

export const checkAppArmor: PodCheck = (site) => {
  const found: string[] = [];
  for (const [key, value] of Object.entries(site.annotations)) {
    if (!key.startsWith(appArmorAnnotation)) continue;
    // An empty value leaves the runtime's default in place, as an absent annotation does.
    if (value !== "" && value !== "runtime/default" && !value.startsWith("localhost/")) {
      found.push(
        `${where(site)}: annotation ${key} is ${value}; use runtime/default or localhost/<profile>.`,
      );
    }
  }
  const podType = read(block(podSecurityContext(site), "appArmorProfile"), "type");
  if (podType !== undefined && !allowedProfiles.includes(podType as string)) {
    found.push(
      `${where(site)}: the pod's AppArmor profile is ${String(podType)}; use RuntimeDefault or Localhost.`,
    );
  }
  for (const c of containersOf(site.spec)) {
    const own = read(block(c.securityContext, "appArmorProfile"), "type");
    if (own !== undefined && !allowedProfiles.includes(own as string)) {
      found.push(
        `${where(site)}: ${c.label}'s AppArmor profile is ${String(own)}; use RuntimeDefault or Localhost.`,
      );
    }
  }
  return found;
};

/** SELinux types the baseline profile admits ("" means unset), as of `standard`. */
export function allowedSeLinuxTypes(standard: Standard): string[] {
  const types = ["", "container_t", "container_init_t", "container_kvm_t"];
  return applies(standard, "seLinuxContainerEngine") ? [...types, "container_engine_t"] : types;
}

function seLinuxFindings(options: Props, subject: string, allowed: readonly string[]): string[] {
  const found: string[] = [];
  const type = read(options, "type");
  if (type !== undefined && !allowed.includes(type as string)) {
    found.push(`${subject} sets SELinux type ${String(type)}; use container_t or leave it unset.`);
  }
  for (const key of ["user", "role"]) {
    const value = read(options, key);
    if (value !== undefined && value !== "") {
      found.push(
        `${subject} sets SELinux ${key} ${String(value)}; leave seLinuxOptions.${key} unset.`,
      );
    }
  }
  return found;
}

export const checkSeLinux: PodCheck = (site, standard) => {
  const allowed = allowedSeLinuxTypes(standard);
  return [
    ...seLinuxFindings(
      block(podSecurityContext(site), "seLinuxOptions"),
      `${where(site)}: the pod`,
      allowed,
    ),
    ...containersOf(site.spec).flatMap((c) =>
      seLinuxFindings(
        block(c.securityContext, "seLinuxOptions"),
        `${where(site)}: ${c.label}`,
        allowed,
      ),
    ),
  ];
};

/** The namespaced sysctls the baseline profile admits as of `standard`. */
export function safeSysctls(standard: Standard): string[] {
  return Object.entries(safeSysctlsSince)
    .filter(([, since]) => standard.minor >= since)
    .map(([name]) => name);
}

export const checkSysctls: PodCheck = (site, standard) => {
  const safe = safeSysctls(standard);
  return list(podSecurityContext(site), "sysctls")
    .map((s) => read(s, "name"))
    .filter((name) => !safe.includes(name as string))
    .map((name) => `${where(site)}: the pod sets the unsafe sysctl ${String(name)}; remove it.`);
};

const probes = ["livenessProbe", "readinessProbe", "startupProbe"];
const lifecycleHandlers = ["postStart", "preStop"];

/** The handlers of a container that may name a host: its probes and lifecycle hooks. */
function handlersOf(container: Props): [string, Props][] {
  const lifecycle = block(container, "lifecycle");
  return [
    ...probes.map((p): [string, Props] => [p, block(container, p)]),
    ...lifecycleHandlers.map((h): [string, Props] => [`lifecycle.${h}`, block(lifecycle, h)]),
  ];
}

/**
 * Baseline forbids a host in probe and lifecycle handlers: the kubelet would send the request
 * from the node to any address, past the pod's network policy. Allowed: unset or "".
 */
export const checkProbeHosts: PodCheck = (site, standard) =>
  applies(standard, "probeHosts")
    ? containersOf(site.spec).flatMap((c) =>
        handlersOf(c.container).flatMap(([handler, spec]) =>
          ["httpGet", "tcpSocket"]
            .map((action) => ({ action, host: read(block(spec, action), "host") }))
            .filter(({ host }) => isSet(host))
            .map(
              ({ action, host }) =>
                `${where(site)}: ${c.label}'s ${handler}.${action} sets host ${String(host)}; ` +
                "remove host so the kubelet probes the pod's own IP.",
            ),
        ),
      )
    : [];

/** Windows pods cannot set readOnlyRootFilesystem: the API refuses it with spec.os.name windows. */
export const checkReadOnlyRootFilesystem: PodCheck = (site) =>
  (isWindows(site) ? [] : containersOf(site.spec))
    .filter((c) => read(c.securityContext, "readOnlyRootFilesystem") !== true)
    .map(
      (c) =>
        `${where(site)}: ${c.label} can write to its root filesystem; set securityContext.readOnlyRootFilesystem ` +
        "to true and mount an emptyDir where it must write.",
    );

/**
 * The tag of an image reference (`[registry[:port]/]path[:tag][@digest]`), "" when it has none;
 * undefined when pinned by digest, which fixes the image whatever the tag says.
 */
export function imageTag(image: string): string | undefined {
  const [name, digest] = image.split("@") as [string, string?];
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  const tag = colon === -1 ? "" : lastSegment.slice(colon + 1);
  return digest === undefined ? tag : undefined;
}

export const checkImageTag: PodCheck = (site) =>
  containersOf(site.spec).flatMap((c) => {
    const image = read(c.container, "image");
    if (typeof image !== "string") return [];
    const tag = imageTag(image);
    if (tag === "") {
      return [
        `${where(site)}: ${c.label} uses image ${image} without a tag; pin a version tag or a digest.`,
      ];
    }
    if (tag === "latest") {
      return [
        `${where(site)}: ${c.label} uses image ${image}; pin a version tag or a digest instead of latest.`,
      ];
    }
    return [];
  });

export const checkContainerResources: PodCheck = (site) =>
  containersOf(site.spec, ["containers", "initContainers"]).flatMap((c) => {
    const resources = block(c.container, "resources");
    const missing = (["requests", "limits"] as const).flatMap((kind) =>
      ["cpu", "memory"]
        .filter((r) => {
          const value = read(block(resources, kind), r);
          return value === undefined || value === null || value === "";
        })
        .map((r) => `${kind}.${r}`),
    );
    return missing.length === 0
      ? []
      : [
          `${where(site)}: ${c.label} has no ${missing.join(", ")}; set CPU and memory requests and limits.`,
        ];
  });
