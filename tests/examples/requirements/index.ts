import { companyDirectory } from "./company-directory";
import { corporateIntel } from "./corporate-intel";
import { enrichment } from "./enrichment";
import { microservices } from "./microservices";
import type { ExampleRequirements } from "./registry";
import { travelsense } from "./travelsense";

/** The five examples' registries, in seed order. */
export const examples: readonly ExampleRequirements[] = [
  enrichment,
  microservices,
  travelsense,
  corporateIntel,
  companyDirectory,
];
