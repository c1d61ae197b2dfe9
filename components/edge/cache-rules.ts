import * as cloudflare from "@pulumi/cloudflare";
import type * as pulumi from "@pulumi/pulumi";
import type { EdgeCacheSettings } from "./index";
import { hostsExpression, type ZoneContext } from "./zone";

/** `(http.host in {...} and http.request.uri.path.extension in {"css" "js"})` */
export function staticAssetsExpression(
  zone: ZoneContext,
  extensions: readonly string[],
): pulumi.Output<string> {
  const list = extensions.map((e) => JSON.stringify(e)).join(" ");
  return hostsExpression(zone, []).apply(
    (hosts) => `${hosts} and (http.request.uri.path.extension in {${list}})`,
  );
}

/**
 * The zone's `http_request_cache_settings` entry point: static assets are cached at the edge
 * for `edgeTtlSeconds` whatever the origin's headers say; browsers keep following the origin.
 */
export function createCacheRules(
  name: string,
  zone: ZoneContext,
  cache: EdgeCacheSettings,
  opts: pulumi.CustomResourceOptions,
): cloudflare.Ruleset {
  return new cloudflare.Ruleset(
    `${name}-cache`,
    {
      zoneId: zone.id,
      kind: "zone",
      phase: "http_request_cache_settings",
      name: "Static asset caching",
      description: "Edge caching of static assets",
      rules: [
        {
          ref: "static-assets",
          description: `Cache ${cache.extensions.join(", ")} for ${cache.edgeTtlSeconds} s at the edge`,
          enabled: true,
          action: "set_cache_settings",
          expression: staticAssetsExpression(zone, cache.extensions),
          actionParameters: {
            cache: true,
            edgeTtl: { mode: "override_origin", default: cache.edgeTtlSeconds },
            browserTtl: { mode: "respect_origin" },
          },
        },
      ],
    },
    opts,
  );
}
