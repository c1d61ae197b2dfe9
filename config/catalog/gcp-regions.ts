/**
 * Google Cloud regions a stack may name in `platform:gcp.region`, each with where its Cloud
 * Storage buckets live when `platform:objectStore.crossRegionReplication` is on.
 *
 * Regions: Google Cloud's "Geography and regions" list and the Cloud Storage "Bucket locations"
 * page (cloud.google.com/storage/docs/locations, read 2026-11-30).
 *
 * Replicated location: the multi-region that holds the region's data centre, so objects stay in
 * the same jurisdiction and are stored geo-redundantly. The page defines US as data centres in
 * the United States, EU as data centres in member states of the European Union, excluding
 * EUROPE-WEST2 (London) and EUROPE-WEST6 (Zurich), and ASIA as data centres in Asia, excluding
 * ASIA-EAST2 (Hong Kong) and ASIA-SOUTHEAST2 (Jakarta). A region outside every multi-region has
 * no replicated location here (`undefined`): mapping it to one would move its data to another
 * country (Montréal's to the United States), so the stack must keep its buckets regional.
 */
export interface GcpRegion {
  /** City and country, for messages. */
  readonly place: string;
  /** The multi-region of its replicated buckets, or undefined when none holds the region. */
  readonly replicatedLocation?: "US" | "EU" | "ASIA";
}

export const gcpRegions: Readonly<Record<string, GcpRegion>> = {
  "africa-south1": { place: "Johannesburg, South Africa" },
  "asia-east1": { place: "Changhua County, Taiwan", replicatedLocation: "ASIA" },
  "asia-east2": { place: "Hong Kong" },
  "asia-northeast1": { place: "Tokyo, Japan", replicatedLocation: "ASIA" },
  "asia-northeast2": { place: "Osaka, Japan", replicatedLocation: "ASIA" },
  "asia-northeast3": { place: "Seoul, South Korea", replicatedLocation: "ASIA" },
  "asia-south1": { place: "Mumbai, India", replicatedLocation: "ASIA" },
  "asia-south2": { place: "Delhi, India", replicatedLocation: "ASIA" },
  "asia-southeast1": { place: "Singapore", replicatedLocation: "ASIA" },
  "asia-southeast2": { place: "Jakarta, Indonesia" },
  "asia-southeast3": { place: "Bangkok, Thailand" },
  "australia-southeast1": { place: "Sydney, Australia" },
  "australia-southeast2": { place: "Melbourne, Australia" },
  "europe-central2": { place: "Warsaw, Poland", replicatedLocation: "EU" },
  "europe-north1": { place: "Hamina, Finland", replicatedLocation: "EU" },
  "europe-north2": { place: "Stockholm, Sweden", replicatedLocation: "EU" },
  "europe-southwest1": { place: "Madrid, Spain", replicatedLocation: "EU" },
  "europe-west1": { place: "St. Ghislain, Belgium", replicatedLocation: "EU" },
  "europe-west2": { place: "London, United Kingdom" },
  "europe-west3": { place: "Frankfurt, Germany", replicatedLocation: "EU" },
  "europe-west4": { place: "Eemshaven, Netherlands", replicatedLocation: "EU" },
  "europe-west6": { place: "Zurich, Switzerland" },
  "europe-west8": { place: "Milan, Italy", replicatedLocation: "EU" },
  "europe-west9": { place: "Paris, France", replicatedLocation: "EU" },
  "europe-west10": { place: "Berlin, Germany", replicatedLocation: "EU" },
  "europe-west12": { place: "Turin, Italy", replicatedLocation: "EU" },
  "me-central1": { place: "Doha, Qatar" },
  "me-central2": { place: "Dammam, Saudi Arabia" },
  "me-west1": { place: "Tel Aviv, Israel" },
  "northamerica-northeast1": { place: "Montréal, Canada" },
  "northamerica-northeast2": { place: "Toronto, Canada" },
  "northamerica-south1": { place: "Querétaro, Mexico" },
  "southamerica-east1": { place: "São Paulo, Brazil" },
  "southamerica-west1": { place: "Santiago, Chile" },
  "us-central1": { place: "Council Bluffs, Iowa, United States", replicatedLocation: "US" },
  "us-east1": { place: "Moncks Corner, South Carolina, United States", replicatedLocation: "US" },
  "us-east4": { place: "Ashburn, Virginia, United States", replicatedLocation: "US" },
  "us-east5": { place: "Columbus, Ohio, United States", replicatedLocation: "US" },
  "us-south1": { place: "Dallas, Texas, United States", replicatedLocation: "US" },
  "us-west1": { place: "The Dalles, Oregon, United States", replicatedLocation: "US" },
  "us-west2": { place: "Los Angeles, California, United States", replicatedLocation: "US" },
  "us-west3": { place: "Salt Lake City, Utah, United States", replicatedLocation: "US" },
  "us-west4": { place: "Las Vegas, Nevada, United States", replicatedLocation: "US" },
};

/** The region's buckets' GCS location: the region itself, or replicated its multi-region. */
export function gcsLocationOf(region: string, replicated: boolean): string | undefined {
  if (!replicated) return gcpRegions[region] ? region.toUpperCase() : undefined;
  return gcpRegions[region]?.replicatedLocation;
}

/** Regions whose buckets can be replicated, for messages. */
export const replicableGcpRegions = Object.entries(gcpRegions)
  .filter(([, r]) => r.replicatedLocation !== undefined)
  .map(([name]) => name);
