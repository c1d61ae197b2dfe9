import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceContext } from "./application";
import { connectionsSecretName } from "./index";

/**
 * The connection strings and tokens handed to Workloads, as one Secret in the application
 * namespace. Values stay Pulumi secrets; pods read them by `secretKeyRef`, never as plain env.
 * No Secret is made when there is nothing to hold.
 */
export function createConnectionsSecret(
  context: ServiceContext,
  connections: Readonly<Record<string, pulumi.Input<string>>>,
): k8s.core.v1.Secret | undefined {
  const keys = Object.keys(connections).sort();
  if (keys.length === 0) return undefined;
  return new k8s.core.v1.Secret(
    `${context.componentName}-connections`,
    {
      metadata: {
        name: connectionsSecretName,
        namespace: context.namespace,
        labels: { ...context.labels },
      },
      type: "Opaque",
      stringData: Object.fromEntries(
        keys.map((key) => [key, pulumi.secret(pulumi.output(connections[key]!))]),
      ),
    },
    { parent: context.parent, dependsOn: context.dependsOn },
  );
}
