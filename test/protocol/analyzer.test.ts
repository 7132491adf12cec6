/**
 * The policy pack served as a real process, started as the CLI starts it, and driven over the analyzer gRPC
 * protocol: GetAnalyzerInfo, Configure, Analyze and AnalyzeStack, with resources captured from programs run
 * under mocks. The process is stopped at the end, whatever happens.
 */
import { asPolicyResources, installMocks, PACK_LEVELS } from "../support/mocks";

const rec = installMocks();

import { SharedImage, SharedSnapshot } from "../../src";
import { TestResource, unknown, urnOf } from "../../src/testing";
import { analyzerProto, Empty, RunningPack, startPolicyPack, Struct } from "../support/policyPackProcess";

const A = "2222222222222222";
const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];

let pack: RunningPack;
beforeAll(async () => {
    pack = await startPolicyPack();
}, 120_000);
afterAll(async () => {
    await pack?.stop();
});

function options(parent?: string) {
    const o = new analyzerProto.AnalyzerResourceOptions();
    o.setProtect(false);
    if (parent) {
        o.setParent(parent);
    }
    return o;
}

function analyzeRequest(r: TestResource) {
    const req = new analyzerProto.AnalyzeRequest();
    req.setType(r.type);
    req.setProperties(Struct.fromJavaScript(r.props));
    req.setUrn(urnOf(r));
    req.setName(r.name ?? "");
    req.setOptions(options(r.parent));
    return req;
}

function stackRequest(resources: readonly TestResource[]) {
    const req = new analyzerProto.AnalyzeStackRequest();
    for (const r of resources) {
        const ar = new analyzerProto.AnalyzerResource();
        ar.setType(r.type);
        ar.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(r.props))));
        ar.setUrn(urnOf(r));
        ar.setName(r.name ?? "");
        ar.setOptions(options(r.parent));
        if (r.parent) {
            ar.setParent(r.parent);
        }
        ar.setDependenciesList([...(r.dependencies ?? [])]);
        if (r.providerProps) {
            const p = new analyzerProto.AnalyzerProviderResource();
            p.setType("pulumi:providers:alicloud");
            p.setProperties(Struct.fromJavaScript(r.providerProps));
            p.setUrn(`${urnOf(r)}-provider`);
            p.setName("provider");
            ar.setProvider(p);
        }
        for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
            const deps = new analyzerProto.AnalyzerPropertyDependencies();
            deps.setUrnsList([...urns]);
            ar.getPropertydependenciesMap().set(key, deps);
        }
        req.addResources(ar);
    }
    return req;
}

/** Sends a full config (every policy, as the CLI does), with properties for some. */
async function configure(properties: Record<string, Record<string, unknown>>, levels: Record<string, number> = {}) {
    const info = await pack.call("getAnalyzerInfo", new Empty());
    const req = new analyzerProto.ConfigureAnalyzerRequest();
    for (const p of info.getPoliciesList()) {
        const c = new analyzerProto.PolicyConfig();
        c.setEnforcementlevel(levels[p.getName()] ?? p.getEnforcementlevel());
        c.setProperties(Struct.fromJavaScript(properties[p.getName()] ?? {}));
        req.getPolicyconfigMap().set(p.getName(), c);
    }
    await pack.call("configure", req);
}

const diagnostics = (res: any) =>
    res.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), level: LEVEL[d.getEnforcementlevel()], message: d.getMessage(), urn: d.getUrn() }));

test("GetAnalyzerInfo: the pack's name, version, policies, levels and config schemas", async () => {
    const info = await pack.call("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("alicloud-sharing");
    expect(info.getVersion()).toBe("0.1.0");
    expect(info.getSupportsconfig()).toBe(true);
    const policies = Object.fromEntries(info.getPoliciesList().map((p: any) => [p.getName(), LEVEL[p.getEnforcementlevel()]]));
    expect(policies).toEqual(PACK_LEVELS);
    const recipients = info.getPoliciesList().find((p: any) => p.getName() === "sharing-recipients");
    expect(Object.keys(recipients.getConfigschema().getProperties().toJavaScript()).sort()).toEqual(
        ["accountSites", "allowedRecipients", "exemptions", "failClosedOnUnknown", "organization", "organizationFile", "ownerAccountIds"].sort(),
    );
    expect(recipients.getDescription()).toMatch(/Enforces C2, C3, S3, S1, S6 \(rules not-own-account, same-site, recipients-allowed, trusted-principals-allowed, recipients-known, values-known\)\.$/);
});

test("Configure then Analyze: a recipient off the allow-list is a mandatory violation; an unknown one fails closed", async () => {
    await configure({ "sharing-recipients": { allowedRecipients: { accountIds: [A] } } });
    const off: TestResource = { type: "alicloud:resourcemanager/sharedTarget:SharedTarget", name: "off", props: { resourceShareId: "rs-1", targetId: "3333333333333333" } };
    const later: TestResource = { type: "alicloud:resourcemanager/sharedTarget:SharedTarget", name: "later", props: { resourceShareId: "rs-1", targetId: unknown.string } };
    const ok: TestResource = { type: "alicloud:resourcemanager/sharedTarget:SharedTarget", name: "ok", props: { resourceShareId: "rs-1", targetId: A } };
    expect(diagnostics(await pack.call("analyze", analyzeRequest(ok)))).toEqual([]);
    expect(diagnostics(await pack.call("analyze", analyzeRequest(off)))).toEqual([
        {
            policy: "sharing-recipients",
            level: "mandatory",
            message: expect.stringMatching(/^\[S3\] "3333333333333333" is not an allowed recipient\. .*\(rule recipients-allowed; at targetId\)$/),
            urn: urnOf(off),
        },
    ]);
    expect(diagnostics(await pack.call("analyze", analyzeRequest(later)))).toEqual([
        { policy: "sharing-recipients", level: "mandatory", message: expect.stringMatching(/^\[S6\] the recipient is not known at preview/), urn: urnOf(later) },
    ]);
});

test("Configure with a config the schema refuses (sent straight over gRPC, as no engine would): Analyze answers with one clear violation per policy, not a protocol error", async () => {
    await configure({ "sharing-recipients": { exemptions: [{ resource: "*", rules: "S3", reason: "a reason long enough", expires: "2030-01-01" }] } });
    const target: TestResource = { type: "alicloud:resourcemanager/sharedTarget:SharedTarget", name: "t", props: { resourceShareId: "rs-1", targetId: "3333333333333333" } };
    expect(diagnostics(await pack.call("analyze", analyzeRequest(target)))).toEqual([
        {
            policy: "sharing-recipients",
            level: "mandatory",
            message: expect.stringMatching(/^\[S8\] the config of sharing-recipients: exemptions\[0\]\.rules must be array, not "S3"\. .*\(rule policy-config-valid; at sharing-recipients config exemptions\[0\]\.rules\)$/),
            // About the config, not a resource.
            urn: "",
        },
    ]);
    // Reported once: the next resource is judged with the defaults only.
    expect(diagnostics(await pack.call("analyze", analyzeRequest({ ...target, name: "u" })))).toEqual([]);
});

test("AnalyzeStack: a stack built with the components passes; the same with 65 accounts on a snapshot does not", async () => {
    await configure({});
    new SharedSnapshot("dr", { snapshotIds: ["s-aaaa0001"], kmsKeyId: "key-abcdefgh12345678", accountIds: [A], folderPaths: ["rd-a/r-b/fd-c"] });
    new SharedImage("golden", { imageIds: ["m-aaaa0001"], region: "cn-shanghai", kmsKeyId: "key-abcdefgh12345678", resourceDirectoryId: "rd-a", copyToRegions: ["cn-beijing"], copyKmsKeyIds: { "cn-beijing": "key-bbbbbbbb12345678" } });
    await rec.settle();
    const clean = asPolicyResources(rec.registrations);
    expect(diagnostics(await pack.call("analyzeStack", stackRequest(clean)))).toEqual([]);

    const extra: TestResource[] = Array.from({ length: 64 }, (_, i) => ({
        type: "alicloud:resourcemanager/sharedTarget:SharedTarget",
        name: `extra-${i}`,
        props: { resourceShareId: "dr-share-id", targetId: String(5000000000000000 + i) },
        propertyDependencies: { resourceShareId: [clean.find((r) => r.name === "dr-share")!.urn!] },
    }));
    const over = diagnostics(await pack.call("analyzeStack", stackRequest([...clean, ...extra])));
    expect(over.map((d: any) => [d.policy, d.level, d.message.match(/^\[[^\]]+\]/)![0], d.message.match(/\(rule ([a-z-]+)/)![1]])).toEqual([
        ["sharing-limits", "mandatory", "[C6]", "snapshot-account-limit"],
        ["sharing-share-roles", "mandatory", "[S5, C9, C21]", "trust-matches-targets"],
    ]);
});
