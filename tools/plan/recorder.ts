import type * as pulumi from "@pulumi/pulumi";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { UnansweredCallError, type CallLedger, type PlannedCall } from "./calls";
import { yamlV2Children, yamlV2Types } from "./manifests";
import type { PlanMocker } from "./mocks";
import { installMonitor, mockMonitorClass, monitorResources, resourceProto } from "./sdk-internals";
import { containsSecret, secretSig, sigKey, unknownValue, unwrapSecrets } from "./values";

/** Everything the engine would know about one resource registration. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** URN of the parent; "" for the stack itself. */
  readonly parent: string;
  /** Provider reference `urn::id`; for a default provider, the reference the engine would make. */
  readonly provider: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly ignoreChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly aliases: readonly string[];
  readonly customTimeouts: { create: number; update: number; delete: number };
  readonly version: string;
  /** A multi-language component whose children are built elsewhere and are invisible here. */
  readonly remote: boolean;
  /** A remote component whose children the plan registered itself (a local `yaml.v2` one). */
  expanded?: boolean;
  /** Inputs in the wire encoding (secrets marked, unknowns as the sentinel). */
  readonly inputs: Record<string, unknown>;
  /** State after the (mocked) create, in the wire encoding. */
  outputs: Record<string, unknown>;
  id: string;
}

/** What a mock returns for a new resource, given its plain (secret-unwrapped) inputs. */
export interface ResourceMocker {
  newResource(args: {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    provider: string;
    custom: boolean;
    registry: ResourceRegistry;
  }): { id: string; state: Record<string, unknown> };
  /** The state the cloud holds for an existing object (`Resource.get`), given its id. */
  read(args: {
    type: string;
    name: string;
    id: string;
    provider: string;
    registry: ResourceRegistry;
  }): Record<string, unknown>;
  call(args: {
    token: string;
    inputs: Record<string, unknown>;
    provider: string;
    registry: ResourceRegistry;
  }): Record<string, unknown>;
}

/** A read of an existing object (`Resource.get`): the engine reads it, it creates nothing. */
export interface RecordedRead {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly provider: string;
  /** The id asked for; the unknown sentinel in a preview where it is not yet known. */
  readonly id: string;
  readonly dependencies: readonly string[];
  /** State read, in the wire encoding; empty when the id is unknown (the engine reads later). */
  readonly outputs: Record<string, unknown>;
}

export interface ResourceRegistry {
  readonly records: readonly RecordedResource[];
  byUrn(urn: string): RecordedResource | undefined;
}

/**
 * A mock resource monitor that records every registration with its options, returns
 * plausible cloud outputs, honours `additionalSecretOutputs` as the engine does, and in
 * preview mode returns no computed outputs so the SDK marks them unknown.
 */
export class RecordingMonitor extends mockMonitorClass() implements ResourceRegistry {
  readonly records: RecordedResource[] = [];
  /** Reads, kept apart: they are no part of the plan's resources and policies never see them. */
  readonly reads: RecordedRead[] = [];
  /** Registrations, reads and invokes the engine would refuse: on a disabled default provider. */
  readonly refusals: string[] = [];
  private readonly index = new Map<string, RecordedResource>();

  constructor(
    private readonly mocker: ResourceMocker,
    private readonly preview: boolean,
    private readonly stackName: string,
    private readonly projectName: string,
    private readonly disabledDefaults: DisabledDefaultProviders = new Set(),
    /** The plan's record of calls; without it (unit tests) an unanswered read fails as before. */
    private readonly calls?: CallLedger,
  ) {
    super({
      newResource: () => {
        throw new Error("RecordingMonitor registers resources itself");
      },
      call: (args: pulumi.runtime.MockCallArgs) => {
        this.refuseDefaultProvider(args.token.split(":")[0] ?? "", args.provider, args.token);
        return mocker.call({
          token: args.token,
          inputs: unwrapSecrets(args.inputs) as Record<string, unknown>,
          provider: args.provider ?? "",
          registry: this,
        });
      },
    });
  }

  /**
   * `pulumi:disable-default-providers` as the engine applies it: a resource, read or invoke of
   * a listed package (or of any package, with `*`) that names no provider is refused, in the
   * engine's words. The engine stops at the first; the plan notes each one and carries on (a
   * failed invoke would leave the program waiting forever), so one run names them all.
   */
  private refuseDefaultProvider(pkg: string, provider: string | undefined, subject: string): void {
    if (provider || pkg === "pulumi") return;
    if (!this.disabledDefaults.has(pkg) && !this.disabledDefaults.has("*")) return;
    this.refusals.push(
      `Default provider for '${pkg}' disabled. '${subject}' must use an explicit provider.`,
    );
  }

  byUrn(urn: string): RecordedResource | undefined {
    return this.index.get(urn);
  }

  override async registerResource(
    req: RegisterRequest,
    callback: (err: Error | null, res?: unknown) => void,
  ): Promise<void> {
    try {
      const record = this.record(req);
      if (record.remote && yamlV2Types.includes(record.type)) this.expandYaml(record, req);
      const plainInputs = unwrapSecrets(record.inputs) as Record<string, unknown>;
      let id = "";
      let outputs: Record<string, unknown> = { ...record.inputs };
      if (!this.preview) {
        const result = this.mocker.newResource({
          type: record.type,
          name: record.name,
          inputs: plainInputs,
          provider: record.provider,
          custom: record.custom,
          registry: this,
        });
        id = result.id;
        outputs = { ...result.state };
        // Inputs that were secret, at any depth, stay secret in the state, as the engine
        // keeps them.
        for (const [key, value] of Object.entries(record.inputs)) {
          if (containsSecret(value)) outputs[key] = value;
        }
        for (const key of record.additionalSecretOutputs) {
          if (key in outputs && !isSecret(outputs[key])) {
            outputs[key] = { [sigKey]: secretSig, value: outputs[key] };
          }
        }
      }
      record.id = id;
      record.outputs = outputs;
      monitorResources(this).set(record.urn, { urn: record.urn, id: id || null, state: outputs });
      const response = new (resourceProto().RegisterResourceResponse)();
      response.setUrn(record.urn);
      response.setId(id);
      response.setObject(structproto.Struct.fromJavaScript(outputs as never));
      callback(null, response);
    } catch (err) {
      callback(err as Error, undefined);
    }
  }

  override async readResource(
    req: ReadRequest,
    callback: (err: Error | null, res?: unknown) => void,
  ): Promise<void> {
    try {
      const type = req.getType();
      const name = req.getName();
      const parent = req.getParent();
      const id = req.getId();
      const provider = req.getProvider();
      this.refuseDefaultProvider(
        type.split(":")[0] ?? "",
        provider,
        this.urnOf(parent, type, name),
      );
      // The engine cannot read an object whose id is still unknown: every output stays unknown.
      const known = id !== "" && id !== unknownValue;
      const outputs = known ? this.readState(req) : {};
      const urn = this.urnOf(parent, type, name);
      this.reads.push({
        urn,
        type,
        name,
        parent,
        provider,
        id,
        dependencies: req.getDependenciesList(),
        outputs,
      });
      const response = new (resourceProto().ReadResourceResponse)();
      response.setUrn(urn);
      response.setProperties(structproto.Struct.fromJavaScript(outputs as never));
      callback(null, response);
    } catch (err) {
      callback(err as Error, undefined);
    }
  }

  /**
   * Registers the objects of a local `yaml.v2` component as its children, as the Kubernetes
   * provider does at deploy time, on the component's Kubernetes provider.
   */
  private expandYaml(component: RecordedResource, req: RegisterRequest): void {
    const inputs = unwrapSecrets(component.inputs) as Record<string, unknown>;
    const children = yamlV2Children(component.name, inputs, process.cwd());
    if (!children) return;
    const provider =
      req.getProvidersMap().get("kubernetes") ?? this.defaultProvider("kubernetes", "");
    for (const child of children) {
      const record = this.childRecord(component, child.type, child.name, provider, child.object);
      if (!this.preview) {
        record.outputs = this.mocker.newResource({
          type: child.type,
          name: child.name,
          inputs: child.object,
          provider,
          custom: true,
          registry: this,
        }).state;
      } else {
        record.outputs = { ...child.object };
      }
    }
    component.expanded = true;
  }

  private childRecord(
    parent: RecordedResource,
    type: string,
    name: string,
    provider: string,
    inputs: Record<string, unknown>,
  ): RecordedResource {
    const urn = this.urnOf(parent.urn, type, name);
    const record: RecordedResource = {
      ...emptyOptions,
      urn,
      type,
      name,
      custom: true,
      parent: parent.urn,
      provider,
      dependencies: [],
      propertyDependencies: {},
      version: "",
      remote: false,
      inputs,
      outputs: {},
      id: "",
    };
    this.records.push(record);
    this.index.set(urn, record);
    return record;
  }

  /**
   * The state of an object read, from the mocks. With a call ledger, a read nobody answers is
   * noted with where the program made it: in preview its state stays unknown, as a first
   * preview leaves what it cannot know; in an update it fails, naming the read.
   */
  private readState(req: ReadRequest): Record<string, unknown> {
    const [type, name, id, provider] = [
      req.getType(),
      req.getName(),
      req.getId(),
      req.getProvider(),
    ];
    if (!this.calls) return this.mocker.read({ type, name, id, provider, registry: this });
    const frames = (req.getStacktrace()?.getFramesList() ?? []).flatMap((f) => {
      const pc = f.getPc();
      return pc ? [{ uri: pc.getUri(), line: pc.getLine(), column: pc.getColumn() }] : [];
    });
    const answerer = (this.mocker as Partial<PlanMocker>).readAnswerer?.(type);
    const call: PlannedCall = {
      kind: "read",
      token: type,
      id,
      location: this.calls.locateFrames(frames),
      answer: answerer ?? (this.preview ? "unknown" : "unanswered"),
    };
    this.calls.note(call);
    if (answerer) return this.mocker.read({ type, name, id, provider, registry: this });
    if (this.preview) return {};
    throw new UnansweredCallError(call);
  }

  private record(req: RegisterRequest): RecordedResource {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const urn = this.urnOf(parent, type, name);
    const custom = req.getCustom();
    let provider = req.getProvider();
    if (custom && !provider && !type.startsWith("pulumi:providers:")) {
      this.refuseDefaultProvider(type.split(":")[0] ?? "", provider, urn);
      provider = this.defaultProvider(type.split(":")[0] ?? "", req.getVersion());
    }
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    const timeouts = req.getCustomtimeouts();
    const record: RecordedResource = {
      urn,
      type,
      name,
      custom,
      parent,
      provider,
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      deleteBeforeReplace: req.getDeletebeforereplace(),
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      ignoreChanges: req.getIgnorechangesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      aliases: req.getAliasurnsList(),
      customTimeouts: {
        create: parseDuration(timeouts?.getCreate()),
        update: parseDuration(timeouts?.getUpdate()),
        delete: parseDuration(timeouts?.getDelete()),
      },
      version: req.getVersion(),
      remote: req.getRemote(),
      inputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
      outputs: {},
      id: "",
    };
    this.records.push(record);
    this.index.set(urn, record);
    return record;
  }

  /**
   * The engine's URN: the parent's qualified type chain, `$`-joined, then the type; the root
   * stack is left out of the chain.
   */
  private urnOf(parent: string, type: string, name: string): string {
    const parentType = parent ? (parent.split("::")[2] ?? "") : "";
    const qualified =
      parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    return `urn:pulumi:${this.stackName}::${this.projectName}::${qualified}::${name}`;
  }

  /** The engine creates one default provider per package and version on first use. */
  private defaultProvider(pkg: string, version: string): string {
    const providerName = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
    const type = `pulumi:providers:${pkg}`;
    const urn = `urn:pulumi:${this.stackName}::${this.projectName}::${type}::${providerName}`;
    const id = `${providerName}-id`;
    if (!this.index.has(urn)) {
      const record: RecordedResource = {
        urn,
        type,
        name: providerName,
        custom: true,
        parent: "",
        provider: "",
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        dependencies: [],
        propertyDependencies: {},
        ignoreChanges: [],
        additionalSecretOutputs: [],
        aliases: [],
        customTimeouts: { create: 0, update: 0, delete: 0 },
        version,
        remote: false,
        inputs: version ? { version } : {},
        outputs: version ? { version } : {},
        id,
      };
      this.records.push(record);
      this.index.set(urn, record);
    }
    return `${urn}::${id}`;
  }
}

/** The options of a registration that set none. */
const emptyOptions = {
  protect: false,
  retainOnDelete: false,
  deleteBeforeReplace: false,
  ignoreChanges: [],
  additionalSecretOutputs: [],
  aliases: [],
  customTimeouts: { create: 0, update: 0, delete: 0 },
} as const;

/** Packages whose default provider the stack disabled; `*` stands for every package. */
export type DisabledDefaultProviders = ReadonlySet<string>;

/**
 * Reads `pulumi:disable-default-providers` from a stack's config: a list of package names as
 * JSON text (`["aws","kubernetes"]`), as the CLI passes a list-valued key.
 */
export function disabledDefaultProviders(config: Record<string, string>): DisabledDefaultProviders {
  const text = config["pulumi:disable-default-providers"];
  if (text === undefined) return new Set();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  const names = Array.isArray(parsed) ? parsed : [parsed];
  return new Set(names.map((n) => String(n).trim()).filter((n) => n !== ""));
}

function isSecret(value: unknown): boolean {
  return (
    !!value && typeof value === "object" && (value as Record<string, unknown>)[sigKey] === secretSig
  );
}

/** "10m", "1h30m", "90s" -> seconds. */
function parseDuration(text: string | undefined): number {
  if (!text) return 0;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) {
    total += Number(amount) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
  }
  return total;
}

interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getId(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getStacktrace():
    | {
        getFramesList(): {
          getPc(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
        }[];
      }
    | undefined;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): structproto.Struct | undefined;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
  getPropertydependenciesMap(): {
    forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void;
  };
  getDeletebeforereplace(): boolean;
  getVersion(): string;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getAliasurnsList(): string[];
  getCustomtimeouts():
    | { getCreate(): string; getUpdate(): string; getDelete(): string }
    | undefined;
  getRemote(): boolean;
  getRetainondelete(): boolean | undefined;
  getProvidersMap(): { get(key: string): string | undefined };
}

/**
 * Installs the monitor as the SDK's resource monitor, with the feature flags `setMocks`
 * turns on, and returns it.
 */
export function installRecordingMonitor(options: {
  mocker: ResourceMocker;
  project: string;
  stack: string;
  preview: boolean;
  organization?: string;
  /** Packages whose default provider is refused (`pulumi:disable-default-providers`). */
  disabledDefaultProviders?: DisabledDefaultProviders;
  /** Where the plan notes each invoke and read and who answered it. */
  calls?: CallLedger;
}): RecordingMonitor {
  const monitor = new RecordingMonitor(
    options.mocker,
    options.preview,
    options.stack,
    options.project,
    options.disabledDefaultProviders,
    options.calls,
  );
  installMonitor(monitor, {
    project: options.project,
    stack: options.stack,
    preview: options.preview,
    organization: options.organization ?? "organization",
  });
  return monitor;
}
