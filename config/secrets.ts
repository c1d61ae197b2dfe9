import { plainTextCredentialProblem } from "./errors";
import type { OtherKey } from "./namespaces";

/** `platform:` keys, by path, that hold credentials: the stack must store each as `secure:`. */
export const platformCredentialPaths = [
  "observability.alerting.pagerdutyKey",
  "observability.alerting.pagerdutyCloudwatchKey",
  "observability.alerting.slackWebhookUrl",
  "observability.alerting.emailPassword",
  "ingress.cloudflareApiToken",
] as const;

/**
 * The providers' credential keys (their config references): the AWS access key pair and
 * session token, GCP's service account key and OAuth token, Cloudflare's API token and keys.
 */
export const providerCredentialKeys = [
  "aws:accessKey",
  "aws:secretKey",
  "aws:token",
  "gcp:credentials",
  "gcp:accessToken",
  "cloudflare:apiToken",
  "cloudflare:apiKey",
  "cloudflare:apiUserServiceKey",
] as const;

/**
 * A kubeconfig given inline (not a file path) carries the cluster's credentials: a token,
 * a client key or a password.
 */
function inlineKubeconfigWithCredentials(value: unknown): boolean {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return /\b(token|client-key-data|password)\b/.test(text) && /apiVersion|clusters/.test(text);
}

function valueAt(values: Readonly<Record<string, unknown>>, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    return (node as Record<string, unknown>)[part];
  }, values);
}

export interface SecretContext {
  /** Every `platform:` key the stack sets, without the namespace. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Whether a top-level `platform:` key is stored as a secret. */
  readonly isSecret: (key: string) => boolean;
  /** Paths of the plain-text values inside `platform:` keys; undefined when unknown. */
  readonly plainLeaves?: readonly string[];
  readonly otherKeys: readonly OtherKey[];
}

/**
 * Credentials stored as plain text, at any depth. The CLI marks a whole top-level key secret
 * when any value inside it is, so inside a secret key the stack file says which values are
 * plain (a plain webhook beside a `secure:` key); values from elsewhere (an ESC environment)
 * count as secret with their key.
 */
export function plainTextCredentialProblems(namespace: string, ctx: SecretContext): string[] {
  const isSecure = (path: string) =>
    ctx.isSecret(path.split(".")[0]!) && !(ctx.plainLeaves ?? []).includes(path);
  const platform = platformCredentialPaths
    .filter((path) => valueAt(ctx.values, path) !== undefined && !isSecure(path))
    .map((path) => plainTextCredentialProblem(namespace, path.split(".")));
  const providers = ctx.otherKeys
    .filter(({ key, value, secret }) => {
      if (secret) return false;
      if ((providerCredentialKeys as readonly string[]).includes(key)) return true;
      return key === "kubernetes:kubeconfig" && inlineKubeconfigWithCredentials(value);
    })
    .map(({ key }) => plainTextProviderProblem(key));
  return [...platform, ...providers];
}

function plainTextProviderProblem(key: string): string {
  return (
    `${key}: [plain text] is a credential stored as plain text; set it with ` +
    `\`pulumi config set --secret ${key} <value>\``
  );
}
