/**
 * Text that scales, as whole outputs: the verdicts of one rule grouped (one line with the rule, the count and the
 * first few subjects; verbose lists all), the sharing map with each share's recipients grouped by directory and
 * folder, and hostile names kept to one line per record.
 */
import { emptyGraph } from "../../src/graph/model";
import { ReportModel, Verdict, reportModel } from "../../src/report/model";
import { renderMapText, renderText, renderVerdictsText, verdictMessage } from "../../src/report/text";
import { ISSUE_CASE, OrganizationCase, imagePermissionsGraph, organizationReport, untrustedPrincipals } from "./fixture";

/** Two allowed accounts in Production, seven refused in Development. */
const SMALL: OrganizationCase = {
    folders: [
        { id: "fd-prod", name: "Production", accounts: 2 },
        { id: "fd-dev", name: "Development", accounts: 7 },
    ],
};

const FIX = "Share only with recipients on the organization's allow-list, or ask the security team to add this one (`allowedRecipients`, in the organization file or the config).";
const refused = (account: string) => `[S3] "${account}" is not an allowed recipient. ${FIX}`;

describe("verdicts", () => {
    test("16 verdicts of one rule are one line naming the rule, the count and the first three subjects, then the first message", () => {
        expect(renderVerdictsText(organizationReport(ISSUE_CASE).verdicts)).toBe(
            [
                "  [mandatory] recipients-allowed (sharing-recipients): 16 verdicts, on backups at backups-9999999999999999.targetId; golden-images at golden-images-3000000000000026.targetId; golden-images at golden-images-3000000000000027.targetId and 13 more",
                `      first: ${refused("9999999999999999")}`,
            ].join("\n"),
        );
    });

    test("verdicts of one subject (a component's argument holding many offending values): the subject once, with its count", () => {
        const verdicts = untrustedPrincipals(["1234567890123456", "2345678901234567", "3456789012345678"]);
        const other = { ...verdicts[0], name: "dr", urn: "urn:pulumi:dev::p::alicloud-sharing:index:SharedSnapshot::dr" };
        expect(renderVerdictsText([...verdicts, other])).toBe(
            [
                '  [mandatory] trusted-principals-allowed (component): 4 verdicts, on SharedSnapshot "backups" at accountIds (3 times); SharedSnapshot "dr" at accountIds',
                `      first: ${verdictMessage(verdicts[0])}`,
            ].join("\n"),
        );
        expect(verdictMessage(verdicts[0])).toBe(`[S3, S1] the role trusts "1234567890123456", which is not an allowed recipient. ${FIX}`);
    });

    test("verbose lists every subject with its message", () => {
        const accounts = ["3000000000000003", "3000000000000004", "3000000000000005", "3000000000000006", "3000000000000007", "3000000000000008", "3000000000000009"];
        expect(renderVerdictsText(organizationReport(SMALL).verdicts, { verbose: true })).toBe(
            [
                "  [mandatory] recipients-allowed (sharing-recipients): 8 verdicts",
                "    backups at backups-9999999999999999.targetId",
                `      ${refused("9999999999999999")}`,
                ...accounts.flatMap((a) => [`    golden-images at golden-images-${a}.targetId`, `      ${refused(a)}`]),
            ].join("\n"),
        );
    });

    test("one verdict of a rule is its own two lines; mandatory first; a component's subject by its type, an audit's policy named, a policy's own message as it is", () => {
        const verdicts: Verdict[] = [
            { rule: "same-site", policy: "sharing-recipients", constraints: ["C3"], level: "advisory", message: "account 2 may be on another site.", fix: "Check the site.", path: "accountIds[0]", name: "dr", type: "alicloud-sharing:index:SharedSnapshot", urn: "urn:x", nodes: [], judgedBy: "pack" },
            { rule: "not-own-account", constraints: ["C2"], level: "mandatory", message: "the owner shares with itself.", fix: "Remove it.", path: "accountIds[1]", name: "dr", type: "alicloud-sharing:index:SharedSnapshot", nodes: [], judgedBy: "component" },
            { policy: "sharing-exemptions", constraints: [], level: "mandatory", message: "an exemption list is not valid", nodes: [], judgedBy: "audit" },
        ];
        expect(renderVerdictsText(verdicts)).toBe(
            [
                '  [mandatory] not-own-account (component) SharedSnapshot "dr" at accountIds[1]',
                "      [C2] the owner shares with itself. Remove it.",
                "  [mandatory] sharing-exemptions (audit: sharing-exemptions)",
                "      an exemption list is not valid",
                "  [advisory] same-site (sharing-recipients) dr at accountIds[0]",
                "      [C3] account 2 may be on another site. Check the site.",
            ].join("\n"),
        );
        expect(renderVerdictsText([])).toBe("  no violation");
    });
});

const MAP_HEAD = [
    "  owner account 1111111111111111",
    "    key key-backup0001abcd in cn-shanghai, deletion protection Enabled",
    "    key key-images0002abcd in cn-shanghai, deletion protection Enabled",
    "    snapshot s-backup01 (backup-1) in cn-shanghai, customer key key-backup0001abcd",
    "    snapshot s-backup02 (backup-2) in cn-shanghai, customer key key-backup0001abcd",
    "    snapshot s-backup03 (backup-3) in cn-shanghai, customer key key-backup0001abcd",
    "    image m-golden01 (golden-1) in cn-shanghai, customer key key-images0002abcd",
    "    image m-golden02 (golden-2) in cn-shanghai, not encrypted",
    "    role AliyunECSShareEncryptSnapshotDefaultRole, granted key-backup0001abcd",
    "    role AliyunECSShareEncryptImageDefaultRole, granted key-images0002abcd",
    "    share backups (resource share of snapshots) in cn-shanghai, customer key key-backup0001abcd, role AliyunECSShareEncryptSnapshotDefaultRole",
    "      s-backup01 (backup-1), s-backup02 (backup-2), s-backup03 (backup-3)",
    "      to 3 recipients:",
    "        directory rd-org1",
    "          root folder r-root1",
    "            folder fd-dr (Disaster recovery): 1 account: 2222222222222222 (dr-account)",
    "            folder fd-prod (Production): every member",
    "        not in the organization file's tree: 1 account: 9999999999999999",
    "    share golden-images (resource share of images) in cn-shanghai, customer key key-images0002abcd, role AliyunECSShareEncryptImageDefaultRole",
    "      m-golden01 (golden-1), m-golden02 (golden-2)",
];

describe("the sharing map", () => {
    test("owners, keys, items, roles and shares; each share's recipients by directory and folder, a folder's accounts on one line", () => {
        expect(renderMapText(organizationReport(SMALL).graph)).toBe(
            [
                ...MAP_HEAD,
                "      to 9 recipients:",
                "        directory rd-org1",
                "          root folder r-root1",
                "            folder fd-dev (Development): 7 accounts: 3000000000000003, 3000000000000004, 3000000000000005, 3000000000000006, 3000000000000007 and 2 more",
                "            folder fd-prod (Production): 2 accounts: 3000000000000001, 3000000000000002",
            ].join("\n"),
        );
    });

    test("verbose names every account", () => {
        expect(renderMapText(organizationReport(SMALL).graph, { verbose: true })).toBe(
            [
                ...MAP_HEAD,
                "      to 9 recipients:",
                "        directory rd-org1",
                "          root folder r-root1",
                "            folder fd-dev (Development): 7 accounts: 3000000000000003, 3000000000000004, 3000000000000005, 3000000000000006, 3000000000000007, 3000000000000008, 3000000000000009",
                "            folder fd-prod (Production): 2 accounts: 3000000000000001, 3000000000000002",
            ].join("\n"),
        );
    });

    test("1,000 recipients in 10 folders are 10 lines", () => {
        const lines = renderMapText(organizationReport({ folders: Array.from({ length: 10 }, (_, i) => ({ id: `fd-t${i}`, name: `T${i}`, accounts: 100 })) }).graph).split("\n");
        expect(lines).toHaveLength(MAP_HEAD.length + 3 + 10);
        expect(lines.at(-1)).toBe("            folder fd-t9 (T9): 100 accounts: 3000000000000901, 3000000000000902, 3000000000000903, 3000000000000904, 3000000000000905 and 95 more");
    });

    test("hostile names stay on their line, escaped", () => {
        const map = renderMapText(organizationReport({ ...SMALL, shareNames: { snapshots: "evil\n    share forged\x1b[2J", images: "\u202Egnp" }, folderNames: { "fd-dev": "a\rb" } }).graph);
        expect(map.split("\n")).toHaveLength(MAP_HEAD.length + 5);
        expect(map).toContain("    share evil\\n    share forged\\x1B[2J (resource share of snapshots)");
        expect(map).toContain("    share \\u202Egnp (resource share of images)");
        expect(map).toContain("            folder fd-dev (a\\rb): 7 accounts:");
    });
});

describe("nothing shared, in the text report as on the page", () => {
    test("every component refused: the map says they registered nothing (each counted once), not that the program shares nothing", () => {
        const verdicts = untrustedPrincipals(["1234567890123456", "2345678901234567"]);
        const other = { ...verdicts[0], name: "dr", urn: "urn:pulumi:dev::p::alicloud-sharing:index:SharedSnapshot::dr" };
        const text = (model: ReportModel) => renderText(model).split("\n").slice(-2);
        const refused = (v: Verdict[]) => reportModel({ tool: "preview", title: "offline preview of refused", graph: emptyGraph(), verdicts: v });
        expect(text(refused(verdicts))).toEqual(["Sharing map", "  Nothing shared: 1 component was refused and registered nothing (see Verdicts)."]);
        expect(text(refused([...verdicts, other]))).toEqual(["Sharing map", "  Nothing shared: 2 components were refused and registered nothing (see Verdicts)."]);
        // An advisory verdict of a component refuses nothing; a program with no share says so.
        expect(text(refused([{ ...verdicts[0], level: "advisory" }]))).toEqual(["Sharing map", "  Nothing shared: the program shares no snapshot or image with anyone."]);
        const audit = renderText({ ...refused([]), tool: "audit", reads: { accounts: [], regions: [], counts: [], received: [], notInEffect: [], notes: [], incomplete: [] } }).split("\n");
        expect(audit.slice(audit.indexOf("Sharing map"), audit.indexOf("Sharing map") + 2)).toEqual(["Sharing map", "  Nothing shared: what was read shares no snapshot or image with anyone."]);
    });
});

test("the text map reads the graph's recipients and groups once, not once per share (linear in shares x recipients)", () => {
    // N image permissions, each to one account outside the tree: every element read of the recipients and groups counted.
    const N = 300;
    const { account, graph: plain } = imagePermissionsGraph(N);
    const reads = { n: 0 };
    const counted = <T extends object>(list: T[]): T[] =>
        new Proxy(list, {
            get(target, key, receiver) {
                if (typeof key === "string" && /^\d+$/.test(key)) {
                    reads.n++;
                }
                return Reflect.get(target, key, receiver);
            },
        });
    // The accounts in one "outside the tree" group, as the graph view places accounts no organization file names.
    const graph = {
        ...plain,
        recipients: counted(plain.recipients.map((r) => ({ ...r, group: "group:outside" }))),
        groups: counted([{ id: "group:outside", kind: "outside", value: "", path: "" }]),
    };
    const text = renderMapText(graph as never);
    expect(text.split("\n").filter((l) => l.includes(account(N - 1)))).toHaveLength(1);
    // Once for the lookups (and a few for the view itself): N shares reading them each would be N x N = 90,000.
    expect(reads.n).toBeLessThan(4 * N);
});

test("the page cuts a long name in its graph on a character, never inside one (no half of a surrogate pair)", async () => {
    const { renderHtml } = await import("../../src/report/html");
    const model = organizationReport(SMALL);
    const long = `${"x".repeat(36)}${"\u{1F600}".repeat(8)}`;
    const page = await renderHtml({ ...model, graph: { ...model.graph, shares: model.graph.shares.map((s) => ({ ...s, name: long })) } });
    // The graph's labels (an SVG text's lines): cut after a whole emoji, never shown as half of one (`\uD83D`).
    const labels = [...page.matchAll(/<tspan[^>]*>([^<]*xxxx[^<]*)<\/tspan>/g)].map((m) => m[1]);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.filter((l) => /\\u[dD][89abAB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(l))).toEqual([]);
});

test("a page whose graph would need more boxes than can be read (1,000 image permissions, one account each) lists them instead of drawing them, under 2 MB", async () => {
    const { DRAWN_BOXES_LIMIT, renderHtml } = await import("../../src/report/html");
    const N = 1000;
    const { account, graph, access } = imagePermissionsGraph(N);
    const model = organizationReport(SMALL);
    const page = await renderHtml({
        ...model,
        verdicts: [],
        graph: graph as never,
        access: access as never,
    });
    const boxes = Number(/The graph would take (\d+) boxes, more than a picture can show legibly \((\d+)\): it is not drawn\./.exec(page)?.[1]);
    expect(boxes).toBeGreaterThan(DRAWN_BOXES_LIMIT);
    expect(page).not.toContain('<figure id="graph-figure"');
    // Every recipient is still in the page's tables, for the filter box.
    expect(page).toContain(account(N - 1));
    expect(Buffer.byteLength(page)).toBeLessThan(2 * 1024 * 1024);
    // The issue's page (40 accounts in folders) is still drawn.
    expect(await renderHtml(organizationReport(SMALL))).toContain('<figure id="graph-figure"');
});
