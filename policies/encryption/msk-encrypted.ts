import { block, read, resourcePolicy, shown } from "../lib";

/** MSK always encrypts at rest; in transit it can be told to accept plain-text clients or peers. */
export const mskEncrypted = resourcePolicy(
  {
    name: "aws-msk-encrypted-in-transit",
    description:
      'MSK clusters (aws:msk/cluster:Cluster) must encrypt in transit; leave encryptionInfo.encryptionInTransit.clientBroker unset or "TLS" and inCluster unset or true.',
    enforcementLevel: "mandatory",
    severity: "high",
  },
  ["aws:msk/cluster:Cluster"],
  (props, args) => {
    const inTransit = block(block(props, "encryptionInfo"), "encryptionInTransit");
    const clientBroker = read(inTransit, "clientBroker");
    return [
      ...(clientBroker === undefined || clientBroker === "TLS"
        ? []
        : [
            `${args.name}: clients may connect without TLS (clientBroker ${shown(clientBroker)}); set encryptionInfo.encryptionInTransit.clientBroker to "TLS".`,
          ]),
      ...(read(inTransit, "inCluster") === false
        ? [
            `${args.name}: brokers talk to each other in plain text; set encryptionInfo.encryptionInTransit.inCluster: true.`,
          ]
        : []),
    ];
  },
);
