import { z } from "zod";

/**
 * The container image reference grammar (distribution/reference, which containerd and the
 * kubelet use): `[registry[:port]/]path[:tag][@algorithm:hex]`.
 */
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const pathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = "[\\w][\\w.-]{0,127}";
const algorithm = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*";
const reference = new RegExp(`^(${name})(?::(${tag}))?(?:@(${algorithm}):([0-9a-fA-F]{32,}))?$`);

/** Hex digits of each digest algorithm the OCI image spec registers. */
const digestLengths: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

/** Why `image` is not a pinned image reference, or undefined. */
export function imageProblem(image: string): string | undefined {
  const match = reference.exec(image);
  if (!match) {
    return image.includes("@")
      ? "is not an image reference: the digest is not <algorithm>:<hex>, e.g. @sha256:<64 hex digits>"
      : "is not an image reference; expected [registry/]name[:tag][@sha256:<64 hex>] in lowercase, without spaces";
  }
  const [, path = "", version, algo, hex = ""] = match;
  if (path.length > 255) return `has a ${path.length}-character name; at most 255 are allowed`;
  if (algo !== undefined) {
    const length = digestLengths[algo];
    if (length === undefined) {
      return `has digest algorithm "${algo}"; expected sha256 or sha512`;
    }
    if (hex.length !== length || !/^[0-9a-f]+$/.test(hex)) {
      return `has a malformed ${algo} digest; expected ${length} lowercase hex digits`;
    }
    return undefined;
  }
  if (version === undefined || version === "latest") {
    return (
      `is not pinned (${version === undefined ? "no tag" : "the tag is latest"}); ` +
      'expected a version tag such as "api:1.4.2" or a digest "api@sha256:<64 hex>"'
    );
  }
  return undefined;
}

/**
 * An image reference with a pinned version: a tag other than "latest", or a digest. An
 * untagged or `:latest` image changes under a running Deployment without a config change.
 */
export const pinnedImage = z
  .string({ error: 'is not an image reference; expected e.g. "ghcr.io/org/api:1.4.2"' })
  .superRefine((image, ctx) => {
    const problem = imageProblem(image);
    if (problem !== undefined) ctx.addIssue({ code: "custom", input: image, message: problem });
  });
