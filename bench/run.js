// npm run bench [-- --smoke]: overhead, scale, policy cost, import cost, preview cost and audit cost, measured side by side
// against the raw equivalents in one run, alternating, as medians and ratios. Writes bench/RESULTS.md.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..");
const smoke = process.argv.includes("--smoke");
// `--only audit`: the audit rows alone (the whole bench is slow); they replace the audit rows of bench/RESULTS.md.
// `--only scale`: one share's scale through AnalyzeStack and the preview of many resources, printed.
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const node = process.execPath;
const rows = [];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 2) => Number(x).toFixed(d);

function child(args, extraNodeArgs = [], { NODE_OPTIONS_EXTRA = "" } = {}) {
    const t0 = process.hrtime.bigint();
    // Through NODE_OPTIONS, so a process it forks (the preview's program runs in a child) reports its peak too.
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${NODE_OPTIONS_EXTRA} --require ${path.join(__dirname, "report-rss.js")}`.trim() };
    const r = spawnSync(node, ["--max-old-space-size=12288", ...extraNodeArgs, ...args], { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) {
        throw new Error(`${args.join(" ")} exited ${r.status ?? `by ${r.signal}`}: ${r.stderr}`);
    }
    // The peaks of every process of the run, summed (the preview's parent and child are alive together).
    const rss = [...r.stderr.matchAll(/BENCH_MAXRSS_KIB=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0) / 1024;
    const last = r.stdout.trim().split("\n").pop();
    let json;
    try {
        json = JSON.parse(last);
    } catch {
        json = undefined;
    }
    return { wallMs, rssMiB: rss, json, stdout: r.stdout };
}

/** Alternating pairs: raw then component, `pairs` times; median of each, median of the pairwise ratios. */
function overhead(label, kind, items, accounts, method, pairs, goal) {
    const raw = [];
    const comp = [];
    const ratios = [];
    let resources;
    for (let i = 0; i < pairs; i++) {
        const a = child([path.join(__dirname, "program.js"), kind, "raw", String(items), String(accounts), method]).json;
        const b = child([path.join(__dirname, "program.js"), kind, "component", String(items), String(accounts), method]).json;
        if (a.resources !== b.resources) throw new Error(`${label}: ${a.resources} raw resources but ${b.resources} from the component`);
        resources = b.resources;
        raw.push(a.ms);
        comp.push(b.ms);
        ratios.push(b.ms / a.ms);
    }
    const ratio = median(ratios);
    rows.push({ section: "overhead", what: label, resources, raw: `${fmt(median(raw), 0)} ms`, ours: `${fmt(median(comp), 0)} ms`, ratio: `${fmt(ratio)}x`, goal: goal === undefined ? "" : `<= ${goal}x`, met: goal === undefined || ratio <= goal });
}

/** Many small components in one program (each judged on the program's graph), against the identical raw resources. */
function manyComponents(counts) {
    for (const n of counts) {
        const raw = child([path.join(__dirname, "program-many.js"), "raw", String(n)]).json;
        const ours = child([path.join(__dirname, "program-many.js"), "component", String(n)]).json;
        if (raw.resources !== ours.resources) throw new Error(`${n} components: ${raw.resources} raw resources but ${ours.resources} from the components`);
        rows.push({ section: "overhead", what: `${n} SharedSnapshot components of 1 snapshot x 2 accounts each, in one program`, resources: ours.resources, raw: `${fmt(raw.ms, 0)} ms`, ours: `${fmt(ours.ms, 0)} ms`, ratio: `${fmt(ours.ms / raw.ms)}x`, goal: "", met: true });
    }
}

function scale(sizes) {
    const results = sizes.map((n) => ({ n, ...child([path.join(__dirname, "program.js"), "snapshot", "component", String(n), "4"]).json }));
    for (const r of results) {
        rows.push({ section: "scale", what: `SharedSnapshot, ${r.n} snapshots x 4 accounts`, resources: r.resources, raw: "", ours: `${fmt(r.ms, 0)} ms`, ratio: "", goal: "", met: true });
    }
    const [a, b] = results.slice(-2);
    const growth = b.ms / a.ms;
    const goal = (b.n / a.n) * 1.1;
    rows.push({ section: "scale", what: `growth ${a.n} -> ${b.n} items`, resources: `${a.resources} -> ${b.resources}`, raw: "", ours: `${fmt(growth)}x`, ratio: "", goal: `<= ${fmt(goal, 0)}x (linear)`, met: growth <= goal });
    for (const [images, accounts] of smoke ? [[2, 3]] : [[10, 10], [100, 100], [200, 100]]) {
        const rs = child([path.join(__dirname, "program.js"), "image", "component", String(images), String(accounts), "resourceShare"]).json.resources;
        rows.push({ section: "scale", what: `SharedImage resourceShare, ${images} images x ${accounts} accounts`, resources: rs, raw: "", ours: `${rs - 3} share resources = 1 + ${images} + ${accounts}`, ratio: "", goal: "O(images + accounts)", met: rs - 3 === 1 + images + accounts });
    }
}

function policyCost(sizes) {
    const { policies } = require(path.join(root, "dist", "policy"));
    const { runPolicies } = require(path.join(root, "dist", "testing"));
    const noop = policies.map((p) => ("validateStack" in p ? { name: `${p.name}-noop`, description: "", enforcementLevel: "advisory", validateStack: () => undefined } : { name: `${p.name}-noop`, description: "", enforcementLevel: "advisory", validateResource: () => undefined }));
    const stack = (n) => {
        const rs = [];
        for (let s = 0; rs.length < n; s++) {
            const type = "alicloud:resourcemanager/resourceShare:ResourceShare";
            const urn = `urn:pulumi:b::b::${type}::share-${s}`;
            rs.push({ type, name: `share-${s}`, urn, props: { resourceShareName: `share-${s}`, allowExternalTargets: true } });
            for (let i = 0; i < 49; i++) rs.push({ type: "alicloud:resourcemanager/sharedResource:SharedResource", name: `r-${s}-${i}`, props: { resourceShareId: "x", resourceId: `s-${String(s * 100 + i).padStart(8, "0")}`, resourceType: "Snapshot" }, propertyDependencies: { resourceShareId: [urn] } });
            for (let i = 0; i < 50; i++) rs.push({ type: "alicloud:resourcemanager/sharedTarget:SharedTarget", name: `t-${s}-${i}`, props: { resourceShareId: "x", targetId: String(2000000000000000 + i) }, propertyDependencies: { resourceShareId: [urn] } });
        }
        return rs.slice(0, n);
    };
    const time = async (set, resources) => {
        const t0 = process.hrtime.bigint();
        await runPolicies(set, resources, { "sharing-limits": { maxSharedSnapshotsPerOwner: 1000000 } });
        return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    return (async () => {
        const perResource = [];
        for (const n of sizes) {
            const resources = stack(n);
            const ours = [];
            const base = [];
            for (let i = 0; i < (smoke ? 1 : 3); i++) {
                base.push(await time(noop, resources));
                ours.push(await time(policies, resources));
            }
            const o = median(ours);
            const b = median(base);
            perResource.push(o / n);
            rows.push({ section: "policy", what: `${policies.length} policies over ${n} resources (no-op pack of ${noop.length} as baseline)`, resources: n, raw: `${fmt(b, 0)} ms`, ours: `${fmt(o, 0)} ms (${fmt((o / n) * 1000, 0)} us/resource)`, ratio: `${fmt(o / b)}x`, goal: "", met: true });
        }
        if (sizes.length > 1) {
            const growth = perResource[perResource.length - 1] / perResource[0];
            rows.push({ section: "policy", what: `per-resource cost, ${sizes[0]} -> ${sizes[sizes.length - 1]} resources`, resources: "", raw: "", ours: `${fmt(growth)}x`, ratio: "", goal: "<= 1.5x (linear)", met: growth <= 1.5 });
        }
    })();
}

/** Stack policies as an organization grows: share roles in as many accounts, and the allow-list; each 10x step at most 12x the time. */
function stackScale(roleCounts, allowSizes) {
    const { shareRolesPolicy, sharedKeysPolicy, recipientsPolicy } = require(path.join(root, "dist", "policy"));
    const { runPolicy } = require(path.join(root, "dist", "testing"));
    const lib = require(path.join(root, "dist"));
    const T = lib.alibaba.TYPES;
    const accountsStack = (n) => {
        const rs = [];
        for (let a = 0; a < n; a++) {
            const owner = String(3000000000000000 + a);
            const provider = { region: "cn-hangzhou", accountId: owner };
            const key = { type: T.kmsKey, name: `key-${a}`, props: { deletionProtection: "Enabled" }, providerProps: provider };
            const keyUrn = `urn:pulumi:b::b::${T.kmsKey}::key-${a}`;
            const role = { type: T.role, name: `role-${a}`, props: { roleName: "AliyunECSShareEncryptSnapshotDefaultRole", assumeRolePolicyDocument: lib.renderDocument(lib.trustPolicy({ accountIds: ["2000000000000000"] })) }, providerProps: provider };
            const roleUrn = `urn:pulumi:b::b::${T.role}::role-${a}`;
            const policy = { type: T.policy, name: `kms-${a}`, props: { policyName: "kms", policyDocument: lib.renderDocument(lib.kmsSharePolicy([{ keyId: `key-bench${String(a).padStart(8, "0")}`, region: "cn-hangzhou", ownerAccountId: owner }])) }, providerProps: provider, propertyDependencies: { policyDocument: [keyUrn] } };
            const attach = { type: T.rolePolicyAttachment, name: `attach-${a}`, props: { roleName: "AliyunECSShareEncryptSnapshotDefaultRole", policyName: "kms", policyType: "Custom" }, providerProps: provider, dependencies: [roleUrn] };
            const attachUrn = `urn:pulumi:b::b::${T.rolePolicyAttachment}::attach-${a}`;
            const shareUrn = `urn:pulumi:b::b::${T.resourceShare}::share-${a}`;
            const link = { providerProps: provider, dependencies: [attachUrn], propertyDependencies: { resourceShareId: [shareUrn] } };
            rs.push(key, role, policy, attach, { type: T.resourceShare, name: `share-${a}`, props: { resourceShareName: "s", allowExternalTargets: true }, providerProps: provider, dependencies: [attachUrn] });
            rs.push({ type: T.sharedResource, name: `r-${a}`, props: { resourceShareId: "x", resourceId: `s-${String(a).padStart(8, "0")}`, resourceType: "Snapshot" }, ...link });
            rs.push({ type: T.sharedTarget, name: `t-${a}`, props: { resourceShareId: "x", targetId: "2000000000000000" }, ...link });
        }
        return rs;
    };
    const time = async (policy, resources, config) => {
        const t0 = process.hrtime.bigint();
        const violations = await runPolicy(policy, resources, config);
        if (violations.length > 0) throw new Error(`${policy.name}: ${violations.length} violations on a clean stack, e.g. ${violations[0].message}`);
        return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const growthRows = async (label, policy, sizes, build, config = () => ({})) => {
        const times = [];
        for (const n of sizes) {
            const resources = build(n);
            const xs = [];
            for (let i = 0; i < (smoke ? 1 : 3); i++) xs.push(await time(policy, resources, config(n)));
            const ms = median(xs);
            times.push(ms);
            rows.push({ section: "stack", what: `${policy.name}, ${label(n)}`, resources: resources.length, raw: "", ours: `${fmt(ms, 0)} ms`, ratio: "", goal: "", met: true });
        }
        for (let i = 1; i < sizes.length; i++) {
            const growth = times[i] / times[i - 1];
            const goal = (sizes[i] / sizes[i - 1]) * 1.2;
            rows.push({ section: "stack", what: `${policy.name}, ${label(sizes[i - 1])} -> ${label(sizes[i])}`, resources: "", raw: "", ours: `${fmt(growth)}x`, ratio: "", goal: `<= ${fmt(goal, 0)}x`, met: growth <= goal });
        }
    };
    return (async () => {
        await growthRows((n) => `${n} share roles in ${n} accounts`, shareRolesPolicy, roleCounts, accountsStack);
        await growthRows((n) => `${n} share roles in ${n} accounts`, sharedKeysPolicy, roleCounts, accountsStack);
        // Every target is on every list (the first 100 accounts), so each run judges all of them and finds nothing.
        const targets = Array.from({ length: smoke ? 100 : 10000 }, (_, i) => ({ type: T.sharedTarget, name: `t-${i}`, props: { resourceShareId: "rs-1", targetId: String(2000000000000000 + (i % 100)) } }));
        const allowList = (n) => ({ "sharing-recipients": { allowedRecipients: { accountIds: Array.from({ length: n }, (_, i) => String(2000000000000000 + i)), folderPathPrefixes: Array.from({ length: Math.min(n, 1000) }, (_, i) => `rd-a/r-b/fd-${i}`) } } });
        await growthRows((n) => `${targets.length} targets, allow-list of ${n}`, recipientsPolicy, allowSizes, () => targets, allowList);
    })();
}

/**
 * The sharing graph at organization scale: `n` resource shares across 10 owner accounts and 10 regions, each sharing
 * two snapshots made from disks encrypted with a key of their owner and region (kms.Key -> EcsDisk -> EcsSnapshot ->
 * SharedResource), to 8 of 1,000 accounts, each owner's snapshot role trusting its shares' recipients: every policy of
 * the pack, resource and stack, judges it (the stack policies read one graph). Each 10x step at most 12x the time.
 */
function graphScale(sizes) {
    const { readStack } = require(path.join(root, "dist", "policy", "reader"));
    const { Relations } = require(path.join(root, "dist", "graph", "resolve"));
    const relations = require(path.join(root, "dist", "rules", "relations"));
    const { judgeSubject } = require(path.join(root, "dist", "rules", "registry"));
    const { readSettings } = require(path.join(root, "dist", "policy", "settings"));
    const { unknown } = require(path.join(root, "dist", "testing"));
    const lib = require(path.join(root, "dist"));
    const T = lib.alibaba.TYPES;
    // Ids made by the stack's own resources: unknown at preview, as the engine sends them.
    const made = unknown.string;
    const REGIONS = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-hongkong", "ap-southeast-1", "cn-qingdao", "cn-zhangjiakou", "cn-shenzhen", "cn-chengdu", "us-west-1"];
    const urn = (type, name) => `urn:pulumi:b::b::${type}::${name}`;
    const organization = (n) => {
        const rs = [];
        const targetsByOwner = new Map();
        for (let s = 0; s < n; s++) {
            const o = s % 10;
            const owner = String(3000000000000000 + o);
            const region = REGIONS[Math.floor(s / 10) % 10];
            const provider = { region, accountId: owner };
            const keyName = `key-${o}-${region}`;
            if (s < 100) rs.push({ type: T.kmsKey, name: keyName, props: { deletionProtection: "Enabled" }, providerProps: provider });
            const shareName = `share-${s}`;
            rs.push({ type: T.resourceShare, name: shareName, props: { resourceShareName: shareName, allowExternalTargets: true }, providerProps: provider });
            for (let i = 0; i < 2; i++) {
                const disk = `disk-${s}-${i}`;
                const snap = `snap-${s}-${i}`;
                rs.push({ type: T.ecsDisk, name: disk, props: { zoneId: `${region}-a`, encrypted: true, kmsKeyId: made }, providerProps: provider, propertyDependencies: { kmsKeyId: [urn(T.kmsKey, keyName)] } });
                rs.push({ type: T.ecsSnapshot, name: snap, props: { diskId: made }, providerProps: provider, propertyDependencies: { diskId: [urn(T.ecsDisk, disk)] } });
                rs.push({ type: T.sharedResource, name: `${shareName}-${i}`, props: { resourceShareId: made, resourceId: made, resourceType: "Snapshot" }, providerProps: provider, propertyDependencies: { resourceShareId: [urn(T.resourceShare, shareName)], resourceId: [urn(T.ecsSnapshot, snap)] } });
            }
            const targets = targetsByOwner.get(o) ?? new Set();
            for (let t = 0; t < 8; t++) {
                const account = String(2000000000000000 + ((s * 8 + t) % 1000));
                targets.add(account);
                rs.push({ type: T.sharedTarget, name: `${shareName}-t${t}`, props: { resourceShareId: made, targetId: account }, providerProps: provider, propertyDependencies: { resourceShareId: [urn(T.resourceShare, shareName)] } });
            }
            targetsByOwner.set(o, targets);
        }
        for (const [o, targets] of targetsByOwner) {
            const owner = String(3000000000000000 + o);
            const provider = { region: REGIONS[0], accountId: owner };
            const roleName = "AliyunECSShareEncryptSnapshotDefaultRole";
            const keys = REGIONS.map((region, r) => ({ keyId: `key-bench${o}${String(r).padStart(6, "0")}`, region, ownerAccountId: owner }));
            rs.push({ type: T.role, name: `role-${o}`, props: { roleName, assumeRolePolicyDocument: lib.renderDocument(lib.trustPolicy({ accountIds: [...targets] })) }, providerProps: provider });
            rs.push({ type: T.policy, name: `kms-${o}`, props: { policyName: `kms-${o}`, policyDocument: lib.renderDocument(lib.kmsSharePolicy(keys)) }, providerProps: provider });
            rs.push({ type: T.rolePolicyAttachment, name: `attach-${o}`, props: { roleName, policyName: `kms-${o}`, policyType: "Custom" }, providerProps: provider, propertyDependencies: { roleName: [urn(T.role, `role-${o}`)], policyName: [urn(T.policy, `kms-${o}`)] } });
        }
        // As the pack reads them: raw resources with their URNs and dependencies.
        return rs.map((r) => ({ dependencies: [], propertyDependencies: {}, ...r, urn: urn(r.type, r.name) }));
    };
    return (async () => {
        const times = [];
        for (const n of sizes) {
            const resources = organization(n);
            const xs = [];
            let found = 0;
            const settings = readSettings({ maxSharedSnapshotsPerOwner: 1000000 });
            for (let i = 0; i < (smoke ? 1 : 3); i++) {
                const t0 = process.hrtime.bigint();
                // What the stack policies do: read the graph once, derive every relational subject, judge each.
                const graph = new Relations(readStack(resources, settings));
                const subjects = [relations.limitSubjects, relations.directoryAndAccountSubjects, relations.contentsSubjects, relations.roleSubjects, relations.keySubjects, relations.encryptionSubjects].flatMap((f) => f(graph));
                found = subjects.flatMap((subject) => judgeSubject(subject, settings.context)).filter((f) => f.severity === "error").length;
                xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
            }
            times.push(median(xs));
            rows.push({ section: "graph", what: `the sharing graph read and judged (every relational rule), ${n} shares in 10 accounts x 10 regions to 1,000 accounts (key -> disk -> snapshot -> share chains)`, resources: resources.length, raw: "", ours: `${fmt(median(xs), 0)} ms (${found} errors)`, ratio: "", goal: "", met: true });
        }
        for (let i = 1; i < sizes.length; i++) {
            const growth = times[i] / times[i - 1];
            const goal = (sizes[i] / sizes[i - 1]) * 1.2;
            rows.push({ section: "graph", what: `${sizes[i - 1]} -> ${sizes[i]} shares`, resources: "", raw: "", ours: `${fmt(growth)}x`, ratio: "", goal: `<= ${fmt(goal, 0)}x`, met: growth <= goal });
        }
    })();
}

function importCost(runs) {
    const ours = [];
    const base = [];
    const baseline = "require('@pulumi/pulumi');for (const m of ['ecs','ram','resourcemanager','provider','getCallerIdentity','getRegions']) require('@pulumi/alicloud/' + m);";
    for (let i = 0; i < runs; i++) {
        base.push(child(["-e", baseline]).wallMs);
        ours.push(child(["-e", "require('./dist')"]).wallMs);
    }
    rows.push({ section: "import", what: "require('alicloud-sharing') vs @pulumi/pulumi + the alicloud submodules it uses", resources: "", raw: `${fmt(median(base), 0)} ms`, ours: `${fmt(median(ours), 0)} ms`, ratio: `${fmt(median(ours) / median(base))}x`, goal: "", met: true });
}

function previewCost(runs) {
    const ours = [];
    const base = [];
    for (let i = 0; i < runs; i++) {
        base.push(child([path.join(__dirname, "bare-program.js")]));
        // Compiled as the baseline compiles it (transpile only): the type check is pulumi's own cost, not the preview's.
        ours.push(child([path.join(root, "dist", "cli", "main.js"), "preview", ".", "--transpile-only", "--format", "json"]));
    }
    const w = (xs) => median(xs.map((x) => x.wallMs));
    const m = (xs) => median(xs.map((x) => x.rssMiB));
    rows.push({ section: "preview", what: "offline preview of the default program vs the program under bare mocks: wall", resources: 29, raw: `${fmt(w(base), 0)} ms`, ours: `${fmt(w(ours), 0)} ms`, ratio: `${fmt(w(ours) / w(base))}x`, goal: "", met: true });
    rows.push({ section: "preview", what: "same, peak memory (the preview's two processes summed)", resources: 29, raw: `${fmt(m(base), 0)} MiB`, ours: `${fmt(m(ours), 0)} MiB`, ratio: `${fmt(m(ours) / m(base))}x`, goal: "", met: true });
}

/**
 * One resource share of n snapshots to n accounts, judged by every policy of the pack as AnalyzeStack hands it the
 * stack (the test kit's server path: props encoded and decoded as the policy server does), in a process of its own:
 * time and peak memory. Goal: each 10x step (100x the share's pairs, 10x its resources) at most 12x the time, and the
 * largest under 1 GiB (a share's items are judged once, with one list of its recipients).
 */
function shareScale(sizes) {
    const results = sizes.map((n) => {
        const script = `
const { policies } = require("./dist/policy/policies");
const { runPolicies } = require("./dist/testing");
const T = require("./dist").alibaba.TYPES;
const n = ${n};
const share = { type: T.resourceShare, name: "share", props: { resourceShareName: "share", allowExternalTargets: true } };
const link = { propertyDependencies: { resourceShareId: ["urn:pulumi:stack::project::" + T.resourceShare + "::share"] } };
const resources = [share];
for (let i = 0; i < n; i++) resources.push({ type: T.sharedResource, name: "r-" + i, props: { resourceShareId: "x", resourceId: "s-" + String(i).padStart(10, "0"), resourceType: "Snapshot" }, ...link });
for (let i = 0; i < n; i++) resources.push({ type: T.sharedTarget, name: "t-" + i, props: { resourceShareId: "x", targetId: String(2000000000000000 + i) }, ...link });
const config = { "sharing-limits": { maxAccountsPerSnapshot: n, maxSharedSnapshotsPerOwner: n } };
(async () => {
    const t0 = process.hrtime.bigint();
    const violations = await runPolicies(policies, resources, config);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(JSON.stringify({ ms, resources: resources.length, violations: violations.length }));
})().catch((e) => {
    console.error(e.stack || e);
    process.exit(1);
});
`;
        const { json, rssMiB } = child(["-e", script]);
        rows.push({ section: "stack", what: `every policy (AnalyzeStack), one share of ${n.toLocaleString("en-US")} snapshots x ${n.toLocaleString("en-US")} accounts (${json.violations} violation${json.violations === 1 ? "" : "s"})`, resources: json.resources, raw: "", ours: `${fmt(json.ms, 0)} ms, peak ${fmt(rssMiB, 0)} MiB`, ratio: "", goal: smoke || n !== sizes[sizes.length - 1] ? "" : "<= 1024 MiB", met: rssMiB <= 1024 });
        return { n, ...json };
    });
    for (let i = 1; i < results.length; i++) {
        const growth = results[i].ms / results[i - 1].ms;
        const goal = (results[i].resources / results[i - 1].resources) * 1.2;
        rows.push({ section: "stack", what: `one share, ${results[i - 1].n} -> ${results[i].n} snapshots x accounts`, resources: "", raw: "", ours: `${fmt(growth)}x`, ratio: "", goal: smoke ? "" : `<= ${fmt(goal, 0)}x (linear in resources)`, met: growth <= goal });
    }
}

/**
 * The preview of a program of n raw resources (test/fixtures/many: shares of 100 snapshots to 20 accounts, one share
 * role), run by its own runner against the preview's monitor: wall time from the command's start to its report, and
 * the peak memory of the preview and the program's process. Goal: it completes within the preview's default limits (no
 * progress for 120 s, or an hour in all), and at most 10 ms per resource (the program's own runner is most of it).
 * The program's process needs more heap than Node's default for 50,000 resources (Pulumi's runtime holds about
 * 150 KiB per resource): given through NODE_OPTIONS, as a user would.
 */
function previewScale(sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alicloud-sharing-bench-"));
    try {
        for (const n of sizes) {
            const config = path.join(dir, `Pulumi.many-${n}.yaml`);
            fs.writeFileSync(config, `config:\n  many:resources: "${n}"\n`);
            const policyConfig = path.join(dir, `policy-${n}.json`);
            fs.writeFileSync(policyConfig, JSON.stringify({ "sharing-limits": { maxSharedSnapshotsPerOwner: n } }));
            const what = `offline preview of ${n.toLocaleString("en-US")} raw resources (shares of 20 accounts and 100 snapshots), run by the program's own runner`;
            let r;
            try {
                r = child([path.join(root, "dist", "cli", "main.js"), "preview", path.join(root, "test", "fixtures", "many"), "--config", config, "--policy-config", policyConfig, "--format", "json"], [], { NODE_OPTIONS_EXTRA: "--max-old-space-size=12288" });
            } catch (e) {
                // Stopped by a default limit (exit 2): a row that misses its goal.
                // Killed by a signal (the memory of the machine exhausted): a row that misses its goal too.
                const killed = /exited by (SIG[A-Z]+)/.exec(e.message);
                if (killed !== null) {
                    const peak = [...e.message.matchAll(/BENCH_MAXRSS_KIB=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0) / 1024;
                    rows.push({ section: "preview", what, resources: n, raw: "", ours: `killed by ${killed[1]} at a peak of ${fmt(peak, 0)} MiB`, ratio: "", goal: "completes, <= 10 ms per resource", met: false });
                    continue;
                }
                if (!/made no progress for|did not finish within/.test(e.message)) throw e;
                rows.push({ section: "preview", what, resources: n, raw: "", ours: `stopped at a default limit: ${e.message.split("\n").find((l) => l.startsWith("error:")) ?? ""}`, ratio: "", goal: "completes, <= 10 ms per resource", met: false });
                continue;
            }
            const report = JSON.parse(r.stdout);
            if (report.resources.length !== n) throw new Error(`the preview of ${n} resources reported ${report.resources.length}`);
            rows.push({ section: "preview", what, resources: n, raw: "", ours: `${fmt(r.wallMs / 1000, 1)} s, peak ${fmt(r.rssMiB, 0)} MiB`, ratio: "", goal: smoke ? "" : "completes, <= 10 ms per resource", met: r.wallMs <= 10 * n });
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * The audit of an emulated account (the loopback emulator the package ships and the tests use, which checks every request's signature): `shares`
 * resource shares of one encrypted snapshot each, every share to the same `targets` accounts, the snapshot share role
 * trusting them with its KMS policy, the key protected. Read through the official SDK over HTTP, then judged directly
 * by every policy of the pack (the sharing graph read once): reading and judging timed apart, the requests counted, the
 * process's peak memory (the emulator's state included: it runs in the same process). Goals: judging takes no longer
 * than reading; at most 1 GiB at the largest size.
 */
function auditCost(shares, targets, memoryGoalMiB) {
    const script = `
const { startEmulator, emptyAccount, EMULATOR_KEY_ID, EMULATOR_KEY_SECRET } = require("./dist/testing/emulator");
const { runAudit } = require("./dist/audit");
const lib = require("./dist");
(async () => {
    const owner = "1000000000000000";
    const em = await startEmulator();
    const account = emptyAccount(owner);
    account.regions = ["cn-shanghai"];
    account.sharingRegions = ["cn-shanghai"];
    const accounts = Array.from({ length: ${targets} }, (_, i) => String(2000000000000000 + i));
    for (let s = 0; s < ${shares}; s++) {
        const id = "s-bench" + String(s).padStart(8, "0");
        em.snapshots.set(id, { snapshotId: id, regionId: "cn-shanghai", encrypted: true, kmsKeyId: "key-benchshh00001", pollsLeft: 0, willFail: false });
        account.shares.push({ resourceShareId: "rs-bench" + s, resourceShareName: "bench-" + s, regionId: "cn-shanghai", allowExternalTargets: true, resources: [{ entityId: id, entityType: "Snapshot" }], targets: accounts.map((t) => ({ entityId: t, external: true })) });
    }
    const role = "AliyunECSShareEncryptSnapshotDefaultRole";
    account.roles.set(role, { roleName: role, assumeRolePolicyDocument: lib.renderDocument(lib.trustPolicy({ accountIds: accounts })), maxSessionDuration: 3600, attached: [{ policyName: "kms", policyType: "Custom" }] });
    account.policies.set("Custom:kms", { policyName: "kms", policyType: "Custom", defaultVersion: "v1", document: lib.renderDocument(lib.kmsSharePolicy([{ keyId: "key-benchshh00001", region: "cn-shanghai", ownerAccountId: owner }])) });
    account.keys.set("key-benchshh00001", { keyId: "key-benchshh00001", regionId: "cn-shanghai", deletionProtection: "Enabled" });
    em.account = account;
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET };
    const r = await runAudit({ env, endpoint: em.endpoint, regions: ["cn-shanghai"] });
    await em.stop();
    if (em.requests.length !== r.requests.total) throw new Error("the emulator served " + em.requests.length + " requests, the audit counted " + r.requests.total);
    console.log(JSON.stringify({ ms: r.durationMs, readMs: r.timings.readMs, judgeMs: r.timings.judgeMs, reportMs: r.timings.reportMs, requests: r.requests.total, resources: r.resources.length, mandatory: r.verdicts.filter((v) => v.level === "mandatory").length }));
})().catch((e) => {
    console.error(e.stack || e);
    process.exit(1);
});
`;
    const { json, rssMiB } = child(["-e", script]);
    const what = `audit of an emulated account, ${shares} shares x ${targets} targets (an encrypted snapshot each)`;
    rows.push({ section: "audit", what: `${what}: read through the SDK over HTTP`, resources: json.resources, raw: "", ours: `${fmt(json.readMs, 0)} ms in ${json.requests} requests`, ratio: "", goal: "", met: true });
    rows.push({
        section: "audit",
        what: `${what}: judged (the raw-resource view, then every policy of the pack; ${json.mandatory} mandatory violations)`,
        resources: json.resources,
        raw: "",
        ours: `${fmt(json.judgeMs, 0)} ms (then the report's map ${fmt(json.reportMs, 0)} ms)`,
        ratio: `${fmt(json.judgeMs / json.readMs)}x the read`,
        goal: smoke ? "" : "<= the read",
        met: json.judgeMs <= json.readMs,
    });
    rows.push({
        section: "audit",
        what: `${what}: peak memory of the process (the emulator's state included)`,
        resources: json.resources,
        raw: "",
        ours: `${fmt(rssMiB, 0)} MiB`,
        ratio: "",
        goal: memoryGoalMiB === undefined || smoke ? "" : `<= ${memoryGoalMiB} MiB`,
        met: memoryGoalMiB === undefined || rssMiB <= memoryGoalMiB,
    });
}

/**
 * The audit of an emulated organization: a resource directory of `members` member accounts (in 10 folders), each with
 * `shares` shares of one snapshot to 4 other members, read through each member's access role (STS AssumeRole, a session
 * per member), four accounts at a time, and judged as one graph.
 */
function organizationCost(members, shares) {
    const script = `
const { startEmulator, emptyAccount, accessRoleTrust, EMULATOR_KEY_ID, EMULATOR_KEY_SECRET } = require("./dist/testing/emulator");
const { runOrganizationAudit } = require("./dist/audit/organization");
(async () => {
    const management = "1000000000000000";
    const em = await startEmulator();
    const own = emptyAccount(management);
    own.regions = ["cn-shanghai"];
    own.sharingRegions = ["cn-shanghai"];
    em.account = own;
    const ids = Array.from({ length: ${members} }, (_, i) => String(3000000000000000 + i));
    const folders = Array.from({ length: 10 }, (_, f) => ({ folderId: "fd-bench" + String(f).padStart(4, "0"), folderName: "team-" + f, parentFolderId: "r-bench001" }));
    em.directory = { resourceDirectoryId: "rd-bench01", rootFolderId: "r-bench001", masterAccountId: management, folders, members: [{ accountId: management, displayName: "management", folderId: "r-bench001" }, ...ids.map((id, i) => ({ accountId: id, displayName: "member-" + i, folderId: folders[i % 10].folderId }))] };
    ids.forEach((id, i) => {
        const a = emptyAccount(id);
        a.regions = ["cn-shanghai"];
        a.sharingRegions = ["cn-shanghai"];
        a.roles.set("ResourceDirectoryAccountAccessRole", { roleName: "ResourceDirectoryAccountAccessRole", assumeRolePolicyDocument: accessRoleTrust(management), maxSessionDuration: 3600, attached: [] });
        for (let s = 0; s < ${shares}; s++) {
            const snap = "s-m" + String(i).padStart(5, "0") + "x" + String(s).padStart(5, "0");
            em.snapshots.set(snap, { snapshotId: snap, regionId: "cn-shanghai", encrypted: false, pollsLeft: 0, willFail: false, ownerAccountId: id });
            const targets = [1, 2, 3, 4].slice(0, Math.min(4, ids.length - 1)).map((k) => ({ entityId: ids[(i + k) % ids.length], external: false }));
            a.shares.push({ resourceShareId: "rs-m" + i + "x" + s, resourceShareName: "share-" + s, regionId: "cn-shanghai", allowExternalTargets: false, resources: [{ entityId: snap, entityType: "Snapshot" }], targets });
        }
        em.accounts.set(id, a);
    });
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET };
    const r = await runOrganizationAudit({ env, endpoint: em.endpoint, regions: ["cn-shanghai"], deadlineMs: 3600000 });
    await em.stop();
    const failed = r.accounts.filter((a) => a.error !== undefined);
    if (failed.length > 0) throw new Error(failed.length + " accounts not read, e.g. " + failed[0].error);
    if (em.requests.length !== r.requests.total) throw new Error("the emulator served " + em.requests.length + " requests, the audit counted " + r.requests.total);
    console.log(JSON.stringify({ readMs: r.timings.readMs, judgeMs: r.timings.judgeMs, requests: r.requests.total, resources: r.resources.length, accounts: r.accounts.length, verdicts: r.verdicts.length }));
})().catch((e) => {
    console.error(e.stack || e);
    process.exit(1);
});
`;
    const { json, rssMiB } = child(["-e", script]);
    rows.push({
        section: "audit",
        what: `audit --directory of an emulated organization, ${members} member accounts x ${shares} shares (a snapshot each, to 4 members), each read through its access role`,
        resources: json.resources,
        raw: "",
        ours: `read ${fmt(json.readMs, 0)} ms in ${json.requests} requests (${json.accounts} accounts), judged ${fmt(json.judgeMs, 0)} ms as one graph (${json.verdicts} verdicts); peak ${fmt(rssMiB, 0)} MiB`,
        ratio: `${fmt(json.judgeMs / json.readMs)}x the read`,
        goal: smoke ? "" : "judge <= read",
        met: json.judgeMs <= json.readMs,
    });
}

/** The component overhead rows: each component against the raw resources it makes, side by side. */
function overheadRows() {
    overhead("SharedSnapshot, 1,000 snapshots x 64 accounts, encrypted", "snapshot", 1000, 64, "resourceShare", 5, 1.15);
    overhead("SharedImage resourceShare, 200 images x 100 accounts, encrypted", "image", 200, 100, "resourceShare", 5, 1.15);
    overhead("SharedImage imagePermission, 200 images x 100 accounts, encrypted", "image", 200, 100, "imagePermission", 3, 1.15);
}

/**
 * Prints the rows measured and puts them in bench/RESULTS.md in place of that section's rows, with a note saying when
 * and how they were measured apart from the rest (`--only <section>`).
 */
function replaceRows(section) {
    const machine = `${os.cpus().length} x ${os.cpus()[0].model}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
    const out = table();
    process.stdout.write(`${out}\n\nmachine: ${machine}\n`);
    const file = path.join(__dirname, "RESULTS.md");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const noteStart = `The ${section} rows were measured`;
    const first = lines.findIndex((l) => l.startsWith(`| ${section} |`));
    const kept = lines.filter((l) => !l.startsWith(`| ${section} |`) && !l.startsWith(noteStart));
    const fresh = out.split("\n").slice(2);
    // In the section's place (else after the table), the note at the end.
    const at = first >= 0 ? first : kept.map((l) => l.startsWith("|")).lastIndexOf(true) + 1;
    const body = [...kept.slice(0, at), ...fresh, ...kept.slice(at)];
    while (body.length > 0 && body[body.length - 1] === "") body.pop();
    const note = `${noteStart} on ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- --only ${section}\` (machine: ${machine}), apart from the rest.`;
    fs.writeFileSync(file, [...body, "", note, ""].join("\n"));
}

function table() {
    const head = "| section | what | resources | raw / baseline | alicloud-sharing | ratio | goal | met |\n|---|---|---|---|---|---|---|---|";
    return [head, ...rows.map((r) => `| ${r.section} | ${r.what} | ${r.resources} | ${r.raw} | ${r.ours} | ${r.ratio} | ${r.goal} | ${r.goal ? (r.met ? "yes" : "NO") : ""} |`)].join("\n");
}

(async () => {
    if (!fs.existsSync(path.join(root, "dist", "index.js"))) throw new Error("run `npm run build` first (npm run bench does)");
    if (only !== undefined && only !== "audit" && only !== "scale" && only !== "overhead") throw new Error(`--only takes overhead, audit or scale, not ${only}`);
    if (only === "scale") {
        // The rows of one share's scale and the preview's, printed (the whole bench writes them to RESULTS.md).
        shareScale(smoke ? [10, 30] : [100, 1000, 10000]);
        previewScale(smoke ? [30] : [5000, 50000]);
        process.stdout.write(`${table()}\n`);
        return;
    }
    if (only === "audit" || only === "overhead") {
        if (only === "audit") {
            auditCost(1000, 64);
            auditCost(5000, 64, 1024);
            organizationCost(200, 50);
        } else {
            overheadRows();
        }
        replaceRows(only);
        if (rows.some((r) => r.goal && !r.met)) {
            process.stdout.write("\nsome goals were missed (NO above)\n");
        }
        return;
    }
    if (smoke) {
        // Tiny sizes measure start-up, not overhead: no goal is judged in a smoke run.
        overhead("SharedSnapshot, 3 snapshots x 2 accounts, encrypted", "snapshot", 3, 2, "resourceShare", 1, undefined);
        scale([2, 20]);
        manyComponents([5]);
        await policyCost([100]);
        await stackScale([10, 100], [100, 1000]);
        shareScale([30]);
        await graphScale([10, 100]);
        importCost(1);
        previewCost(1);
        previewScale([30]);
        auditCost(3, 2);
        organizationCost(3, 2);
    } else {
        overheadRows();
        scale([10, 100, 1000, 10000]);
        manyComponents([100, 1000]);
        await policyCost([1000, 10000]);
        await stackScale([100, 1000], [1000, 10000, 100000]);
        shareScale([100, 1000, 10000]);
        await graphScale([100, 1000, 10000]);
        importCost(5);
        previewCost(5);
        previewScale([5000, 50000]);
        auditCost(1000, 64);
        auditCost(5000, 64, 1024);
        organizationCost(200, 50);
    }
    const machine = `${os.cpus().length} x ${os.cpus()[0].model}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
    const out = table();
    process.stdout.write(`${out}\n\nmachine: ${machine}\n`);
    if (!smoke) {
        fs.writeFileSync(
            path.join(__dirname, "RESULTS.md"),
            `# Benchmark results\n\nProduced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.\n` +
                "Every figure is measured in this one run, side by side with its baseline, alternating runs; medians; ratios are ours / baseline.\n" +
                "Resources run under Pulumi's mock runtime (no engine, no cloud); each overhead run is a fresh Node process.\n\n" +
                `${out}\n`,
        );
    }
    if (rows.some((r) => r.goal && !r.met)) {
        process.stdout.write("\nsome goals were missed (NO above)\n");
    }
    if (smoke) {
        // CI's check that every section still runs end to end (.ci/run): a section that printed no row fails it.
        const sections = ["overhead", "scale", "policy", "stack", "graph", "import", "preview", "audit"];
        const missing = sections.filter((section) => !rows.some((r) => r.section === section));
        if (missing.length > 0) {
            throw new Error(`the smoke run printed no row for ${missing.join(", ")}`);
        }
    }
})().catch((e) => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
});
