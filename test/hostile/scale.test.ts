/**
 * One share of many items to many accounts (issue 17, item 7) is judged in time linear in items + accounts: the
 * recipients are gathered once for the share, and the items of the share are judged once (each still reported on its
 * own resource). Counted, not timed: how many recipient sets, intents and target entries exist, and how often the
 * rules read the limits. The bench (npm run bench, section stack) times 10,000 x 10,000 through AnalyzeStack.
 */
import { at } from "../../src/intent/model";
import { emptyGraph, ShareNode } from "../../src/graph/model";
import { Relations } from "../../src/graph/resolve";
import { judgeSubject, ruleContext } from "../../src/rules/registry";
import { directoryAndAccountSubjects, limitSubjects } from "../../src/rules/relations";
import type { RuleContext } from "../../src/rules/types";
import { TYPES } from "../../src/policy/resources";
import { policies } from "../../src/policy";
import { runPolicies, TestResource, urnOf } from "../../src/testing";

const ITEMS = 300;
const ACCOUNTS = 300;
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(2000000000000000 + i));

function oneShare(kind: "snapshot" | "image", organization: string[] = []): Relations {
    const graph = emptyGraph();
    const prefix = kind === "snapshot" ? "s" : "m";
    const share: ShareNode = {
        id: "share",
        kind,
        method: "resourceShare",
        account: "default",
        region: at("region", "cn-hangzhou"),
        items: Array.from({ length: ITEMS }, (_, i) => ({ item: `item-${i}`, via: { urn: `urn:item-${i}`, name: `item-${i}`, type: TYPES.sharedResource }, id: at("resourceId", `${prefix}-${String(i).padStart(10, "0")}`) })),
        recipients: [...accounts, ...organization].map((a) => ({ value: at("targetId", a), via: { urn: `urn:target-${a}`, name: `target-${a}`, type: TYPES.sharedTarget } })),
        roleDependencies: new Set(),
        acknowledged: true,
    };
    graph.shares.set(share.id, share);
    return new Relations(graph);
}

/** A rule context that counts how often the rules read the limits (each rule's check reads them once). */
function countingContext(): { context: RuleContext; reads: () => number } {
    let reads = 0;
    const base = ruleContext();
    const context = new Proxy(base, { get: (t, k, r) => ((k === "limits" && reads++), Reflect.get(t, k, r)) });
    return { context, reads: () => reads };
}

test("the items of one share hold one set of recipients", () => {
    const entries = [...oneShare("snapshot").recipientsByItem().values()];
    expect(entries).toHaveLength(ITEMS);
    expect(new Set(entries.map((e) => e.accounts)).size).toBe(1);
    expect(entries[0].accounts.size).toBe(ACCOUNTS);
});

test("C6: every snapshot reported on its own resource, the limit judged once, one list of targets", () => {
    const subjects = limitSubjects(oneShare("snapshot"));
    const perItem = subjects.filter((s) => s.only?.includes("snapshot-account-limit"));
    expect(perItem).toHaveLength(ITEMS);
    const intents = new Set(perItem.map((s) => s.subject));
    expect(intents.size).toBe(1);
    expect([...intents].reduce((n, i) => n + (i as unknown as { targets: unknown[] }).targets.length, 0)).toBe(ACCOUNTS);
    const { context, reads } = countingContext();
    const findings = subjects.flatMap((s) => judgeSubject(s, context));
    const limit = findings.filter((f) => f.ruleId === "snapshot-account-limit");
    expect(limit.map((f) => f.subject?.urn)).toEqual(Array.from({ length: ITEMS }, (_, i) => `urn:item-${i}`));
    expect(new Set(limit.map((f) => `${f.path} ${f.message}`))).toEqual(new Set(["accountId the snapshots are shared with 300 accounts; the limit is 64 per snapshot."]));
    // C6 once for the share's items, C7 once for the owner: not once per item.
    expect(reads()).toBe(2);
});

test("C17 and C22: images of one share judged once for the quota and once for accounts with folders", () => {
    const relations = oneShare("image", ["rd-abc123/r-root1/fd-team01"]);
    const { context, reads } = countingContext();
    const quota = limitSubjects(relations).flatMap((s) => judgeSubject(s, context)).filter((f) => f.ruleId === "image-account-quota");
    expect(quota).toHaveLength(ITEMS);
    expect(reads()).toBe(1);
    const mixed = directoryAndAccountSubjects(relations);
    expect(new Set(mixed.map((s) => s.subject)).size).toBe(1);
    const found = mixed.flatMap((s) => judgeSubject(s, context));
    expect(new Set(found.map((f) => f.ruleId))).toEqual(new Set(["directory-and-accounts", "image-account-quota"]));
    expect(found.filter((f) => f.ruleId === "directory-and-accounts").map((f) => f.subject?.urn)).toEqual(Array.from({ length: ITEMS }, (_, i) => `urn:item-${i}`));
});

test("through the pack: 300 snapshots x 300 accounts give exactly one C6 violation per snapshot and the C33 advisory", async () => {
    const share: TestResource = { type: TYPES.resourceShare, name: "share", props: { resourceShareName: "share", allowExternalTargets: true } };
    const link = { propertyDependencies: { resourceShareId: [urnOf(share)] } };
    const resources: TestResource[] = [
        share,
        ...Array.from({ length: ITEMS }, (_, i) => ({ type: TYPES.sharedResource, name: `r-${i}`, props: { resourceShareId: "x", resourceId: `s-${String(i).padStart(10, "0")}`, resourceType: "Snapshot" }, ...link })),
        ...accounts.map((a) => ({ type: TYPES.sharedTarget, name: `t-${a}`, props: { resourceShareId: "x", targetId: a }, ...link })),
    ];
    const violations = await runPolicies(policies, resources, {});
    const counts: Record<string, number> = {};
    violations.forEach((v) => (counts[`${v.policy} ${v.finding?.ruleId}`] = (counts[`${v.policy} ${v.finding?.ruleId}`] ?? 0) + 1));
    expect(counts).toEqual({ "sharing-limits snapshot-account-limit": ITEMS, "sharing-unencrypted-snapshots unencrypted-snapshot-acknowledged": 1 });
    expect(new Set(violations.filter((v) => v.policy === "sharing-limits").map((v) => v.urn)).size).toBe(ITEMS);
});
