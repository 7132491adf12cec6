/**
 * The report model: the graph view (owners, items with their resolved encryption and key, shares with their roles and
 * keys, recipients in the directory and folder boxes of the organization file's tree), the per-recipient view (what
 * each account, folder or directory can use, through which share, with which key, inheriting what is shared with its
 * folders and directory), verdicts tied to the nodes they concern, and drift marks on the graph.
 */
import { at } from "../../src/intent/model";
import { emptyGraph } from "../../src/graph/model";
import type { SharingGraph } from "../../src/graph/model";
import { organizationOf } from "../../src/graph/organization";
import { ruleById, findingsOf, judgeSubject, judgeWith, ruleContext, rulesJudgedBy } from "../../src/rules/registry";
import { POLICY_KINDS, POLICY_NAMES } from "../../src/rules/enforcement";
import { contentsSubjects, directoryAndAccountSubjects, encryptionSubjects, keySubjects, limitSubjects, roleSubjects as shareRoleSubjects } from "../../src/rules/relations";
import { Relations } from "../../src/graph/resolve";
import { partialShareIntent } from "../../src/intent/model";
import type { AnyRule } from "../../src/rules/types";
import { Grant, organizationNames, recipientKind, reportModel, verdictOf } from "../../src/report/model";
import { renderHtml } from "../../src/report/html";
import { renderMermaid } from "../../src/report/mermaid";
import { renderMapText } from "../../src/report/text";
import { DIRECTORY, DR_ACCOUNT, ISSUE_CASE, OUTSIDER, ROOT, SHARE, SHARED_TARGET, memberId, organizationFile, organizationGraph, organizationReport, urn } from "./fixture";

const BACKUPS = urn(SHARE, "backups");
const GOLDEN = urn(SHARE, "golden-images");
const snapshot = (n: number) => urn("alicloud:ecs/ecsSnapshot:EcsSnapshot", `backup-${n}`);
const image = (n: number) => urn("alicloud:ecs/image:Image", `golden-${n}`);
const BACKUP_KEY = urn("alicloud:kms/key:Key", "backup-key");
const IMAGE_KEY = urn("alicloud:kms/key:Key", "image-key");

/** What a grant says, in one line: `kind id via share (encryption key) through target`. */
const grantLine = (g: Grant): string => `${g.kind} ${g.resourceId} via ${g.share.split("::").pop()} (${g.encryption}${g.keyId === undefined ? "" : ` ${g.keyId}`}) in ${g.region} through ${g.through}`;

describe("the graph view", () => {
    const model = organizationReport(ISSUE_CASE);

    test("groups: the directory, its root folder and folders (named by the organization file), and the box outside the tree", () => {
        expect(model.graph.groups).toEqual([
            { id: `group:${DIRECTORY}`, kind: "directory", value: DIRECTORY, path: DIRECTORY },
            { id: `group:${DIRECTORY}/${ROOT}`, kind: "rootFolder", value: ROOT, path: `${DIRECTORY}/${ROOT}`, parent: `group:${DIRECTORY}` },
            { id: `group:${DIRECTORY}/${ROOT}/fd-dev`, kind: "folder", value: "fd-dev", name: "Development", path: `${DIRECTORY}/${ROOT}/fd-dev`, parent: `group:${DIRECTORY}/${ROOT}` },
            { id: `group:${DIRECTORY}/${ROOT}/fd-dr`, kind: "folder", value: "fd-dr", name: "Disaster recovery", path: `${DIRECTORY}/${ROOT}/fd-dr`, parent: `group:${DIRECTORY}/${ROOT}` },
            { id: `group:${DIRECTORY}/${ROOT}/fd-prod`, kind: "folder", value: "fd-prod", name: "Production", path: `${DIRECTORY}/${ROOT}/fd-prod`, parent: `group:${DIRECTORY}/${ROOT}` },
            { id: "group:outside", kind: "outside", value: "", path: "" },
        ]);
    });

    test("each recipient in the box the tree places it in: a folder in its own, a member in its folder, anyone else outside", () => {
        const backups = model.graph.shares.find((s) => s.id === BACKUPS)!;
        expect(backups.recipients.map((id) => model.graph.recipients.find((r) => r.id === id))).toEqual([
            { id: `recipient:${DIRECTORY}/${ROOT}/fd-prod`, value: `${DIRECTORY}/${ROOT}/fd-prod`, kind: "folder", name: "Production", group: `group:${DIRECTORY}/${ROOT}/fd-prod`, path: `${DIRECTORY}/${ROOT}/fd-prod` },
            { id: `recipient:${DR_ACCOUNT}`, value: DR_ACCOUNT, kind: "account", name: "dr-account", group: `group:${DIRECTORY}/${ROOT}/fd-dr` },
            { id: `recipient:${OUTSIDER}`, value: OUTSIDER, kind: "account", group: "group:outside" },
        ]);
        expect(model.graph.recipients).toHaveLength(43);
    });

    test("shares with their items, keys and the share role they use; items with the key their encryption resolves to; roles with the keys granted them", () => {
        expect(model.graph.shares.map((s) => ({ id: s.id, name: s.name, encryption: s.encryption, keys: s.keys, items: s.items, roles: s.roles, recipients: s.recipients.length }))).toEqual([
            { id: BACKUPS, name: "backups", encryption: "key", keys: [BACKUP_KEY], items: [snapshot(1), snapshot(2), snapshot(3)], roles: [urn("alicloud:ram/role:Role", "snapshot-share-role")], recipients: 3 },
            { id: GOLDEN, name: "golden-images", encryption: "key", keys: [IMAGE_KEY], items: [image(1), image(2)], roles: [urn("alicloud:ram/role:Role", "image-share-role")], recipients: 40 },
        ]);
        expect(model.graph.items.map((i) => [i.resourceId, i.encryption, i.key, i.region])).toEqual([
            ["s-backup01", "key", BACKUP_KEY, "cn-shanghai"],
            ["s-backup02", "key", BACKUP_KEY, "cn-shanghai"],
            ["s-backup03", "key", BACKUP_KEY, "cn-shanghai"],
            ["m-golden01", "key", IMAGE_KEY, "cn-shanghai"],
            ["m-golden02", "none", undefined, "cn-shanghai"],
        ]);
        expect(model.graph.roles.map((r) => [r.name, r.keys])).toEqual([
            ["AliyunECSShareEncryptSnapshotDefaultRole", [BACKUP_KEY]],
            ["AliyunECSShareEncryptImageDefaultRole", [IMAGE_KEY]],
        ]);
        expect(model.graph.owners).toEqual([{ id: "owner:account:1111111111111111", account: "account:1111111111111111", accountId: "1111111111111111" }]);
    });

    test("without the organization file, every account is outside the tree and a folder path is a box of its own path", () => {
        const plain = reportModel({ tool: "preview", title: "t", graph: organizationGraph(ISSUE_CASE) });
        expect(plain.graph.groups.map((g) => [g.id, g.parent])).toEqual([
            [`group:${DIRECTORY}`, undefined],
            [`group:${DIRECTORY}/${ROOT}`, `group:${DIRECTORY}`],
            [`group:${DIRECTORY}/${ROOT}/fd-prod`, `group:${DIRECTORY}/${ROOT}`],
            ["group:outside", undefined],
        ]);
        expect(new Set(plain.graph.recipients.filter((r) => r.kind === "account").map((r) => r.group))).toEqual(new Set(["group:outside"]));
    });
});

describe("the per-recipient view", () => {
    const model = organizationReport(ISSUE_CASE);
    const of = (value: string) => model.access.find((a) => a.value === value);

    test("a member of a shared folder: what the share names it for, and what it inherits through its folder, with the keys", () => {
        expect(of(memberId(1))).toMatchObject({ kind: "account", place: `${DIRECTORY}/${ROOT}/fd-prod` });
        expect(of(memberId(1))!.grants.map(grantLine)).toEqual([
            "image m-golden01 via golden-images (key key-images0002abcd) in cn-shanghai through 3000000000000001",
            "image m-golden02 via golden-images (none) in cn-shanghai through 3000000000000001",
            "snapshot s-backup01 via backups (key key-backup0001abcd) in cn-shanghai through rd-org1/r-root1/fd-prod",
            "snapshot s-backup02 via backups (key key-backup0001abcd) in cn-shanghai through rd-org1/r-root1/fd-prod",
            "snapshot s-backup03 via backups (key key-backup0001abcd) in cn-shanghai through rd-org1/r-root1/fd-prod",
        ]);
    });

    test("a member of another folder gets only what it is named for; the DR account and the outsider theirs", () => {
        expect(of(memberId(30))!.grants.map(grantLine)).toEqual([
            "image m-golden01 via golden-images (key key-images0002abcd) in cn-shanghai through 3000000000000030",
            "image m-golden02 via golden-images (none) in cn-shanghai through 3000000000000030",
        ]);
        expect(of(DR_ACCOUNT)!.grants.map(grantLine)).toEqual([1, 2, 3].map((n) => `snapshot s-backup0${n} via backups (key key-backup0001abcd) in cn-shanghai through ${DR_ACCOUNT}`));
        expect(of(OUTSIDER)).toMatchObject({ kind: "account" });
        expect(of(OUTSIDER)!.place).toBeUndefined();
        expect(of(OUTSIDER)!.grants).toHaveLength(3);
    });

    test("listed folders and directories first, then accounts, by value", () => {
        expect(model.access.map((a) => a.value).slice(0, 3)).toEqual([`${DIRECTORY}/${ROOT}/fd-prod`, DR_ACCOUNT, memberId(1)]);
        expect(model.access).toHaveLength(43);
    });

    test("members a share reaches only through their directory or a folder given by id are listed too, with what reaches them", () => {
        const file = organizationFile(ISSUE_CASE);
        const graph: SharingGraph = emptyGraph();
        const item = { id: "item:s-one", kind: "snapshot" as const, resourceId: at("resourceId", "s-one0001"), region: at("region", "cn-shanghai"), account: "default", encryption: { kind: "serviceKey" as const, path: "encrypted" }, received: false };
        graph.items.set(item.id, item);
        const via = { urn: urn(SHARED_TARGET, "t"), name: "t", type: SHARED_TARGET };
        graph.shares.set("share:a", { id: "share:a", kind: "snapshot", method: "resourceShare", account: "default", region: at("region", "cn-shanghai"), items: [{ item: item.id, via, id: at("resourceId", "s-one0001") }], recipients: [{ value: at("targetId", DIRECTORY), via }, { value: at("targetId", "fd-dev"), via }], roleDependencies: new Set(), acknowledged: false });
        const m = reportModel({ tool: "audit", title: "t", graph, organization: organizationOf(file), names: organizationNames(file) });
        // The directory, the folder (by id, placed by the tree), then every member of the directory: 40 + the DR account.
        expect(m.access.map((a) => a.value).slice(0, 2)).toEqual([DIRECTORY, "fd-dev"]);
        expect(m.access).toHaveLength(2 + 41);
        expect(m.access.find((a) => a.value === memberId(26))!.grants.map(grantLine)).toEqual(["snapshot s-one0001 via share:a (serviceKey) in cn-shanghai through rd-org1", "snapshot s-one0001 via share:a (serviceKey) in cn-shanghai through fd-dev"]);
        expect(m.access.find((a) => a.value === memberId(1))!.grants.map(grantLine)).toEqual(["snapshot s-one0001 via share:a (serviceKey) in cn-shanghai through rd-org1"]);
        expect(m.graph.recipients.map((r) => [r.value, r.group, r.name])).toEqual([
            [DIRECTORY, `group:${DIRECTORY}`, undefined],
            ["fd-dev", `group:${DIRECTORY}/${ROOT}/fd-dev`, "Development"],
        ]);
    });
});

describe("verdicts and drift on the graph", () => {
    const rule = ruleById("recipients-allowed") as AnyRule;
    const finding = findingsOf(rule, [{ path: "targetId", message: "x is not allowed.", fix: "Remove x." }], { type: SHARED_TARGET, name: `backups-${OUTSIDER}`, urn: urn(SHARED_TARGET, `backups-${OUTSIDER}`) })[0];

    test("a finding becomes one verdict: rule, constraints, level, message, fix, path, subject, where judged", () => {
        expect(verdictOf(finding, { level: "mandatory", judgedBy: "pack", policy: "sharing-recipients" })).toEqual({
            rule: "recipients-allowed",
            policy: "sharing-recipients",
            constraints: ["S3"],
            level: "mandatory",
            message: "x is not allowed.",
            fix: "Remove x.",
            path: "targetId",
            urn: urn(SHARED_TARGET, `backups-${OUTSIDER}`),
            name: `backups-${OUTSIDER}`,
            type: SHARED_TARGET,
            nodes: [],
            judgedBy: "pack",
        });
    });

    test("a verdict without graph nodes is tied to the nodes its subject's resource makes; an unknown resource to none", () => {
        const onTarget = verdictOf(finding, { level: "mandatory", judgedBy: "audit" });
        const elsewhere = verdictOf({ ...finding, subject: { type: "t", name: "n", urn: "urn:pulumi:dev::x::t::n" } }, { level: "advisory", judgedBy: "pack" });
        const given = verdictOf(finding, { level: "mandatory", judgedBy: "pack", nodes: [snapshot(2), "not-a-node"] });
        const model = reportModel({ tool: "preview", title: "t", graph: organizationGraph(ISSUE_CASE), verdicts: [onTarget, elsewhere, given] });
        expect(model.verdicts.map((v) => v.nodes)).toEqual([[BACKUPS], [], [snapshot(2)]]);
    });

    test("drift entries mark the share, item, target and role they name, a trusted principal the role's trust of it; what the account lacks marks nothing", () => {
        const model = organizationReport(ISSUE_CASE, {
            tool: "audit",
            drift: {
                format: "stack export",
                outsideStack: [
                    { kind: "share", key: "cn-shanghai/backups" },
                    { kind: "resource", key: "cn-shanghai/backups: s-backup02", detail: "Snapshot" },
                    { kind: "target", key: `cn-shanghai/backups: ${OUTSIDER}` },
                    { kind: "trustedPrincipal", key: `AliyunECSShareEncryptImageDefaultRole: ${OUTSIDER}` },
                    { kind: "share", key: "cn-beijing/elsewhere" },
                ],
                missingFromAccount: [{ kind: "target", key: `cn-shanghai/golden-images: ${memberId(99)}` }],
                notCompared: ["something"],
            },
        });
        expect(model.drift).toEqual({
            format: "stack export",
            entries: [
                { side: "outsideStack", kind: "share", key: "cn-shanghai/backups", nodes: [BACKUPS] },
                { side: "outsideStack", kind: "resource", key: "cn-shanghai/backups: s-backup02", detail: "Snapshot", nodes: [snapshot(2)] },
                { side: "outsideStack", kind: "target", key: `cn-shanghai/backups: ${OUTSIDER}`, nodes: [`recipient:${OUTSIDER}`] },
                // The role is the stack's: the drift is its trust of the principal (the recipient it is), not the role.
                {
                    side: "outsideStack",
                    kind: "trustedPrincipal",
                    key: `AliyunECSShareEncryptImageDefaultRole: ${OUTSIDER}`,
                    nodes: [`recipient:${OUTSIDER}`],
                    trust: { roles: [urn("alicloud:ram/role:Role", "image-share-role")], principal: OUTSIDER },
                },
                { side: "outsideStack", kind: "share", key: "cn-beijing/elsewhere", nodes: [] },
                { side: "missingFromAccount", kind: "target", key: `cn-shanghai/golden-images: ${memberId(99)}`, nodes: [] },
            ],
            notCompared: ["something"],
        });
    });
});

describe("recipient kinds and organization names", () => {
    test.each([
        ["1234567890123456", "account"],
        ["rd-abc", "directory"],
        ["r-abc", "rootFolder"],
        ["fd-abc", "folder"],
        ["rd-abc/r-abc", "rootFolder"],
        ["rd-abc/r-abc/fd-x/fd-y", "folder"],
        ["rd-abc/fd-x", "unknown"],
        ["<script>", "unknown"],
    ])("%s is %s", (value, kind) => {
        expect(recipientKind(value)).toBe(kind);
    });

    test("names of folders and accounts, from the whole tree", () => {
        const names = organizationNames(organizationFile(ISSUE_CASE));
        expect([...names]).toEqual([
            ["fd-prod", "Production"],
            ["fd-dev", "Development"],
            ["fd-dr", "Disaster recovery"],
            [DR_ACCOUNT, "dr-account"],
        ]);
    });
});

describe("accounts in id order everywhere, whatever order a program registers them in", () => {
    // Two shares with the same three accounts outside the tree, registered in two other orders.
    const ACCOUNTS = ["1234567890123456", "2345678901234567", "3456789012345678"];
    const graph = organizationGraph(ISSUE_CASE);
    const reorder = (id: string, order: number[]) => {
        const share = graph.shares.get(id)!;
        share.recipients.splice(0, share.recipients.length, ...order.map((i) => ({ value: at("targetId", ACCOUNTS[i]), via: { urn: `${id}-${i}`, name: `t-${i}`, type: SHARED_TARGET } })));
    };
    reorder(BACKUPS, [2, 0, 1]);
    reorder(GOLDEN, [1, 2, 0]);
    const model = reportModel({ tool: "preview", title: "t", graph });

    test("the model: each share's recipients and the graph's", () => {
        expect(model.graph.shares.map((s) => s.recipients)).toEqual([ACCOUNTS.map((a) => `recipient:${a}`), ACCOUNTS.map((a) => `recipient:${a}`)]);
        expect(model.graph.recipients.map((r) => r.value)).toEqual(ACCOUNTS);
    });

    test("the text map, verbose or not, the Mermaid chart and the page", async () => {
        const line = `        not in the organization file's tree: 3 accounts: ${ACCOUNTS.join(", ")}`;
        for (const verbose of [false, true]) {
            expect(renderMapText(model.graph, { verbose }).split("\n").filter((l) => l.includes("not in the organization file's tree"))).toEqual([line, line]);
        }
        expect(renderMermaid(model.graph).split("\n").filter((l) => l.includes('["account '))).toEqual(ACCOUNTS.map((a, i) => `    n${14 + i}["account ${a}"]`));
        const page = await renderHtml(model);
        const table = page.slice(page.indexOf('<table id="shares-table">'));
        expect([...table.matchAll(/<li class="mono">(\d{16})<\/li>/g)].map((m) => m[1])).toEqual([...ACCOUNTS, ...ACCOUNTS]);
        expect([...page.matchAll(/<g class="n recipient[^"]*"[^>]*><title>account (\d{16})/g)].map((m) => m[1])).toEqual(ACCOUNTS);
    });
});

describe("the fixture is a setup the rules accept but for the verdicts it shows", () => {
    test("its graph, judged by every stack policy's rules, is refused nothing; its share targets, by the recipients policy's rules, exactly the fixture's verdicts", () => {
        // The subjects the pack's stack policies derive from a stack's graph, judged with the rules of every stack policy
        // (each subject's own `only` still applies), as the pack judges them: failing closed on what is unknown.
        const relations = new Relations(organizationGraph(ISSUE_CASE));
        const file = organizationFile(ISSUE_CASE);
        const context = ruleContext({
            organization: organizationOf(file),
            allowedRecipients: { accountIds: [], resourceDirectoryIds: [], folderPathPrefixes: [...file.allowedRecipients!.folderPathPrefixes!] },
            failClosedOnUnknown: true,
            today: "2026-12-01",
        });
        const stackRules = POLICY_NAMES.filter((p) => POLICY_KINDS[p] === "stack").flatMap((p) => rulesJudgedBy(p));
        const subjects = [limitSubjects, directoryAndAccountSubjects, contentsSubjects, shareRoleSubjects, keySubjects, encryptionSubjects].flatMap((derive) => derive(relations));
        expect(subjects.length).toBeGreaterThan(10);
        expect(subjects.flatMap((s) => judgeSubject(s, context, [...new Set(stackRules)]).map((f) => `${f.ruleId} on ${s.name}: ${f.message}`))).toEqual([]);
        // Each share's targets, by every rule of the policy that judges recipients: only the verdicts the report shows.
        const recipientRules = rulesJudgedBy("sharing-recipients").filter((r) => r.subject === "share");
        const found = [...relations.graph.shares.values()].flatMap((share) => {
            const intent = partialShareIntent(share.kind!, { targets: share.recipients.map((r) => ({ ...r.value, path: `${r.via.name}.targetId` })) });
            return judgeWith(recipientRules as never[], intent as never, context).map((f) => `${f.ruleId}: ${f.message}`);
        });
        expect(found).toEqual(organizationReport(ISSUE_CASE).verdicts.map((v) => `${v.rule}: ${v.message}`));
        expect(found).toHaveLength(16);
    });
});
