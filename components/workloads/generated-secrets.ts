import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ServiceContext } from "./application";
import { connectionsSecretName, type ServiceSettings } from "./index";

/** One key of a Secret the platform generates. */
export interface GeneratedKey {
  readonly secret: string;
  readonly key: string;
  /** Characters. */
  readonly length: number;
}

/** The keys services ask the platform to generate, one per Secret and key, in name order. */
export function generatedKeys(services: readonly ServiceSettings[]): GeneratedKey[] {
  const byId = new Map<string, GeneratedKey>();
  for (const service of services) {
    for (const ref of Object.values(service.secretEnv)) {
      if (ref.generate === undefined) continue;
      const id = `${ref.secret}/${ref.key}`;
      if (!byId.has(id))
        byId.set(id, { secret: ref.secret, key: ref.key, length: ref.generate.length });
    }
  }
  return [...byId.values()].sort((a, b) =>
    `${a.secret}/${a.key}`.localeCompare(`${b.secret}/${b.key}`),
  );
}

/**
 * What is wrong with the generated keys: a Secret the platform fills from connections cannot
 * also be generated, and two services generating one key must agree on its length.
 */
export function generatedKeyProblems(services: readonly ServiceSettings[]): string[] {
  const problems: string[] = [];
  const lengths = new Map<string, number>();
  for (const service of services) {
    for (const [env, ref] of Object.entries(service.secretEnv)) {
      if (ref.generate === undefined) continue;
      const id = `${ref.secret}/${ref.key}`;
      if (ref.secret === connectionsSecretName) {
        problems.push(
          `service ${service.name}: ${env} generates a key of the "${connectionsSecretName}" ` +
            "Secret, which holds only the connections handed over; name another Secret",
        );
      }
      const seen = lengths.get(id);
      if (seen !== undefined && seen !== ref.generate.length) {
        problems.push(
          `service ${service.name}: ${env} generates ${id} with length ` +
            `${ref.generate.length}, another service with ${seen}; give one length`,
        );
      }
      lengths.set(id, seen ?? ref.generate.length);
    }
  }
  return problems;
}

/**
 * One Kubernetes Secret per generated Secret name, each key a RandomPassword: letters and
 * digits only (an env value needs no quoting), kept as a Pulumi secret in state and in the
 * Secret. The value never changes unless its length does.
 */
export function createGeneratedSecrets(
  context: ServiceContext,
  services: readonly ServiceSettings[],
): k8s.core.v1.Secret[] {
  const keys = generatedKeys(services);
  const names = [...new Set(keys.map((k) => k.secret))];
  return names.map((secretName) => {
    const data: Record<string, pulumi.Output<string>> = {};
    for (const k of keys.filter((g) => g.secret === secretName)) {
      const value = new random.RandomPassword(
        `${context.componentName}-${secretName}-${k.key}`,
        { length: k.length, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
        { parent: context.parent },
      );
      data[k.key] = pulumi.secret(value.result);
    }
    return new k8s.core.v1.Secret(
      `${context.componentName}-${secretName}`,
      {
        metadata: { name: secretName, namespace: context.namespace, labels: { ...context.labels } },
        type: "Opaque",
        stringData: data,
      },
      { parent: context.parent, dependsOn: context.dependsOn },
    );
  });
}
