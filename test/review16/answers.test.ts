/**
 * Review (issue 16), answers whose shape is not the API's: a list answer without its list, rows that are not objects, a
 * NextToken that is not a string, a number-paged list without TotalCount in pages smaller than asked, a region list
 * that is empty or missing. The audit must read the account whole or say it could not (an error, or `incomplete` and
 * exit 2); each case here is read as a shorter list in silence instead (the demo account audited through a proxy that
 * changes one answer). Each test names the defect and asserts the correct behaviour; each fails on 791db5f.
 */
import { AuditResult, runAudit } from "../../src/audit/run";
import { readAllPages } from "../../src/sdk/paging";
import { loadDemo } from "../../src/testing/demo";
import { Emulator, startEmulator } from "../support/emulator";
import { AUDIT_ENV } from "../audit/fixture";
import { startProxy } from "./proxy";

let emulator: Emulator;
beforeAll(async () => {
    emulator = await startEmulator();
});
afterAll(() => emulator.stop());

/** What an audit says: refused (an error), incomplete, or what it read and judged. */
function outcomeOf(result: AuditResult | Error): string {
    if (result instanceof Error) {
        return "refused";
    }
    if (result.incomplete.length > 0) {
        return "incomplete";
    }
    const read = result.read;
    const counts = {
        regions: read.regions.length,
        shares: read.shares.length,
        targets: read.shares.reduce((n, s) => n + s.targets.length, 0),
        images: read.images.length,
        grants: read.images.reduce((n, i) => n + i.accounts.length, 0),
    };
    return JSON.stringify({ counts, verdicts: result.verdicts.map((v) => `${v.level} ${v.rule ?? v.policy} ${v.urn ?? ""}`).sort() });
}

async function auditThrough(rewrite?: Parameters<typeof startProxy>[1]["rewrite"]): Promise<string> {
    loadDemo(emulator);
    // Pages of three, whatever is asked: every list takes several pages (as a service may cap them).
    emulator.account.pageLimit = 3;
    const proxy = await startProxy(emulator, { rewrite });
    try {
        return outcomeOf(await runAudit({ env: AUDIT_ENV, endpoint: proxy.endpoint, retryBaseDelayMs: 1 }).catch((e: Error) => e));
    } finally {
        await proxy.stop();
    }
}

let baseline: string;
beforeAll(async () => {
    baseline = await auditThrough();
    // The demo account as read whole: 51 image grants (over the quota of 50), four shares.
    expect(baseline).toContain('"grants":51');
});

type Body = Record<string, unknown>;
const CASES: [string, (p: Record<string, string>, body: Body) => Body][] = [
    // Defect: shares 0, verdicts 2 of 8, nothing incomplete.
    ["ListResourceShares (owned) answered without its list", (p, b) => (p.Action === "ListResourceShares" && p.ResourceOwner === "Self" ? { RequestId: b.RequestId } : b)],
    ["ListResourceShares (owned) with the list wrapped in an object", (p, b) => (p.Action === "ListResourceShares" && p.ResourceOwner === "Self" ? { ...b, ResourceShares: { ResourceShare: b.ResourceShares } } : b)],
    // Defect: every association dropped (targets 0), verdicts 2 of 8.
    ["ListResourceShareAssociations rows that are not objects (JSON text)", (p, b) => (p.Action === "ListResourceShareAssociations" ? { ...b, ResourceShareAssociations: (b.ResourceShareAssociations as unknown[]).map((r) => JSON.stringify(r)) } : b)],
    // Defect: the list ends at the first page whose NextToken is a number: targets 6 of 7.
    ["a NextToken that is a number, not a string", (p, b) => (p.Action === "ListResourceShareAssociations" && typeof b.NextToken === "string" && b.NextToken !== "" ? { ...b, NextToken: 7 } : b)],
    // Defect: grants 3 of 51 (the first page, shorter than the 100 asked, taken as the last): the image quota violation is missed.
    ["DescribeImageSharePermission without TotalCount", (p, b) => (p.Action === "DescribeImageSharePermission" ? { ...b, TotalCount: undefined } : b)],
    // Defect: an account of no region: nothing read, nothing incomplete.
    ["ECS DescribeRegions listing no region", (p, b) => (p.Action === "DescribeRegions" && p.Version === "2014-05-26" ? { ...b, Regions: { Region: [] } } : b)],
    // Defect: "Resource Sharing is not offered in …" for every region (notes only): no share read.
    ["Resource Sharing's DescribeRegions answered without its list", (p, b) => (p.Action === "DescribeRegions" && p.Version === "2020-01-10" ? { RequestId: b.RequestId } : b)],
];

describe("an answer that is not the API's shape is never read as a shorter list", () => {
    test.each(CASES)("%s: read whole, or refused, or incomplete", async (_name, rewrite) => {
        const outcome = await auditThrough(rewrite);
        expect([baseline, "refused", "incomplete"]).toContain(outcome);
    });
});

test("paging (number style): a page shorter than asked, with no TotalCount, may be a service's capped page: the list is read on (or refused), not cut", async () => {
    const all = Array.from({ length: 5 }, (_, i) => `item-${i}`);
    let asked = 0;
    const outcome = await readAllPages<string>({
        action: "ListAccounts",
        resource: "the members",
        style: "number",
        pageSize: 100,
        key: (s) => s,
        fetch: async ({ number }) => {
            asked++;
            return { items: all.slice((number - 1) * 2, number * 2) };
        },
    }).then(
        (items) => items.length,
        () => "refused",
    );
    // Defect: 2 items after 1 request.
    expect({ outcome: [5, "refused"].includes(outcome), asked: asked > 1 }).toEqual({ outcome: true, asked: true });
});
