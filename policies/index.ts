import { PolicyPack, type Policies } from "@pulumi/policy";
import { stackMonthlyBudget } from "./budget/stack-monthly-budget";
import { backupBucketVersioning } from "./data-protection/backup-bucket-versioning";
import { backupRetention } from "./data-protection/backup-retention";
import { cnpgClusterBackedUp } from "./data-protection/cnpg-cluster-backed-up";
import { deletionProtection } from "./data-protection/deletion-protection";
import { finalSnapshot } from "./data-protection/final-snapshot";
import { protectStateful } from "./data-protection/protect";
import { apiGatewayTls } from "./encryption/api-gateway-tls";
import { cloudflareZoneTls } from "./encryption/cloudflare-zone-tls";
import { cloudfrontHttps } from "./encryption/cloudfront-https";
import { cloudsqlSsl } from "./encryption/cloudsql-ssl";
import { clusterStorageEncrypted } from "./encryption/cluster-storage-encrypted";
import { dynamodbKms } from "./encryption/dynamodb-kms";
import { ebsEncrypted } from "./encryption/ebs-encrypted";
import { efsEncrypted } from "./encryption/efs-encrypted";
import { eksSecretsEncrypted } from "./encryption/eks-secrets-encrypted";
import { elasticacheEncrypted } from "./encryption/elasticache-encrypted";
import { gcpCustomerKey } from "./encryption/gcp-customer-key";
import { gcpSslPolicy } from "./encryption/gcp-ssl-policy";
import { gcsCustomerKey } from "./encryption/gcs-customer-key";
import { gcsUniformAccess } from "./encryption/gcs-uniform-access";
import { gkeSecretsEncrypted } from "./encryption/gke-secrets-encrypted";
import { kinesisEncrypted } from "./encryption/kinesis-encrypted";
import { lbListenerTls } from "./encryption/lb-listener-tls";
import { memorystoreEncrypted } from "./encryption/memorystore-encrypted";
import { mskEncrypted } from "./encryption/msk-encrypted";
import { opensearchEncrypted } from "./encryption/opensearch-encrypted";
import { rdsStorageEncrypted } from "./encryption/rds-storage-encrypted";
import { s3BucketKms } from "./encryption/s3-bucket-kms";
import { s3BucketTlsOnly } from "./encryption/s3-bucket-tls-only";
import { snsEncrypted } from "./encryption/sns-encrypted";
import { sqsEncrypted } from "./encryption/sqs-encrypted";
import { cloudsqlNoPublicIp } from "./exposure/cloudsql-no-public-ip";
import { eksEndpoint } from "./exposure/eks-endpoint";
import { gkePrivate } from "./exposure/gke-private";
import { opensearchInVpc } from "./exposure/opensearch-in-vpc";
import { rdsNotPublic } from "./exposure/rds-not-public";
import { s3PublicAccessBlock } from "./exposure/s3-public-access-block";
import { securityGroupIngress } from "./exposure/security-group-ingress";
import { podAppArmor } from "./pod-security/apparmor";
import { podCapabilities } from "./pod-security/capabilities";
import { podHostNamespaces } from "./pod-security/host-namespaces";
import { podHostPorts } from "./pod-security/host-ports";
import { podImageTag } from "./pod-security/image-tag";
import { namespaceEnforcesRestricted } from "./pod-security/namespace-enforces-restricted";
import { podPrivilegeEscalation } from "./pod-security/privilege-escalation";
import { podPrivileged } from "./pod-security/privileged";
import { podProbeHosts } from "./pod-security/probe-hosts";
import { podProcMount } from "./pod-security/proc-mount";
import { podReadOnlyRootFilesystem } from "./pod-security/read-only-root-filesystem";
import { podRunAsNonRoot } from "./pod-security/run-as-non-root";
import { podRunAsUser } from "./pod-security/run-as-user";
import { podSeccomp } from "./pod-security/seccomp";
import { podSeLinux } from "./pod-security/selinux";
import { podSysctls } from "./pod-security/sysctls";
import { podVolumeTypes } from "./pod-security/volume-types";
import { containerResources } from "./quotas/container-resources";
import { namespaceHasQuotaAndLimits } from "./quotas/namespace-has-quota-and-limits";

/**
 * The pack by concern. The concern is carried as each policy's first tag: the plan groups
 * verdicts by it, and a first preview must not degrade the encryption, pod-security and
 * quotas families.
 */
const families: Record<string, Policies> = {
  // Encryption at rest and in transit
  encryption: [
    rdsStorageEncrypted,
    elasticacheEncrypted,
    s3BucketKms,
    s3BucketTlsOnly,
    ebsEncrypted,
    eksSecretsEncrypted,
    opensearchEncrypted,
    sqsEncrypted,
    snsEncrypted,
    cloudsqlSsl,
    memorystoreEncrypted,
    gcsUniformAccess,
    gcsCustomerKey,
    gkeSecretsEncrypted,
    cloudflareZoneTls,
    efsEncrypted,
    dynamodbKms,
    kinesisEncrypted,
    clusterStorageEncrypted,
    mskEncrypted,
    lbListenerTls,
    cloudfrontHttps,
    apiGatewayTls,
    gcpCustomerKey,
    gcpSslPolicy,
  ],
  // Pod security: the restricted profile, one control group per policy, then extra hardening
  "pod-security": [
    namespaceEnforcesRestricted,
    podPrivileged,
    podHostNamespaces,
    podHostPorts,
    podProbeHosts,
    podVolumeTypes,
    podCapabilities,
    podPrivilegeEscalation,
    podRunAsNonRoot,
    podRunAsUser,
    podSeccomp,
    podProcMount,
    podAppArmor,
    podSeLinux,
    podSysctls,
    podReadOnlyRootFilesystem,
    podImageTag,
  ],
  // Quotas and limits
  quotas: [namespaceHasQuotaAndLimits, containerResources],
  // Exposure
  exposure: [
    rdsNotPublic,
    opensearchInVpc,
    s3PublicAccessBlock,
    securityGroupIngress,
    eksEndpoint,
    gkePrivate,
    cloudsqlNoPublicIp,
  ],
  // Data protection (prod)
  "data-protection": [
    protectStateful,
    deletionProtection,
    backupRetention,
    finalSnapshot,
    backupBucketVersioning,
    cnpgClusterBackedUp,
  ],
  budget: [stackMonthlyBudget],
};

export const policies: Policies = Object.entries(families).flatMap(([concern, members]) =>
  members.map((policy) => ({ ...policy, tags: [concern] })),
);

new PolicyPack("platform-policies", {
  description:
    "Guardrails for the platform program: encryption, pod security, quotas, exposure, data protection",
  enforcementLevel: "mandatory",
  policies,
});
