import { z } from "zod";
import { didYouMean } from "./hint";

/**
 * IANA time zone names the CronJob controller resolves: the runtime's IANA database
 * (`Intl.supportedValuesOf`, canonical names) and "UTC", which it lists as Etc/UTC's alias.
 */
export const timeZones: readonly string[] = [...Intl.supportedValuesOf("timeZone"), "UTC"];
const known = new Set(timeZones);

/**
 * Aliases the database also resolves ("Europe/Kyiv" on an older ICU, "Etc/UTC"), written in
 * IANA's case: Go's tzdata, which the controller loads, matches names case-sensitively.
 */
function isAlias(zone: string): boolean {
  if (!/^[A-Z][A-Za-z_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z
  .string({ error: 'is not a time zone name; expected e.g. "UTC" or "Europe/Berlin"' })
  .superRefine((zone, ctx) => {
    if (known.has(zone) || isAlias(zone)) return;
    ctx.addIssue({
      code: "custom",
      input: zone,
      message: `is not an IANA time zone${didYouMean(zone, timeZones)}; expected a name such as "UTC" or "Europe/Berlin"`,
    });
  });
