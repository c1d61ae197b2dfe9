import { strict as assert } from "node:assert";
import {
  Edge,
  edgeDefaults,
  failoverBudget,
  failoverLimitSeconds,
  failoverProblems,
  rateLimitPresets,
  type EdgeArgs,
} from "../../components/edge";
import { stableHex } from "../../tools/plan/mocks";
import { resolve, settle, useMocks, type Recorded } from "../support/mocks";

const zoneSetting = "cloudflare:index/zoneSetting:ZoneSetting";
const dnsRecord = "cloudflare:index/dnsRecord:DnsRecord";
const ruleset = "cloudflare:index/ruleset:Ruleset";
const monitorType = "cloudflare:index/loadBalancerMonitor:LoadBalancerMonitor";
const poolType = "cloudflare:index/loadBalancerPool:LoadBalancerPool";
const loadBalancerType = "cloudflare:index/loadBalancer:LoadBalancer";

const accountId = "0123456789abcdef0123456789abcdef";
const awsOrigin = "platform-prod-web-0123456789.us-east-1.elb.amazonaws.com";
const gcpOrigin = "198.51.100.7";
/** The id the mocked `getZone` answers for example.com. */
const exampleZoneId = stableHex("zone/example.com", 32);

function argsFor(tier: "staging" | "prod", overrides: Partial<EdgeArgs> = {}): EdgeArgs {
  return {
    ...edgeDefaults[tier],
    tier,
    namePrefix: `platform-${tier}`,
    zone: { name: "example.com" },
    accountId,
    hosts: ["app", "api"],
    origins: { aws: { hostname: awsOrigin }, gcp: { ipv4: gcpOrigin } },
    healthPaths: { app: "/health", api: "/api/ready" },
    ...overrides,
  };
}

function settingValue(recorded: Recorded, name: string): unknown {
  return recorded.inputs(recorded.one(zoneSetting, name)).value;
}

function rulesOf(recorded: Recorded, name: string): Record<string, unknown>[] {
  return recorded.inputs(recorded.one(ruleset, name)).rules as Record<string, unknown>[];
}

describe("Edge on Cloudflare in prod", () => {
  let recorded: Recorded;
  let edge: Edge;

  before(async () => {
    recorded = useMocks();
    edge = new Edge("edge", argsFor("prod"));
    await settle();
  });

  it("accepts TLS 1.2 and 1.3 only (seed 003)", () => {
    assert.equal(settingValue(recorded, "edge-min-tls-version"), "1.2");
    assert.equal(settingValue(recorded, "edge-tls-1-3"), "on");
  });

  it("redirects plain HTTP to HTTPS and verifies the origin's certificate", () => {
    assert.equal(settingValue(recorded, "edge-always-use-https"), "on");
    assert.equal(settingValue(recorded, "edge-automatic-https-rewrites"), "on");
    assert.equal(settingValue(recorded, "edge-ssl"), "strict");
  });

  it("presents Cloudflare's origin-pull client certificate to the origins (Authenticated Origin Pulls)", () => {
    const inputs = recorded.inputs(recorded.one(zoneSetting, "edge-tls-client-auth"));
    assert.equal(inputs.settingId, "tls_client_auth");
    assert.equal(inputs.value, "on");
  });

  it("sends HSTS with a 2-year max-age, subdomains and preload (seed 003)", () => {
    const inputs = recorded.inputs(recorded.one(zoneSetting, "edge-security-header"));
    assert.equal(inputs.settingId, "security_header");
    assert.deepEqual(inputs.value, {
      strict_transport_security: {
        enabled: true,
        max_age: 63_072_000,
        include_subdomains: true,
        preload: true,
        nosniff: true,
      },
    });
  });

  it("applies every zone setting to the zone looked up by name", () => {
    const settings = recorded.ofType(zoneSetting);
    assert.equal(settings.length, 7);
    for (const s of settings) assert.equal(recorded.inputs(s).zoneId, exampleZoneId);
  });

  it("sets the security response headers on every response (seed 004)", () => {
    const inputs = recorded.inputs(recorded.one(ruleset, "edge-headers"));
    assert.equal(inputs.phase, "http_response_headers_transform");
    assert.equal(inputs.kind, "zone");
    const [rule] = rulesOf(recorded, "edge-headers");
    assert.equal(rule?.action, "rewrite");
    assert.equal(rule?.expression, "true");
    assert.deepEqual((rule?.actionParameters as { headers: unknown }).headers, {
      "X-Frame-Options": { operation: "set", value: "DENY" },
      "X-Content-Type-Options": { operation: "set", value: "nosniff" },
      "Referrer-Policy": { operation: "set", value: "strict-origin-when-cross-origin" },
      "Permissions-Policy": {
        operation: "set",
        value: "camera=(), microphone=(), geolocation=(), payment=()",
      },
      "Content-Security-Policy": {
        operation: "set",
        value:
          "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; upgrade-insecure-requests",
      },
    });
  });

  it("proxies a DNS record for every public host to the AWS origin", () => {
    const records = recorded.ofType(dnsRecord).map((r) => recorded.inputs(r));
    assert.deepEqual(
      records.map((r) => [r.name, r.type, r.content, r.proxied, r.ttl, r.zoneId]),
      [
        ["app.example.com", "CNAME", awsOrigin, true, 1, exampleZoneId],
        ["api.example.com", "CNAME", awsOrigin, true, 1, exampleZoneId],
      ],
    );
  });

  it("blocks with the Cloudflare Managed and OWASP Core rulesets", () => {
    const inputs = recorded.inputs(recorded.one(ruleset, "edge-waf"));
    assert.equal(inputs.phase, "http_request_firewall_managed");
    assert.equal(inputs.kind, "zone");
    const [managed, owasp] = rulesOf(recorded, "edge-waf");
    assert.deepEqual(
      [managed?.action, managed?.expression, managed?.enabled],
      ["execute", "true", true],
    );
    assert.deepEqual(managed?.actionParameters, {
      id: "efb7b8c949ac4650a09736fc376e9aee",
      overrides: { action: "block" },
    });
    assert.deepEqual([owasp?.action, owasp?.expression, owasp?.enabled], ["execute", "true", true]);
    assert.deepEqual(owasp?.actionParameters, {
      id: "4814384a9e5d4991b9815dcfc25d2f1f",
      overrides: {
        categories: [
          { category: "paranoia-level-3", enabled: false },
          { category: "paranoia-level-4", enabled: false },
        ],
        rules: [
          {
            id: "6179ae15870a4bb7b2d480d4843b323c",
            action: "block",
            scoreThreshold: 25,
            enabled: true,
          },
        ],
      },
    });
  });

  it("limits each client IP to 100 requests per minute on every host by default (seed 004)", () => {
    const inputs = recorded.inputs(recorded.one(ruleset, "edge-ratelimit"));
    assert.equal(inputs.phase, "http_ratelimit");
    assert.deepEqual(rulesOf(recorded, "edge-ratelimit"), [
      {
        ref: "per-ip-100-per-minute",
        description: "100 requests per 60 s per IP",
        enabled: true,
        action: "block",
        expression: '(http.host in {"app.example.com" "api.example.com"})',
        ratelimit: {
          characteristics: ["ip.src", "cf.colo.id"],
          period: 60,
          requestsPerPeriod: 100,
          mitigationTimeout: 60,
        },
      },
    ]);
  });

  it("caches static assets at the edge for one day", () => {
    const inputs = recorded.inputs(recorded.one(ruleset, "edge-cache"));
    assert.equal(inputs.phase, "http_request_cache_settings");
    const [rule] = rulesOf(recorded, "edge-cache");
    assert.equal(rule?.action, "set_cache_settings");
    assert.equal(
      rule?.expression,
      '(http.host in {"app.example.com" "api.example.com"}) and (http.request.uri.path.extension in ' +
        '{"css" "js" "mjs" "png" "jpg" "jpeg" "gif" "svg" "webp" "avif" "ico" "woff" "woff2" "ttf"})',
    );
    assert.deepEqual(rule?.actionParameters, {
      cache: true,
      edgeTtl: { mode: "override_origin", default: 86_400 },
      browserTtl: { mode: "respect_origin" },
    });
  });

  // probeZone ("Simulate Zone") sends probes with the zone's settings, Authenticated Origin Pulls'
  // client certificate among them, which the origins demand.
  it("monitors each host on its own health path with its own Host, over HTTPS, expecting 200, every 60 s, as the zone", () => {
    for (const [label, path] of [
      ["app", "/health"],
      ["api", "/api/ready"],
    ] as const) {
      const inputs = recorded.inputs(recorded.one(monitorType, `edge-monitor-${label}`));
      assert.deepEqual(inputs, {
        accountId,
        description: `platform-prod ${label}.example.com${path}`,
        type: "https",
        method: "GET",
        path,
        expectedCodes: "200",
        followRedirects: false,
        allowInsecure: false,
        interval: 60,
        timeout: 5,
        retries: 2,
        consecutiveDown: 2,
        consecutiveUp: 2,
        header: { Host: [`${label}.example.com`] },
        probeZone: "example.com",
      });
    }
    assert.equal(recorded.ofType(monitorType).length, 2);
  });

  it("has, per host, an AWS pool and a GCP pool, each with its origin and that host's monitor", () => {
    for (const label of ["app", "api"]) {
      const monitorId = recorded.one(monitorType, `edge-monitor-${label}`).id;
      for (const [cloud, address] of [
        ["aws", awsOrigin],
        ["gcp", gcpOrigin],
      ] as const) {
        const inputs = recorded.inputs(recorded.one(poolType, `edge-pool-${label}-${cloud}`));
        assert.equal(inputs.name, `platform-prod-${label}-${cloud}`);
        assert.equal(inputs.accountId, accountId);
        assert.equal(inputs.monitor, monitorId);
        assert.equal(inputs.enabled, true);
        assert.equal(inputs.minimumOrigins, 1);
        assert.deepEqual(inputs.origins, [
          { name: `platform-prod-${label}-${cloud}`, address, enabled: true, weight: 1 },
        ]);
      }
    }
    assert.equal(recorded.ofType(poolType).length, 4);
  });

  it("steers every host to its AWS pool and fails over to its GCP pool", () => {
    const balancers = recorded.ofType(loadBalancerType).map((r) => recorded.inputs(r));
    assert.deepEqual(
      balancers.map((b) => b.name),
      ["app.example.com", "api.example.com"],
    );
    for (const [i, label] of ["app", "api"].entries()) {
      const b = balancers[i]!;
      const aws = recorded.one(poolType, `edge-pool-${label}-aws`).id;
      const gcp = recorded.one(poolType, `edge-pool-${label}-gcp`).id;
      assert.equal(b.zoneId, exampleZoneId);
      assert.equal(b.proxied, true);
      assert.equal(b.enabled, true);
      assert.equal(b.steeringPolicy, "off");
      assert.deepEqual(b.defaultPools, [aws, gcp]);
      assert.equal(b.fallbackPool, gcp);
      assert.deepEqual(b.adaptiveRouting, { failoverAcrossPools: true });
    }
  });

  it("outputs the public URLs, the pools, the failover time and how to fail over by hand", async () => {
    assert.deepEqual((await resolve(edge.urls)).value, [
      "https://app.example.com",
      "https://api.example.com",
    ]);
    assert.deepEqual(edge.pools?.active, ["platform-prod-app-aws", "platform-prod-api-aws"]);
    assert.deepEqual(edge.pools?.standby, ["platform-prod-app-gcp", "platform-prod-api-gcp"]);
    assert.match(edge.failoverTime ?? "", /= 165 s$/);
    const runbook = (await resolve(edge.manualFailover!)).value;
    assert.match(runbook, /pulumi config set --path platform:edge\.primaryPool gcp/);
    assert.match(
      runbook,
      /Traffic returns to the aws pools by itself once their health paths pass/,
    );
    assert.match(runbook, new RegExp(`accounts/${accountId}/load_balancers/pools/<id>`));
    for (const label of ["app", "api"]) {
      assert.ok(runbook.includes(recorded.one(poolType, `edge-pool-${label}-aws`).id));
    }
  });
});

describe("Edge on Cloudflare in staging", () => {
  let recorded: Recorded;

  before(async () => {
    recorded = useMocks();
    new Edge(
      "edge",
      argsFor("staging", { accountId: undefined, origins: { aws: { hostname: awsOrigin } } }),
    );
    await settle();
  });

  it("only logs what the managed rulesets would block, at medium OWASP sensitivity", () => {
    const [managed, owasp] = rulesOf(recorded, "edge-waf");
    assert.deepEqual((managed?.actionParameters as { overrides: unknown }).overrides, {
      action: "log",
    });
    const overrides = (owasp?.actionParameters as { overrides: { rules: unknown[] } }).overrides;
    assert.deepEqual(overrides.rules, [
      {
        id: "6179ae15870a4bb7b2d480d4843b323c",
        action: "log",
        scoreThreshold: 40,
        enabled: true,
      },
    ]);
  });

  it("keeps the same TLS floor and HSTS as prod", () => {
    assert.equal(settingValue(recorded, "edge-min-tls-version"), "1.2");
    const hsts = settingValue(recorded, "edge-security-header") as {
      strict_transport_security: { max_age: number };
    };
    assert.equal(hsts.strict_transport_security.max_age, 63_072_000);
  });

  it("builds no load balancer, pools or monitor", () => {
    assert.equal(recorded.ofType(loadBalancerType).length, 0);
    assert.equal(recorded.ofType(poolType).length, 0);
    assert.equal(recorded.ofType(monitorType).length, 0);
  });
});

describe("Edge rate-limit presets", () => {
  const cases = [
    {
      preset: "per-ip-100-per-minute",
      host: "app",
      ref: "per-ip-100-per-minute",
      period: 60,
      requests: 100,
      timeout: 60,
    },
    {
      preset: "per-ip-10-per-second",
      host: "api",
      ref: "per-ip-10-per-second",
      period: 10,
      requests: 100,
      timeout: 10,
    },
  ] as const;

  let recorded: Recorded;
  before(async () => {
    recorded = useMocks();
    new Edge(
      "edge",
      argsFor("prod", {
        rateLimits: cases.map((c) => ({ ...rateLimitPresets[c.preset], hosts: [c.host] })),
      }),
    );
    await settle();
  });

  for (const c of cases) {
    it(`${c.preset} allows ${c.requests} requests per ${c.period} s per IP on ${c.host} only`, () => {
      const rule = rulesOf(recorded, "edge-ratelimit").find((r) => r.ref === c.ref);
      assert.ok(rule, `no rule ${c.ref}`);
      assert.equal(rule.action, "block");
      assert.equal(rule.expression, `(http.host in {"${c.host}.example.com"})`);
      assert.deepEqual(rule.ratelimit, {
        characteristics: ["ip.src", "cf.colo.id"],
        period: c.period,
        requestsPerPeriod: c.requests,
        mitigationTimeout: c.timeout,
      });
    });
  }

  it("per-ip-10-per-second's 100 per 10 s is seed 003's 10 requests per second", () => {
    const p = rateLimitPresets["per-ip-10-per-second"];
    assert.equal(p.requestsPerPeriod / p.periodSeconds, 10);
  });

  it("per-ip-100-per-minute's 100 per 60 s is seed 004's 100 requests per minute", () => {
    const p = rateLimitPresets["per-ip-100-per-minute"];
    assert.equal((p.requestsPerPeriod * 60) / p.periodSeconds, 100);
  });
});

describe("Edge with a given zone id and GCP as the primary pool", () => {
  let recorded: Recorded;
  const zoneId = "fedcba9876543210fedcba9876543210";

  before(async () => {
    recorded = useMocks();
    new Edge(
      "edge",
      argsFor("prod", { zone: { id: zoneId, name: "example.org" }, primaryPool: "gcp" }),
    );
    await settle();
  });

  it("uses the zone id without a lookup", () => {
    for (const r of recorded.ofType(zoneSetting)) assert.equal(recorded.inputs(r).zoneId, zoneId);
    assert.deepEqual(
      recorded.ofType(dnsRecord).map((r) => recorded.inputs(r).name),
      ["app.example.org", "api.example.org"],
    );
  });

  it("points an A record at the GCP origin's reserved address, not a CNAME", () => {
    assert.deepEqual(
      recorded.ofType(dnsRecord).map((r) => [recorded.inputs(r).type, recorded.inputs(r).content]),
      [
        ["A", gcpOrigin],
        ["A", gcpOrigin],
      ],
    );
  });

  it("steers to the GCP pool first and falls back to AWS", () => {
    for (const [i, r] of recorded.ofType(loadBalancerType).entries()) {
      const label = ["app", "api"][i]!;
      const aws = recorded.one(poolType, `edge-pool-${label}-aws`).id;
      const gcp = recorded.one(poolType, `edge-pool-${label}-gcp`).id;
      assert.deepEqual(recorded.inputs(r).defaultPools, [gcp, aws]);
      assert.equal(recorded.inputs(r).fallbackPool, aws);
    }
    assert.deepEqual(
      recorded.ofType(dnsRecord).map((r) => recorded.inputs(r).content),
      [gcpOrigin, gcpOrigin],
    );
  });
});

describe("Edge failover timing (seed 002: under 5 minutes)", () => {
  const cases = [
    {
      what: "the prod default",
      timing: { intervalSeconds: 60, timeoutSeconds: 5, retries: 2, consecutiveDown: 2 },
      total: 165,
    },
    {
      what: "a 15 s interval (Business plan)",
      timing: { intervalSeconds: 15, timeoutSeconds: 5, retries: 1, consecutiveDown: 3 },
      total: 85,
    },
    {
      what: "a 2-minute interval, down after 2",
      timing: { intervalSeconds: 120, timeoutSeconds: 5, retries: 2, consecutiveDown: 2 },
      total: 285,
    },
    {
      what: "a 60 s interval, down after 4, long timeouts",
      timing: { intervalSeconds: 60, timeoutSeconds: 10, retries: 2, consecutiveDown: 4 },
      total: 300,
    },
    {
      what: "a 2-minute interval, down after 3",
      timing: { intervalSeconds: 120, timeoutSeconds: 5, retries: 2, consecutiveDown: 3 },
      total: 405,
    },
  ];

  for (const c of cases) {
    const accepted = c.total < failoverLimitSeconds;
    it(`${accepted ? "accepts" : "rejects"} ${c.what}: ${c.total} s`, () => {
      assert.equal(failoverBudget(c.timing).totalSeconds, c.total);
      assert.equal(failoverProblems(c.timing, "failover").length, accepted ? 0 : 1);
    });
  }

  it("adds detection, steering and no DNS TTL for a proxied load balancer", () => {
    const budget = failoverBudget({
      intervalSeconds: 60,
      timeoutSeconds: 5,
      retries: 2,
      consecutiveDown: 2,
    });
    assert.deepEqual(
      [budget.detectionSeconds, budget.steeringSeconds, budget.dnsTtlSeconds],
      [135, 30, 0],
    );
  });

  it("names every key that can shorten a failover that is too slow", () => {
    const [problem] = failoverProblems(
      { intervalSeconds: 120, timeoutSeconds: 5, retries: 2, consecutiveDown: 3 },
      "platform:edge.failover",
    );
    assert.match(problem ?? "", /^platform:edge\.failover: worst-case failover takes 405 s/);
    for (const key of ["intervalSeconds", "consecutiveDown", "retries", "timeoutSeconds"]) {
      assert.match(problem ?? "", new RegExp(`platform:edge\\.failover\\.${key}`));
    }
  });

  it("refuses to build a load balancer whose failover is too slow", () => {
    useMocks();
    assert.throws(
      () =>
        new Edge(
          "edge",
          argsFor("prod", {
            failover: { ...edgeDefaults.prod.failover, intervalSeconds: 120, consecutiveDown: 3 },
          }),
        ),
      {
        name: "ComponentError",
        message:
          "Edge edge: invalid args:\n" +
          "  - failover: worst-case failover takes 405 s (interval 120 s x consecutiveDown 3 + timeout 5 s x (retries 2 + 1) + steering 30 s + DNS TTL 0 s (proxied) = 405 s), not under the 300 s of seed 002; lower failover.intervalSeconds, failover.consecutiveDown, failover.retries or failover.timeoutSeconds",
      },
    );
  });
});

describe("Edge with tenant subdomains (a wildcard host) in staging", () => {
  let recorded: Recorded;
  let edge: Edge;

  before(async () => {
    recorded = useMocks();
    edge = new Edge(
      "edge",
      argsFor("staging", {
        hosts: ["app", "*"],
        origins: { aws: { hostname: awsOrigin } },
        rateLimits: [{ ...rateLimitPresets["per-ip-100-per-minute"], hosts: ["*"] }],
      }),
    );
    await settle();
  });

  it("proxies a wildcard DNS record to the origin, next to the named host", () => {
    const wildcard = recorded.inputs(recorded.one(dnsRecord, "edge-dns-wildcard"));
    assert.deepEqual(
      [wildcard.name, wildcard.type, wildcard.content, wildcard.proxied],
      ["*.example.com", "CNAME", awsOrigin, true],
    );
    assert.equal(recorded.inputs(recorded.one(dnsRecord, "edge-dns-app")).name, "app.example.com");
  });

  it("limits every subdomain by host suffix, since a host set has no wildcard", () => {
    const [rule] = rulesOf(recorded, "edge-ratelimit");
    assert.equal(rule?.expression, '(ends_with(http.host, ".example.com"))');
  });

  it("matches named hosts by set and tenants by suffix where a rule covers every host", () => {
    const [rule] = rulesOf(recorded, "edge-cache");
    assert.match(
      String(rule?.expression),
      /^\(http\.host in \{"app\.example\.com"\} or ends_with\(http\.host, "\.example\.com"\)\) and /,
    );
  });

  it("lists only the named hosts as URLs", async () => {
    assert.deepEqual((await resolve(edge.urls)).value, ["https://app.example.com"]);
  });
});

describe("Edge without its origins", () => {
  it("refuses a GCP primary pool with no GCP origin", () => {
    useMocks();
    assert.throws(
      () =>
        new Edge(
          "edge",
          argsFor("staging", { primaryPool: "gcp", origins: { aws: { hostname: awsOrigin } } }),
        ),
      {
        name: "ComponentError",
        message: 'Edge edge: invalid args:\n  - origins.gcp: primaryPool "gcp" needs it',
      },
    );
  });

  it("refuses a load balancer with no AWS origin", () => {
    useMocks();
    assert.throws(
      () => new Edge("edge", argsFor("prod", { origins: { gcp: { ipv4: gcpOrigin } } })),
      {
        name: "ComponentError",
        message: 'Edge edge: invalid args:\n  - origins.aws: primaryPool "aws" needs it',
      },
    );
  });
});

describe("Edge load balancer and a wildcard host", () => {
  it("refuses to balance a wildcard host", () => {
    useMocks();
    assert.throws(() => new Edge("edge", argsFor("prod", { hosts: ["app", "*"] })), {
      name: "ComponentError",
      message:
        'Edge edge: invalid args:\n  - hosts: "*" cannot be load balanced; Cloudflare load balancers take named hosts',
    });
  });
});
