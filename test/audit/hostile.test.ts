/**
 * The audit against hostile and faulty answers, end to end: Alibaba's SDK over real HTTP against the emulator, whose
 * account holds names, ids and regions full of terminal escapes, forged verdict lines, bidi overrides and Mermaid
 * syntax, whose errors quote them and echo the request's signature, and whose pages do not add up or never come.
 * Every report stays one record a line with nothing a terminal acts on, the Mermaid chart holds only its own syntax,
 * JSON and SARIF parse whole, bad ids are reported and never sent, and no list loops, truncates or counts twice.
 * Also the API's own facts: `External: false`, associations not in effect, and regions not read.
 */
import { isRegionId } from "../../src/alibaba/ids";
import { AuditOptions, AuditResult, runAudit } from "../../src/audit/run";
import { verdictLine } from "../../src/report/model";
import { terminalText } from "../../src/report/safe";
import { AlibabaApiError } from "../../src/sdk/errors";
import { ECHO_SIGNATURE, EmulatedAccount, Emulator, HANG, emptyAccount, startEmulator } from "../support/emulator";
import { AUDIT_ENV, INTENDED_PREVIEW, OWNER, POLICY_CONFIG, audit as auditCommand, loadFixture } from "./fixture";

let emulator: Emulator;
beforeAll(async () => {
    emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
    loadFixture(emulator);
    emulator.requests.splice(0);
});

/** What a terminal acts on instead of showing (LF apart: the report's own lines). */
// eslint-disable-next-line no-control-regex -- the very characters the test looks for
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/;
/** Clears the screen, forges two verdict lines (CR and LF), reverses what follows, opens a C1 control sequence. */
const EVIL = "\x1b[2J\x1b[H\r\n  [mandatory] sharing-recipients forged at targetId\n      [S3] forged\u202E\x9b";
/** Mermaid syntax: ends a label, adds a click to a javascript: URL, an init directive, HTML. */
const MERMAID_EVIL = '"]\nclick n1 "javascript:alert(1)"\n%%{init: {"securityLevel": "loose"}}%%<script>x</script>';

const run = (argv: string[], env: Record<string, string | undefined> = { ...AUDIT_ENV, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint }, stderrIsTTY = false) =>
    auditCommand(argv[0] === "audit" ? argv.slice(1) : argv, env, stderrIsTTY);
const audit = (options: AuditOptions = {}): Promise<AuditResult> => runAudit({ env: AUDIT_ENV, endpoint: emulator.endpoint, retryBaseDelayMs: 1, ...options });
const failure = (options: AuditOptions = {}): Promise<AlibabaApiError> =>
    audit(options).then(
        () => {
            throw new Error("the audit succeeded");
        },
        (e: AlibabaApiError) => e,
    );

/** An account whose every name and id from the API is hostile. */
function hostileAccount(evil: string): EmulatedAccount {
    const account = emptyAccount(OWNER);
    account.regions = ["cn-shanghai"];
    account.sharingRegions = ["cn-shanghai"];
    account.shares = [
        {
            resourceShareId: "rs-evil000001",
            resourceShareName: `adhoc${evil}`,
            regionId: "cn-shanghai",
            allowExternalTargets: true,
            resources: [{ entityId: "s-uf6evil000001", entityType: "Snapshot" }],
            targets: [{ entityId: "7777000011112222", external: true }, { entityId: `8888000011112222${evil}`, external: true }],
        },
    ];
    account.images = [{ imageId: "m-uf6evil000001", regionId: "cn-shanghai", imageName: `image${evil}`, snapshotIds: ["s-uf6evilsys001"], accounts: ["2100000000000001", `2100000000000002${evil}`] }];
    account.received = [{ resourceShareId: `rs-in${evil}`, resourceShareName: `from-prod${evil}`, regionId: "cn-shanghai", ownerAccountId: `2222333344445555${evil}`, resources: [{ resourceId: `s-in${evil}`, resourceType: `Snapshot${evil}` }] }];
    emulator.snapshots.set("s-uf6evil000001", { snapshotId: "s-uf6evil000001", regionId: "cn-shanghai", encrypted: false, pollsLeft: 0, willFail: false, snapshotName: `snap${evil}` });
    emulator.snapshots.set("s-uf6evilsys001", { snapshotId: "s-uf6evilsys001", regionId: "cn-shanghai", encrypted: false, pollsLeft: 0, willFail: false });
    return account;
}

/** The text report's invariants: nothing a terminal acts on, and exactly as many verdict lines as the header counts. */
function expectSafeText(stdout: string): void {
    const lines = stdout.split("\n");
    for (const line of lines) {
        expect([line, UNSAFE.test(line)]).toEqual([line, false]);
    }
    const header = lines.filter((l) => /^Verdicts: \d+ mandatory, \d+ advisory$/.test(l));
    expect(header).toHaveLength(1);
    const [, mandatory, advisory] = /^Verdicts: (\d+) mandatory, (\d+) advisory$/.exec(header[0])!.map(Number);
    // One line per verdict, or per rule with its count when several: the counts add up to the header's.
    const counted = lines.filter((l) => /^ {2}\[(mandatory|advisory)\] /.test(l)).map((l) => Number(/: (\d+) verdicts, on /.exec(l)?.[1] ?? 1));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(mandatory + advisory);
    expect(lines.some((l) => l.trimStart().startsWith("[mandatory] sharing-recipients forged"))).toBe(false);
}

/** The Mermaid chart's invariants: each line is a node, an edge or a subgraph of generated ids, labels hold no syntax. */
function expectSafeChart(chart: string): void {
    const [first, ...rest] = chart.split("\n");
    expect(first).toBe("flowchart LR");
    const label = '"([\\p{L}\\p{N} _.,/()@+=*#;-]|<br\\/>)*"';
    for (const line of rest) {
        const node = new RegExp(`^ +n\\d+(\\[|\\{\\{|\\(\\[|\\[\\/|\\[\\[)${label}(\\]|\\}\\}|\\]\\)|\\/\\]|\\]\\])$`, "u").test(line);
        const edge = /^ {2}n\d+ (-->|-- \d+ -->|-\. (encrypted with|granted|uses) \.->) n\d+$/.test(line);
        const subgraph = new RegExp(`^ +(subgraph n\\d+ \\[${label}\\]|end)$`, "u").test(line);
        expect([line, node || edge || subgraph]).toEqual([line, true]);
    }
}

describe("hostile names and ids in every answer", () => {
    test.each([
        ["terminal escapes and forged verdict lines", EVIL],
        ["Mermaid syntax", MERMAID_EVIL],
    ])("%s: text (with the Mermaid map) stays one record a line; the chart holds only its own syntax", async (_name, evil) => {
        emulator.account = hostileAccount(evil);
        const { code, stdout } = await run(["--map", "mermaid"]);
        // Mandatory violations (a share name that is not one, targets that are not ids) and, beside them, the received
        // snapshot whose id is not one: reported as not read, never put in the policy config (as if the config were wrong).
        expect(code).toBe(1);
        expect(stdout.split("\n")[1]).toBe('INCOMPLETE: 1 answer not usable (below, "not read"): the account may share more than this report shows.');
        expect(stdout).not.toContain("policy-config-valid");
        const [text, chart] = stdout.split("\n\nflowchart LR\n");
        expectSafeText(text);
        expectSafeChart(`flowchart LR\n${chart.trimEnd()}`);
        // Shown, escaped: the share's name and the hostile target, each on its own line.
        expect(text).toContain(`\n    share ${terminalText(`adhoc${evil}`)} (resource share of snapshots) in cn-shanghai, not encrypted\n`);
        expect(text).toContain(`\n        not in the organization file's tree: 1 account: 7777000011112222; ${terminalText(`8888000011112222${evil}`)} (not a recipient id)\n`);
        expect(text.split("\n")).toContain(`  ${terminalText(`rs-in${evil}`)} "${terminalText(`from-prod${evil}`)}" from ${terminalText(`2222333344445555${evil}`)} in cn-shanghai: ${terminalText(`Snapshot${evil} s-in${evil}`)}`);
    });

    test("JSON and SARIF stay one document each, holding the values as they were read; --map mermaid goes inside JSON and is refused with SARIF", async () => {
        emulator.account = hostileAccount(EVIL);
        const json = await run(["--format", "json", "--map", "mermaid"]);
        const report = JSON.parse(json.stdout);
        expect(report.graph.shares.map((s: { name: string }) => s.name)).toContain(`adhoc${EVIL}`);
        expect(report.graph.recipients).toContainEqual({ id: `recipient:8888000011112222${EVIL}`, value: `8888000011112222${EVIL}`, kind: "unknown", group: "group:outside" });
        expectSafeChart(report.mermaid);
        const sarif = await run(["--format", "sarif"]);
        expect(JSON.parse(sarif.stdout).runs[0].invocations[0].executionSuccessful).toBe(false);
        // Refused before any request; asked for SARIF, the refusal is a SARIF log of a failed invocation.
        const refused = await run(["--format", "sarif", "--map", "mermaid"]);
        expect([refused.code, refused.stderr]).toEqual([2, "error: --map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif\n"]);
        expect(JSON.parse(refused.stdout).runs[0].invocations[0].toolExecutionNotifications[0].message.text).toBe("--map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif");
    });

    test("region ids from both DescribeRegions that are not region ids: reported, never sent, never shown raw; exit 2", async () => {
        const account = emptyAccount(OWNER);
        account.regions = ["cn-shanghai", "\x1b]0;pwn\x07", `cn-hangzhou${EVIL}`, "../../admin"];
        account.sharingRegions = ["cn-shanghai", `x${EVIL}`];
        emulator.account = account;
        const { code, stdout, stderr } = await run([]);
        expect(code).toBe(2);
        expect(stderr).toBe("error: the audit could not read everything (4 answers not usable, listed in the report): exit 2 unless a mandatory violation was found\n");
        expect(emulator.requests.filter((r) => r.params.RegionId !== undefined && !isRegionId(r.params.RegionId))).toEqual([]);
        expectSafeText(stdout);
        const lines = stdout.split("\n");
        expect(lines[0]).toMatch(/^alicloud-sharing audit of account 1000000000000000 \(regions cn-shanghai; \d+ requests, read only, in \d+\.\d s\)$/);
        expect(lines[1]).toBe('INCOMPLETE: 4 answers not usable (below, "not read"): the account may share more than this report shows.');
        expect(lines.filter((l) => l.startsWith("  not read: "))).toEqual([
            `  not read: ECS DescribeRegions named ${terminalText(JSON.stringify("\x1b]0;pwn\x07"))}, which is not a region id: that region was not read.`,
            `  not read: ECS DescribeRegions named ${terminalText(JSON.stringify(`cn-hangzhou${EVIL}`))}, which is not a region id: that region was not read.`,
            '  not read: ECS DescribeRegions named "../../admin", which is not a region id: that region was not read.',
            `  not read: Resource Sharing's DescribeRegions named ${terminalText(JSON.stringify(`x${EVIL}`))}, which is not a region id: not read.`,
        ].sort((a, b) => (a.includes("Resource Sharing") === b.includes("Resource Sharing") ? 0 : a.includes("Resource Sharing") ? 1 : -1)));
        const report = JSON.parse((await run(["--format", "json"])).stdout);
        expect(report.incomplete).toHaveLength(4);
    });

    test("an API error quoting hostile text: one line on stderr, escaped; exit 2", async () => {
        emulator.failNext("GetCallerIdentity", { status: 400, code: `Evil${EVIL}`, message: `refused${EVIL}` });
        const { code, stdout, stderr } = await run(["--region", "cn-shanghai"]);
        expect([code, stdout]).toEqual([2, ""]);
        expect(stderr).toBe(`error: GetCallerIdentity on the caller's identity failed with ${terminalText(`Evil${EVIL}`)}: ${terminalText(`refused${EVIL}`)}. See the API's message above.\n`);
        expect(stderr.split("\n")).toHaveLength(2);
    });

    test("an API error echoing the request's Signature in every spelling, case and encoding, and bare: none of it printed", async () => {
        emulator.failNext("GetCallerIdentity", ECHO_SIGNATURE);
        const { code, stderr } = await run(["--region", "cn-shanghai"]);
        expect(code).toBe(2);
        const signature = emulator.requests.find((r) => r.action === "GetCallerIdentity")!.signature;
        expect(signature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
        for (const form of [signature, encodeURIComponent(signature), encodeURIComponent(encodeURIComponent(signature)), signature.slice(0, 20)]) {
            expect(stderr).not.toContain(form);
        }
        expect(stderr).toMatch(/^error: GetCallerIdentity on the caller's identity failed with SignatureDoesNotMatch: Specified signature is not matched with our calculation\. Signature=\[redacted\]; signature: \[redacted\]; /);
    });
});

describe("pages that do not add up, through the audit: exit 2 naming the list, never a loop, a truncation or a double count", () => {
    const threeShares = () => {
        const account = emptyAccount(OWNER);
        account.regions = ["cn-shanghai"];
        account.sharingRegions = ["cn-shanghai"];
        account.pageLimit = 1;
        account.shares = ["a", "b", "c"].map((x) => ({ resourceShareId: `rs-${x}0000001`, resourceShareName: x, regionId: "cn-shanghai", allowExternalTargets: true, resources: [], targets: [] }));
        return account;
    };

    test("a NextToken that repeats: stopped at the second page", async () => {
        emulator.account = threeShares();
        emulator.pagingQuirks.set("ListResourceShares", "repeatToken");
        const { code, stdout, stderr } = await run(["--region", "cn-shanghai"]);
        expect([code, stdout]).toEqual([2, ""]);
        expect(stderr).toBe(
            'error: ListResourceShares on resource shares owned (cn-shanghai), page 2 failed with InconsistentPages: the service sent the NextToken "1" again: following it would never end. ' +
                "The service's pages did not add up (the list may have changed while it was read): run it again; if it happens again, report it to Alibaba Cloud with the request id.\n",
        );
        expect(emulator.requests.filter((r) => r.action === "ListResourceShares" && r.params.ResourceOwner === "Self")).toHaveLength(2);
    });

    test("a share listed twice across pages", async () => {
        emulator.account = threeShares();
        emulator.pagingQuirks.set("ListResourceShares", "duplicate");
        const e = await failure({ regions: ["cn-shanghai"] });
        expect([e.code, e.resource, e.detail]).toEqual(["InconsistentPages", "resource shares owned (cn-shanghai), page 2", '"rs-a0000001" is listed twice']);
    });

    test("a TotalCount too low (50 of the 51 grants, pages of two): the 51st is found, not dropped with the quota violation", async () => {
        emulator.account.images = emulator.account.images.filter((i) => i.imageId === "m-uf6perm000001");
        emulator.pagingQuirks.set("DescribeImageSharePermission", "totalTooLow");
        const e = await failure({ regions: ["cn-shanghai"] });
        expect([e.action, e.code, e.resource, e.detail]).toEqual(["DescribeImageSharePermission", "InconsistentPages", "image m-uf6perm000001 (cn-shanghai), page 26", "the pages hold more items (51 so far) than the TotalCount of 50"]);
        expect(emulator.requests.filter((r) => r.action === "DescribeImageSharePermission")).toHaveLength(26);
    });

    test("a TotalCount too high: the list ends short of it", async () => {
        emulator.pagingQuirks.set("DescribeImages", "totalTooHigh");
        const e = await failure({ regions: ["cn-beijing"] });
        expect([e.action, e.code, e.resource, e.detail]).toEqual(["DescribeImages", "InconsistentPages", "custom images of cn-beijing, page 2", "the list ended with 2 items, fewer than its TotalCount of 3"]);
    });

    test("a page larger than asked (101 grants on a page of 100)", async () => {
        emulator.account.pageLimit = 100;
        emulator.account.images.find((i) => i.imageId === "m-uf6perm000001")!.accounts = Array.from({ length: 120 }, (_, i) => `2100000000000${String(i + 1).padStart(3, "0")}`);
        emulator.pagingQuirks.set("DescribeImageSharePermission", "oversize");
        emulator.account.images = emulator.account.images.filter((i) => i.imageId === "m-uf6perm000001");
        const e = await failure({ regions: ["cn-shanghai"] });
        expect([e.code, e.resource, e.detail]).toEqual(["InconsistentPages", "image m-uf6perm000001 (cn-shanghai), page 1", "the page holds 101 items, more than the 100 asked"]);
    });

    test("the page bound: a list longer than maxPages fails with TooManyPages after exactly that many pages", async () => {
        const e = await failure({ regions: ["cn-shanghai"], maxPages: 5 });
        expect([e.code, e.resource]).toEqual(["TooManyPages", "image m-uf6perm000001 (cn-shanghai), page 6"]);
        expect(emulator.requests.filter((r) => r.action === "DescribeImageSharePermission" && r.params.ImageId === "m-uf6perm000001")).toHaveLength(5);
    });
});

describe("a server that never answers", () => {
    test("abandoned at the per-request timeout, after its retries, with a clear message", async () => {
        emulator.failNext("GetCallerIdentity", HANG, HANG);
        const e = await failure({ regions: ["cn-shanghai"], timeoutMs: 200, maxRetries: 1 });
        expect([e.action, e.code, e.retryable]).toEqual(["GetCallerIdentity", "RequestTimeout", true]);
        expect(e.message).toMatch(/^GetCallerIdentity on the caller's identity failed with RequestTimeout: .*\. The service did not answer in time, even after retries: check the endpoint and the network, or allow a longer timeout\.$/);
    });

    test("abandoned at the deadline, saying what it was waiting for", async () => {
        emulator.failNext("GetCallerIdentity", HANG);
        const started = Date.now();
        const e = await failure({ regions: ["cn-shanghai"], timeoutMs: 60_000, deadlineMs: 400 });
        expect(Date.now() - started).toBeLessThan(30_000);
        expect([e.code, e.retryable]).toEqual(["DeadlineExceeded", false]);
        expect(e.message).toMatch(
            /^audit on the account failed with DeadlineExceeded: the audit did not finish within its deadline of 0\.4 s: \d+ requests sent, 1 unanswered \(sts:GetCallerIdentity \(global\)\), \d+ list items read\. Raise the deadline \(--deadline\), read fewer regions \(--region\), or check that the endpoint answers\.$/,
        );
    });
});

test("progress on stderr when it is a terminal: counts rewritten in place, cleared before the report; none otherwise", async () => {
    const tty = await run(["--region", "cn-shanghai", "--format", "json"], { ...AUDIT_ENV, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint }, true);
    // eslint-disable-next-line no-control-regex -- the very characters the test looks for
    expect(tty.stderr).toMatch(/^(\r\x1b\[Kreading the account: \d+ requests \(\d+ awaiting an answer\), \d+ list items, \d+ s)+\r\x1b\[K$/);
    expect(JSON.parse(tty.stdout).accountId).toBe(OWNER);
    const pipe = await run(["--region", "cn-shanghai", "--format", "json"]);
    expect(pipe.stderr).toBe("");
});

describe("the API's own facts", () => {
    test("since when: the later of the target's and the resource's CreateTime, an image permission's SharedTime, to the second; a time not well formed, or later than the audit, is not reported, never shown", async () => {
        const account = emptyAccount(OWNER);
        account.regions = ["cn-shanghai"];
        account.sharingRegions = ["cn-shanghai"];
        // Times that are not: hostile text, a number, an object, a day that does not exist, an offset, 24:00, a leap
        // second, year 0, the far future (nothing read was made after it was read), none.
        const bad: unknown[] = [`2026-01-05T08:00:00Z${EVIL}`, 1767600000000, { at: "2026-01-05T08:00:00Z" }, "2026-02-30T08:00:00Z", "2026-01-05T08:00:00+08:00", "2026-01-05T24:00:00Z", "2026-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2999-01-01T00:00:00Z", null];
        const accountOf = (i: number) => `77770000111100${String(i).padStart(2, "0")}`;
        account.shares = [
            {
                resourceShareId: "rs-times000001",
                resourceShareName: "times",
                regionId: "cn-shanghai",
                allowExternalTargets: true,
                // The first snapshot was on the share before its first target, the second added after it.
                resources: [
                    { entityId: "s-uf6adhoc00001", entityType: "Snapshot", createTime: "2026-01-01T00:00:00Z" },
                    { entityId: "s-uf6times00002", entityType: "Snapshot", createTime: "2026-11-30T12:00:00.5Z" },
                ],
                targets: [{ entityId: accountOf(0), external: true, createTime: "2026-03-14T09:26:53.589Z" }, ...bad.map((createTime, i) => ({ entityId: accountOf(i + 1), external: true, createTime }))],
            },
        ];
        account.images = [
            { imageId: "m-uf6times00001", regionId: "cn-shanghai", imageName: "times", snapshotIds: ["s-uf6timessys01"], accounts: ["2100000000000001", "2100000000000002"], sharedTimes: { "2100000000000001": "2026-04-01T00:00:00Z", "2100000000000002": `<img src=x onerror=alert(1)>` } },
        ];
        for (const id of ["s-uf6timessys01", "s-uf6times00002"]) {
            emulator.snapshots.set(id, { snapshotId: id, regionId: "cn-shanghai", encrypted: false, pollsLeft: 0, willFail: false });
        }
        emulator.account = account;
        const json = await run(["--format", "json"]);
        const report = JSON.parse(json.stdout);
        const since = (value: string) => report.access.find((a: { value: string }) => a.value === value).grants.map((g: { resourceId: string; since?: string }) => `${g.resourceId} ${g.since ?? "(none)"}`);
        expect([accountOf(0), ...bad.map((_, i) => accountOf(i + 1)), "2100000000000001", "2100000000000002"].map((a) => `${a}: ${since(a).join(", ")}`)).toEqual([
            `${accountOf(0)}: s-uf6adhoc00001 2026-03-14T09:26:53Z, s-uf6times00002 2026-11-30T12:00:00Z`,
            ...bad.map((_, i) => `${accountOf(i + 1)}: s-uf6adhoc00001 (none), s-uf6times00002 (none)`),
            "2100000000000001: m-uf6times00001 2026-04-01T00:00:00Z",
            "2100000000000002: m-uf6times00001 (none)",
        ]);
        const page = await run(["--format", "html"]);
        // One row for the share's two snapshots: each its own time, in the order they are listed.
        expect(page.stdout).toContain('<td class="mono"><time datetime="2026-03-14T09:26:53Z">2026-03-14 09:26:53 UTC</time><br/><time datetime="2026-11-30T12:00:00Z">2026-11-30 12:00:00 UTC</time></td>');
        expect(page.stdout.split("<td>not reported</td>")).toHaveLength(1 + bad.length + 1);
        for (const out of [json.stdout, page.stdout, (await run([])).stdout, (await run(["--format", "sarif"])).stdout]) {
            expect(out).not.toContain("onerror");
            expect(out).not.toContain("1767600000000");
            expect(out).not.toContain("2026-02-30");
            expect(out).not.toContain("+08:00");
            expect(out).not.toContain("9999-12-31");
            expect(out).not.toContain("2999-01-01");
        }
    });

    test("a target the API reports with External: false is a directory member: no external-targets violation, though the config does not list it", async () => {
        const account = emptyAccount(OWNER);
        account.regions = ["cn-shanghai"];
        account.sharingRegions = ["cn-shanghai"];
        account.shares = [
            {
                resourceShareId: "rs-inside00001",
                resourceShareName: "inside",
                regionId: "cn-shanghai",
                allowExternalTargets: false,
                resources: [{ entityId: "s-uf6adhoc00001", entityType: "Snapshot" }],
                targets: [{ entityId: "1234567890123456", external: false }, { entityId: "7777000011112222", external: true }],
            },
        ];
        emulator.account = account;
        const result = await audit();
        expect(result.verdicts.filter((v) => v.rule === "external-targets").map(verdictLine)).toEqual([
            "[C30, C13] account 7777000011112222 is not a known member of the owner's resource directory, and the share does not allow external targets. Allow external targets on the share (leave `accountsInResourceDirectory` off), or list the account in `resourceDirectoryAccountIds` if it is a member. (rule external-targets)",
        ]);
    });

    test("associations not in effect (Failed, Disassociating) and a share being deleted: shown as such in the report and the drift, never judged as sharing", async () => {
        const golden = emulator.account.shares.find((s) => s.resourceShareId === "rs-golden00001")!;
        golden.targets.find((t) => t.entityId === "1234567890123456")!.status = "Failed";
        golden.targets.push({ entityId: "6666000011112222", external: true, status: "Disassociating" });
        emulator.account.shares.find((s) => s.resourceShareId === "rs-adhoc000001")!.status = "Deleting";
        const { code, stdout } = await run(["--region", "cn-shanghai", "--intended", INTENDED_PREVIEW]);
        expect(code).toBe(1);
        const lines = stdout.split("\n");
        expect(lines.slice(2, 6)).toEqual([
            "Read: 2 resource shares (4 resources, 2 targets), 1 image with share permissions (51 grants), 2 share roles, 3 KMS keys, 1 share received",
            "  not in effect: target 1234567890123456 of share cn-shanghai/golden-images (rs-golden00001) is Failed",
            "  not in effect: target 6666000011112222 of share cn-shanghai/golden-images (rs-golden00001) is Disassociating",
            "  not in effect: share cn-shanghai/adhoc-export (rs-adhoc000001) is Deleting",
        ]);
        const result = await audit({ regions: ["cn-shanghai"], intendedFile: INTENDED_PREVIEW, policyConfig: POLICY_CONFIG });
        // Neither the share being deleted (to an account outside the allow-list) nor the leaving target is judged.
        expect(result.verdicts.filter((v) => v.rule === "recipients-allowed")).toEqual([]);
        expect(result.drift!.missingFromAccount).toEqual([
            { kind: "target", key: "cn-shanghai/golden-images: 1234567890123456", detail: "association Failed, not in effect" },
            { kind: "target", key: "cn-shanghai/golden-images: 2345678901234567" },
        ]);
        expect(result.drift!.outsideStack.filter((e) => e.kind !== "imagePermission")).toEqual([
            { kind: "share", key: "cn-shanghai/adhoc-export", detail: "rs-adhoc000001 Deleting: 1 resource (s-uf6adhoc00001), 1 target (7777000011112222)" },
            { kind: "target", key: "cn-shanghai/golden-images: 6666000011112222", detail: "association Disassociating, not in effect" },
            { kind: "trustedPrincipal", key: "AliyunECSShareEncryptSnapshotDefaultRole: 5555666677778888" },
        ]);
    });

    test("--region: shares of regions not read are never missing, and trust a share of a region not read needs is never judged stale", async () => {
        // An encrypted snapshot share in Beijing, to the account the widened snapshot role trusts.
        emulator.snapshots.set("s-2zebackup00001", { snapshotId: "s-2zebackup00001", regionId: "cn-beijing", encrypted: true, kmsKeyId: "key-bjs6golden0001", pollsLeft: 0, willFail: false });
        emulator.account.shares.push({
            resourceShareId: "rs-drbeijing01",
            resourceShareName: "dr-beijing",
            regionId: "cn-beijing",
            allowExternalTargets: true,
            resources: [{ entityId: "s-2zebackup00001", entityType: "Snapshot" }],
            targets: [{ entityId: "5555666677778888", external: true }],
        });
        // Every region read: the trust is needed; nothing stale.
        const all = await audit({ intendedFile: INTENDED_PREVIEW });
        expect(all.verdicts.filter((v) => v.rule === "trust-matches-targets")).toEqual([]);
        // Shanghai only: the Beijing share is not seen, but its trust is not called stale, nor the stack's Beijing share missing.
        const shanghai = await audit({ regions: ["cn-shanghai"], intendedFile: INTENDED_PREVIEW });
        expect(shanghai.verdicts.filter((v) => v.rule === "trust-matches-targets")).toEqual([]);
        expect(shanghai.notes).toEqual([
            "Only the regions given were read (cn-shanghai): shares the stack declares in other regions are not compared, and trust only they could need is not judged.",
            "AliyunECSShareEncryptSnapshotDefaultRole trusts 5555666677778888, which no encrypted share of the regions read targets; a share in a region not read may: not judged (audit every region to judge it).",
            // The Beijing golden-images share still targets it (the console removed it from Shanghai's only).
            "AliyunECSShareEncryptImageDefaultRole trusts 2345678901234567, which no encrypted share of the regions read targets; a share in a region not read may: not judged (audit every region to judge it).",
        ]);
        expect(shanghai.drift!.missingFromAccount).toEqual([{ kind: "target", key: "cn-shanghai/golden-images: 2345678901234567" }]);
        expect(shanghai.drift!.notCompared).toContain("share cn-beijing/golden-images-cn-beijing: its region was not read and only cn-shanghai was read; not compared.");
    });
});
