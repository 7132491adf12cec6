/**
 * Review (issue 16), scale honesty, counted, not timed: the organization's text report reads each verdict and each
 * owned share a bounded number of times, so that doubling the organization doubles the work. Every property read of a
 * verdict or a share is counted (a proxy around each), for an organization of N accounts and of 2N, each account with
 * one share and one verdict. Fails on 791db5f: each account filters every verdict and every share (work ~ N²).
 */
import type { OrganizationAuditResult, OwnedShare } from "../../src/audit/organization";
import { renderOrganizationText } from "../../src/audit/renderOrganization";
import type { Verdict } from "../../src/preview/verdicts";

function counted<T extends object>(value: T, reads: { n: number }): T {
    return new Proxy(value, {
        get(target, key, receiver) {
            reads.n++;
            return Reflect.get(target, key, receiver);
        },
    });
}

/** The property reads of verdicts and shares while rendering an organization of `n` accounts. */
function readsFor(n: number): number {
    const reads = { n: 0 };
    const ids = Array.from({ length: n }, (_, i) => String(3000000000000000 + i));
    const verdicts: Verdict[] = ids.map((id, i) =>
        counted(
            {
                policy: "sharing-share-contents",
                rule: "external-targets",
                constraints: ["C30"],
                level: "mandatory" as const,
                message: `account 7000000000000000 is not a known member (${i})`,
                urn: `urn:pulumi:audit::${id}::alicloud:resourcemanager/sharedTarget:SharedTarget::rs-m${i}/7000000000000000`,
            },
            reads,
        ),
    );
    const owners: OwnedShare[] = ids.map((id, i) =>
        counted(
            { ownerAccountId: id, id: `rs-m${i}`, name: `share-${i}`, region: "cn-shanghai", via: "resource share" as const, kind: "snapshot", resources: [{ id: `s-m${i}`, type: "Snapshot" }], targets: ["7000000000000000"] },
            reads,
        ),
    );
    const emptyRead = { roles: [], keys: [] };
    const result = {
        directory: { id: "rd-bench01", rootFolderId: "r-bench001", managementAccountId: ids[0] },
        organization: {},
        accounts: ids.map((id, i) => ({ accountId: id, name: `member-${i}`, path: "rd-bench01/r-bench001", management: i === 0, read: emptyRead })),
        resources: [],
        verdicts,
        owners,
        receipts: new Map(ids.map((id) => [id, []])),
        removals: [],
        notInEffect: [],
        requests: { total: 0, byAction: {}, peakConcurrency: 0 },
        regions: ["cn-shanghai"],
        notes: [],
        incomplete: [],
        durationMs: 0,
        timings: { readMs: 0, judgeMs: 0 },
    } as unknown as OrganizationAuditResult;
    const text = renderOrganizationText(result);
    // Every verdict and every share is in the report.
    expect(text.split("\n").filter((l) => l.startsWith("    [mandatory] ")).length).toBe(n);
    expect(text.split("\n").filter((l) => / \(rs-m\d+\): /.test(l)).length).toBe(n);
    return reads.n;
}

test("the organization's text report: twice the accounts, at most about twice the reads of verdicts and shares", () => {
    const small = readsFor(100);
    const large = readsFor(200);
    // Defect: about 4x (each account filters all verdicts and all shares; each verdict looks for its account among all).
    expect({ small, large, ratio: Math.round((large / small) * 10) / 10 <= 2.5 }).toEqual({ small, large, ratio: true });
});
