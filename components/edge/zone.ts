import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import type { ZoneRef } from "./index";

/** The zone every edge resource lives in, and its public hosts. */
export interface ZoneContext {
  readonly id: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  /** Host labels as configured (`app`, `@` for the apex). */
  readonly hosts: readonly string[];
}

/**
 * Resolves the zone: with both name and id nothing is looked up; with one of them the
 * `getZone` invoke supplies the other.
 */
export function resolveZone(
  zone: ZoneRef,
  hosts: readonly string[],
  parent: pulumi.Resource,
): ZoneContext {
  if (zone.name !== undefined && zone.id !== undefined) {
    return { id: pulumi.output(zone.id), name: pulumi.output(zone.name), hosts };
  }
  const found =
    zone.id !== undefined
      ? cloudflare.getZoneOutput({ zoneId: zone.id }, { parent })
      : cloudflare.getZoneOutput({ filter: { name: zone.name } }, { parent });
  return { id: found.id, name: found.name, hosts };
}

/** The host label that stands for every subdomain of the zone (tenants). */
export const wildcardLabel = "*";

/** `app` -> `app.example.com`; `@` -> `example.com`; `*` -> `*.example.com`. */
export function fqdn(label: string, zoneName: string): string {
  return label === "@" ? zoneName : `${label}.${zoneName}`;
}

/** A child-name-safe form of a host label. */
export function labelName(label: string): string {
  if (label === "@") return "apex";
  return label === wildcardLabel ? "wildcard" : label;
}

/**
 * A rules-language expression matching requests to the given host labels, or to every
 * public host when none are given. The wildcard matches any subdomain by suffix; the rules
 * language has no wildcard host in a set.
 */
export function hostsExpression(
  zone: ZoneContext,
  labels: readonly string[],
): pulumi.Output<string> {
  const chosen = labels.length > 0 ? labels : zone.hosts;
  const named = chosen.filter((l) => l !== wildcardLabel);
  return zone.name.apply((name) => {
    const parts = [
      ...(named.length > 0
        ? [`http.host in {${named.map((l) => JSON.stringify(fqdn(l, name))).join(" ")}}`]
        : []),
      ...(chosen.includes(wildcardLabel)
        ? [`ends_with(http.host, ${JSON.stringify(`.${name}`)})`]
        : []),
    ];
    return `(${parts.join(" or ")})`;
  });
}
