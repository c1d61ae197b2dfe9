/** GCP label keys and values: lowercase letters, digits, "_" and "-", at most 63 characters. */
export function gcpLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, "-")
      .slice(0, 63);
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [clean(k), clean(v)]));
}
