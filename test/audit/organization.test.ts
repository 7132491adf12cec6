/**
 * The organization, not one account: `org export` and `audit --directory` through Alibaba's SDK packages over real HTTP
 * against the emulator's organization (a resource directory, four members, STS sessions whose signatures and tokens
 * are checked and whose session policy is enforced): the exact file, the exact verdicts, owners, receipts, undeclared
 * shares and losses, a member that cannot be read reported while the others are read, bounded accounts at a time, and
 * nothing but the read actions (and AssumeRole) sent.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import * as ecsModels from "@alicloud/ecs20140526";
import * as ramModels from "@alicloud/ram20150501";
import Credential, { StaticSTSCredentialsProvider } from "@alicloud/credentials";
import { READ_ONLY_ACTIONS, productOfVersion, readOnlySessionPolicy } from "../../src/audit/actions";
import { auditContext, rpc } from "../../src/audit/clients";
import { OrgExportError, runOrgExport } from "../../src/audit/orgExport";
import { OrganizationAuditResult, organizationExitCode, runOrganizationAudit } from "../../src/audit/organization";
import { organizationReport } from "../../src/audit/report";
import { renderOrganizationText } from "../../src/audit/renderOrganization";
import { htmlText } from "../../src/report/safe";
import { renderHtml } from "../../src/report/html";
import { organizationOf } from "../../src/graph/organization";
import { main } from "../../src/cli/main";
import { organizationProblems } from "../../src/rules/settings";
import { apiSettings } from "../../src/sdk/settings";
import { serveEmulator } from "../../src/testing/serve";
import { ANALYTICS_ACCOUNT_ID, PAYMENTS_ACCOUNT_ID, RECOVERY_ACCOUNT_ID, SANDBOX_ACCOUNT_ID, loadOrganization } from "../../src/testing/organization";
import { Emulator, startEmulator } from "../support/emulator";
import { AUDIT_ENV, INTENDED_PREVIEW, OWNER } from "./fixture";

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
    emulator = await startEmulator();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-test-"));
});
afterAll(async () => {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
    loadOrganization(emulator);
    emulator.requests.splice(0);
    emulator.sessions.splice(0);
});

const audit = (options: Parameters<typeof runOrganizationAudit>[0] = {}) => runOrganizationAudit({ env: AUDIT_ENV, endpoint: emulator.endpoint, retryBaseDelayMs: 1, ...options });

/** The exported file of the fixture's directory. */
const EXPORTED = `# The organization file of resource directory rd-3G6Rt8, written by alicloud-sharing org export (read only).
# resourceDirectory is replaced on each export; allowedRecipients and accountSites, when written here, are kept.
resourceDirectory:
  id: rd-3G6Rt8
  rootFolderId: r-Wm2Xo1
  accounts:
    - id: "1000000000000000"
      name: management
    - id: "3456789012345678"
      name: recovery
  folders:
    - id: fd-bVaRIG8Zp1
      name: prod
      accounts:
        - id: "1234567890123456"
          name: payments
      folders:
        - id: fd-k3Pq9Zx2
          name: analytics
          accounts:
            - id: "2345678901234567"
              name: analytics
    - id: fd-Sbx4Lm7Q
      name: sandbox
      accounts:
        - id: "4567890123456789"
          name: sandbox
`;

describe("org export", () => {
    test("the directory's tree as the organization file, exactly; valid for every reader; read with the directory's three read actions, every page", async () => {
        emulator.account.pageLimit = 2;
        const result = await runOrgExport({ env: AUDIT_ENV, endpoint: emulator.endpoint });
        expect(result.text).toBe(EXPORTED);
        const parsed = yaml.load(result.text);
        expect(organizationProblems(parsed, "organization")).toEqual([]);
        expect(organizationOf(parsed as never).accountFolders.get(ANALYTICS_ACCOUNT_ID)).toBe("rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1/fd-k3Pq9Zx2");
        // Five members at two a page: three pages; the folders of the root (a full page that reaches the count, then the
        // empty page that proves it), of prod (likewise), of analytics and sandbox (empty).
        expect(emulator.requests.map((r) => `${r.action} ${r.params.ParentFolderId ?? ""}`.trim()).sort()).toEqual([
            "GetResourceDirectory",
            "ListAccounts",
            "ListAccounts",
            "ListAccounts",
            "ListFoldersForParent fd-Sbx4Lm7Q",
            "ListFoldersForParent fd-bVaRIG8Zp1",
            "ListFoldersForParent fd-bVaRIG8Zp1",
            "ListFoldersForParent fd-k3Pq9Zx2",
            "ListFoldersForParent r-Wm2Xo1",
            "ListFoldersForParent r-Wm2Xo1",
        ]);
    });

    test("--output keeps the allow-list and sites of the file it replaces, and writes JSON for a .json file", async () => {
        const file = path.join(dir, "organization.json");
        fs.writeFileSync(file, JSON.stringify({ resourceDirectory: { id: "rd-3G6Rt8", rootFolderId: "r-Wm2Xo1" }, allowedRecipients: { folderPathPrefixes: ["rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1"] }, accountSites: { "9999999999999999": "international" } }));
        const result = await runOrgExport({ env: AUDIT_ENV, endpoint: emulator.endpoint, output: file });
        expect(result.kept).toEqual(["allowedRecipients", "accountSites"]);
        const written = JSON.parse(fs.readFileSync(file, "utf8"));
        expect(written).toEqual({ ...(yaml.load(EXPORTED) as object), allowedRecipients: { folderPathPrefixes: ["rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1"] }, accountSites: { "9999999999999999": "international" } });
        expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });

    test("an existing file that is not an organization file is not replaced; a directory not read whole writes nothing", async () => {
        const file = path.join(dir, "broken.yaml");
        fs.writeFileSync(file, "resourceDirectory: { id: nope }\n");
        await expect(runOrgExport({ env: AUDIT_ENV, endpoint: emulator.endpoint, output: file })).rejects.toThrow(/broken\.yaml is not a valid organization file .*not replaced/);
        expect(fs.readFileSync(file, "utf8")).toBe("resourceDirectory: { id: nope }\n");

        const fresh = path.join(dir, "fresh.yaml");
        emulator.directory!.members.push({ accountId: "12345", displayName: "odd\u001b[2J", folderId: "r-Wm2Xo1" });
        emulator.directory!.folders.push({ folderId: "not-a-folder", folderName: "x", parentFolderId: "r-Wm2Xo1" });
        const failure = runOrgExport({ env: AUDIT_ENV, endpoint: emulator.endpoint, output: fresh });
        await expect(failure).rejects.toThrow(OrgExportError);
        await expect(failure).rejects.toThrow(
            'the directory was not read whole, so no organization file was written:\n  ListFoldersForParent named "not-a-folder" in r-Wm2Xo1, which is not a folder id (fd-…): not read.\n  ListAccounts named "12345", which is not an account id (16 digits): not read.',
        );
        expect(fs.existsSync(fresh)).toBe(false);
    });

    test("folders five levels deep (a directory's deepest) are exported; a sixth level is not used, and nothing is written", async () => {
        let parent = "r-Wm2Xo1";
        for (let i = 1; i <= 5; i++) {
            emulator.directory!.folders.push({ folderId: `fd-level${i}xxx`, folderName: `level${i}`, parentFolderId: parent });
            parent = `fd-level${i}xxx`;
        }
        const deep = await runOrgExport({ env: AUDIT_ENV, endpoint: emulator.endpoint });
        expect(deep.directory.folders.map((f) => f.id).filter((id) => id.startsWith("fd-level"))).toEqual(["fd-level1xxx", "fd-level2xxx", "fd-level3xxx", "fd-level4xxx", "fd-level5xxx"]);
        // The fifth level's children are asked for (to know there are none): one request per level, and one more.
        expect(emulator.requests.filter((r) => r.action === "ListFoldersForParent" && r.params.ParentFolderId === "fd-level5xxx")).toHaveLength(1);

        emulator.directory!.folders.push({ folderId: "fd-level6xxx", folderName: "level6", parentFolderId: parent });
        emulator.directory!.members.find((m) => m.accountId === RECOVERY_ACCOUNT_ID)!.folderId = "fd-level6xxx";
        const file = path.join(dir, "deep.yaml");
        await expect(runOrgExport({ env: AUDIT_ENV, endpoint: emulator.endpoint, output: file })).rejects.toThrow(
            "the directory was not read whole, so no organization file was written:\n" +
                "  ListFoldersForParent named the folder fd-level6xxx in fd-level5xxx, 6 levels below the root folder, deeper than a resource directory nests folders (5 levels): neither it nor what it holds was used.\n" +
                `  ListAccounts placed the member ${RECOVERY_ACCOUNT_ID} in "fd-level6xxx", which is not a folder of the tree read: not placed, not audited.`,
        );
        expect(fs.existsSync(file)).toBe(false);
    });

    test("the file of another resource directory is not replaced: the refusal names both directories, the file is unchanged, no temporary file is left", async () => {
        const file = path.join(dir, "another.yaml");
        const other = "resourceDirectory:\n  id: rd-OTHER1\n  rootFolderId: r-OTHER1\n";
        fs.writeFileSync(file, other);
        await expect(runOrgExport({ env: AUDIT_ENV, endpoint: emulator.endpoint, output: file })).rejects.toThrow(
            `${file} is the organization file of resource directory rd-OTHER1, not of rd-3G6Rt8 (the directory of these credentials): not replaced (its allow-list and sites are that directory's); write to another file, or move it away to write a new one`,
        );
        expect(fs.readFileSync(file, "utf8")).toBe(other);
        expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });

    test("the command prints the file, or writes it and says so on stderr; a caller that manages no directory exits 2", async () => {
        const out: string[] = [];
        const err: string[] = [];
        const env = { ...AUDIT_ENV, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint };
        const { cli } = await import("../../src/cli/main");
        const run = async (...argv: string[]) => {
            out.splice(0);
            err.splice(0);
            const { program, exit } = cli({ stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { env });
            await program.parseAsync(argv, { from: "user" });
            return exit.code;
        };
        expect(await run("org", "export")).toBe(0);
        expect(out.join("")).toBe(EXPORTED);
        expect(err.join("")).toBe("the organization file of 3 folders and 5 members of rd-3G6Rt8 (10 requests, read only)\n");
        const file = path.join(dir, "org.yaml");
        expect(await run("org", "export", "--output", file)).toBe(0);
        expect(fs.readFileSync(file, "utf8")).toBe(EXPORTED);
        expect(err.join("")).toBe(`wrote ${file}: 3 folders and 5 members of rd-3G6Rt8 (10 requests, read only)\n`);
        emulator.directory = undefined;
        expect(await run("org", "export")).toBe(2);
        expect(err.join("")).toMatch(/^error: GetResourceDirectory on the resource directory failed with EntityNotExists\.ResourceDirectory: The resource directory does not exist\. /);
    });
});

describe("audit --directory", () => {
    let result: OrganizationAuditResult;
    let requests: Emulator["requests"];
    let sessions: Emulator["sessions"];
    beforeAll(async () => {
        loadOrganization(emulator);
        emulator.requests.splice(0);
        emulator.sessions.splice(0);
        result = await audit({ intended: [JSON.parse(fs.readFileSync(INTENDED_PREVIEW, "utf8"))], intendedFiles: [INTENDED_PREVIEW], removing: ["rs-drbackups01", "rs-golden00001", "rs-adhoc000001", "m-uf6perm000001", "rs-nosuchshare"] });
        // What the emulator saw of this audit (each test starts the emulator afresh).
        requests = [...emulator.requests];
        sessions = [...emulator.sessions];
    });

    test("every account read through its access role but the one whose role is gone, which is reported; exit 1 for the mandatory verdicts", () => {
        expect(result.accounts.map((a) => [a.accountId, a.name, a.path, a.management, a.read !== undefined])).toEqual([
            [OWNER, "management", "rd-3G6Rt8/r-Wm2Xo1", true, true],
            [RECOVERY_ACCOUNT_ID, "recovery", "rd-3G6Rt8/r-Wm2Xo1", false, true],
            [PAYMENTS_ACCOUNT_ID, "payments", "rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1", false, true],
            [ANALYTICS_ACCOUNT_ID, "analytics", "rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1/fd-k3Pq9Zx2", false, true],
            [SANDBOX_ACCOUNT_ID, "sandbox", "rd-3G6Rt8/r-Wm2Xo1/fd-Sbx4Lm7Q", false, false],
        ]);
        expect(result.accounts[4].error).toBe(
            "AssumeRole on the role ResourceDirectoryAccountAccessRole of 4567890123456789 failed with EntityNotExist.Role: The specified Role not exists: acs:ram::4567890123456789:role/ResourceDirectoryAccountAccessRole. Create the role ResourceDirectoryAccountAccessRole in 4567890123456789, trusting the management account (the directory makes it only in the accounts it creates, not in those invited), or name another role the management account may assume there with --access-role.",
        );
        expect(organizationExitCode(result)).toBe(1);
        expect(organizationExitCode({ ...result, verdicts: result.verdicts.filter((v) => v.level !== "mandatory") })).toBe(2);
    });

    test("judged as one graph: the management account's verdicts and the payments account's, a member's share to a member keeping external targets off, no snapshot taken for re-shared", () => {
        expect(result.verdicts.map((v) => `${v.level} ${v.rule}@${v.urn!.split("::")[1]}/${v.name}`).sort()).toEqual([
            `advisory directory-and-accounts@${OWNER}/rs-golden00001/m-uf6golden00001`,
            `advisory directory-and-accounts@${OWNER}/rs-golden00001/m-uf6golden00002`,
            `advisory directory-and-accounts@${OWNER}/rs-goldenbj001/m-2zecopy0000001`,
            `advisory directory-and-accounts@${OWNER}/rs-goldenbj001/m-2zecopy0000002`,
            `advisory unencrypted-snapshot-acknowledged@${OWNER}/rs-adhoc000001`,
            `advisory unencrypted-snapshot-acknowledged@${PAYMENTS_ACCOUNT_ID}/rs-paylogs0001`,
            `mandatory image-account-quota@${OWNER}/m-uf6perm000001/2100000000000001`,
            `mandatory shared-key-protected@${OWNER}/key-bjs6golden0001`,
            `mandatory trust-matches-targets@${OWNER}/AliyunECSShareEncryptSnapshotDefaultRole`,
        ]);
        // The live tree is the organization file the policies judged with.
        expect(result.organization.resourceDirectory!.folders!.map((f) => f.id)).toEqual(["fd-bVaRIG8Zp1", "fd-Sbx4Lm7Q"]);
    });

    test("what each owner shares and what each account receives, through accounts, folders below folders, and from outside the directory", () => {
        expect(result.owners.map((s) => `${s.ownerAccountId} ${s.via} ${s.id} -> ${s.targets.length}`)).toEqual([
            `${OWNER} resource share rs-goldenbj001 -> 3`,
            `${OWNER} resource share rs-drbackups01 -> 1`,
            `${OWNER} resource share rs-golden00001 -> 2`,
            `${OWNER} resource share rs-adhoc000001 -> 1`,
            `${OWNER} image permission m-uf6perm000001 -> 51`,
            `${PAYMENTS_ACCOUNT_ID} resource share rs-paylogs0001 -> 1`,
        ]);
        const receipts = Object.fromEntries([...result.receipts].map(([a, rs]) => [a, rs.map((r) => `${r.fromAccountId} ${r.shareId} via ${r.via}`)]));
        expect(receipts).toEqual({
            [OWNER]: ["2222333344445555 rs-fromprod001 via outside the directory"],
            [RECOVERY_ACCOUNT_ID]: [`${OWNER} rs-drbackups01 via account`, `${PAYMENTS_ACCOUNT_ID} rs-paylogs0001 via account`, "9876543210987654 rs-partner0001 via outside the directory"],
            [PAYMENTS_ACCOUNT_ID]: [`${OWNER} rs-goldenbj001 via account, folder fd-bVaRIG8Zp1`, `${OWNER} rs-golden00001 via account, folder fd-bVaRIG8Zp1`],
            [ANALYTICS_ACCOUNT_ID]: [`${OWNER} rs-goldenbj001 via account, folder fd-bVaRIG8Zp1`, `${OWNER} rs-golden00001 via folder fd-bVaRIG8Zp1`],
            [SANDBOX_ACCOUNT_ID]: [],
        });
    });

    test("shares no stack declares: the console share, the 51 grants, and the payments account's share no stack given declares", () => {
        const shares = result.undeclared!.shares;
        expect(result.undeclared!.sources).toEqual(["demo-preview.json"]);
        expect(shares.filter((u) => u.kind === "share")).toEqual([
            { accountId: OWNER, kind: "share", key: "cn-shanghai/adhoc-export (rs-adhoc000001)" },
            { accountId: PAYMENTS_ACCOUNT_ID, kind: "share", key: "cn-shanghai/payments-logs (rs-paylogs0001)" },
        ]);
        expect(shares.filter((u) => u.kind === "imagePermission").length).toBe(51);
    });

    test("who loses what (C15): the disks made from the backups, the instances of the golden image, recipients outside the directory unknown", () => {
        const losses = Object.fromEntries(
            result.removals.map((r) => [r.id, r.share === undefined ? r.note : r.recipients.map((l) => `${l.accountId} via ${l.via}: ${l.readable ? [...l.disks.map((d) => d.id), ...l.instances.map((i) => i.id)].join(",") || "nothing" : l.reason}`)]),
        );
        expect(losses).toEqual({
            "rs-drbackups01": [`${RECOVERY_ACCOUNT_ID} via account: d-uf6restore001,d-uf6restore002`],
            "rs-golden00001": [`${PAYMENTS_ACCOUNT_ID} via account: i-uf6payapp0001`, `${ANALYTICS_ACCOUNT_ID} via folder fd-bVaRIG8Zp1: nothing`],
            "rs-adhoc000001": ["7777000011112222 via account: outside the directory: its account cannot be read"],
            "m-uf6perm000001": expect.arrayContaining(["2100000000000001 via image permission: outside the directory: its account cannot be read"]),
            "rs-nosuchshare": "rs-nosuchshare is not a resource share in effect of an account read; 1 account was not read: it may be one of theirs",
        });
        // Asked in each readable recipient, filtered by the share's snapshot or image, in the share's region; a page that
        // reaches the count is followed by the empty page that proves it (the paging helper).
        const asked = requests
            .filter((r) => r.action === "DescribeDisks" || r.action === "DescribeInstances")
            .map((r) => `${r.action} ${r.params.RegionId} ${r.params.SnapshotId ?? r.params.ImageId} page ${r.params.PageNumber} in ${sessions.find((s) => s.accessKeyId === r.params.AccessKeyId)?.accountId}`);
        expect(asked.sort()).toEqual([
            `DescribeDisks cn-shanghai s-uf6backup00001 page 1 in ${RECOVERY_ACCOUNT_ID}`,
            `DescribeDisks cn-shanghai s-uf6backup00001 page 2 in ${RECOVERY_ACCOUNT_ID}`,
            `DescribeDisks cn-shanghai s-uf6backup00002 page 1 in ${RECOVERY_ACCOUNT_ID}`,
            `DescribeInstances cn-shanghai m-uf6golden00001 page 1 in ${PAYMENTS_ACCOUNT_ID}`,
            `DescribeInstances cn-shanghai m-uf6golden00001 page 1 in ${ANALYTICS_ACCOUNT_ID}`,
            `DescribeInstances cn-shanghai m-uf6golden00001 page 2 in ${PAYMENTS_ACCOUNT_ID}`,
            `DescribeInstances cn-shanghai m-uf6golden00002 page 1 in ${PAYMENTS_ACCOUNT_ID}`,
            `DescribeInstances cn-shanghai m-uf6golden00002 page 1 in ${ANALYTICS_ACCOUNT_ID}`,
        ].sort());
    });

    test("read only: every request on the allow-list, every member read with its own session, each session limited to the read actions", () => {
        for (const r of requests) {
            const product = productOfVersion(r.params.Version)!;
            expect(READ_ONLY_ACTIONS[product]).toContain(r.action);
        }
        expect(sessions.map((s) => [s.accountId, s.roleArn, s.roleSessionName, s.callerAccountId]).sort()).toEqual(
            [RECOVERY_ACCOUNT_ID, PAYMENTS_ACCOUNT_ID, ANALYTICS_ACCOUNT_ID].map((a) => [a, `acs:ram::${a}:role/resourcedirectoryaccountaccessrole`, "alicloud-sharing-audit", OWNER]).sort(),
        );
        expect(new Set(sessions.flatMap((s) => s.allowedActions!))).toEqual(new Set(JSON.parse(readOnlySessionPolicy()).Statement[0].Action));
        // Each member's requests were signed with its session's credentials (the emulator served them from its account).
        for (const s of sessions) {
            const own = requests.filter((r) => r.params.AccessKeyId === s.accessKeyId);
            expect(own.length).toBeGreaterThan(5);
            expect(own.every((r) => r.params.SecurityToken === s.securityToken)).toBe(true);
        }
        // No temporary credential reaches the report.
        const text = renderOrganizationText(result);
        for (const s of sessions) {
            expect(text).not.toContain(s.accessKeyId);
            expect(text).not.toContain(s.securityToken);
        }
    });

    test("the report model of the organization: every owner in one graph, members placed in the live tree; the page shows who can use what", async () => {
        const model = organizationReport(result);
        expect(model.graph.owners.map((o) => o.accountId)).toEqual([OWNER, PAYMENTS_ACCOUNT_ID]);
        // The live tree names the folders: analytics (a member of prod's sub-folder) can use the golden images through fd-bVaRIG8Zp1.
        const analytics = model.access.find((a) => a.value === ANALYTICS_ACCOUNT_ID)!;
        expect([analytics.name, analytics.place, [...new Set(analytics.grants.map((g) => `${g.resourceId} via ${g.through}`))].sort()]).toEqual([
            "analytics",
            "rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1/fd-k3Pq9Zx2",
            ["m-2zecopy0000001 via 2345678901234567", "m-2zecopy0000002 via 2345678901234567", "m-2zecopy0000002 via fd-bVaRIG8Zp1", "m-uf6golden00001 via fd-bVaRIG8Zp1", "m-uf6golden00002 via fd-bVaRIG8Zp1", "m-2zecopy0000001 via fd-bVaRIG8Zp1"].sort(),
        ]);
        const page = await renderHtml(model);
        expect(page).toContain("<title>alicloud-sharing audit report: audit of resource directory rd-3G6Rt8 (management account 1000000000000000; 5 accounts, 4 read, 1 not read;");
        // The page says what the text says: the accounts not read and the answers not usable, each counted as such.
        expect(page).toContain('<p class="incomplete" role="alert">Incomplete: 1 account not read, 0 answers not usable (below): the organization may share more than this report shows.</p>');
        expect(renderOrganizationText(result).split("\n")[1]).toBe('INCOMPLETE: 1 account not read, 0 answers not usable (below): the organization may share more than this report shows.');
        expect([...page.matchAll(/<li>(\d+ [a-z ]+)<\/li>/g)].map((m) => m[1])).toEqual(["4 accounts read", "5 resource shares", "1 image with share permissions"]);
        // What the text says of the shares no stack declares and of the removals, the page says line for line.
        const text = renderOrganizationText(result).split("\n");
        const sectionOf = (heading: string) => {
            const from = text.slice(text.findIndex((l) => l.startsWith(heading)));
            return from.slice(0, from.includes("") ? from.indexOf("") : from.length);
        };
        const undeclared = sectionOf("Shares no stack declares");
        const removals = sectionOf("If removed");
        // The heading and three lines; the heading, five shares asked and 55 recipients (the image's 51 grantees one line each, as the text has them).
        expect([undeclared.length, removals.length]).toEqual([4, 61]);
        for (const line of [...undeclared, ...removals]) {
            expect(page).toContain(htmlText(line.trim()));
        }
        // The undeclared shares are marked on the graph: the console share and the payments account's, the image's permissions and their 51 grantees.
        const names = new Map([...model.graph.shares, ...model.graph.recipients].map((n) => [n.id, "name" in n ? `share ${n.name}` : n.value]));
        const marked = new Set(model.undeclared!.shares.flatMap((u) => u.nodes.map((n) => names.get(n))));
        expect([...marked].filter((n) => n!.startsWith("share"))).toEqual(["share adhoc-export", "share m-uf6perm000001", "share payments-logs"]);
        expect(marked.size).toBe(3 + 51);
    });

    test("the text report: accounts, verdicts by account, owners, receipts, undeclared shares and losses", () => {
        const text = renderOrganizationText(result).split("\n");
        expect(text[0]).toMatch(/^alicloud-sharing audit of resource directory rd-3G6Rt8 \(management account 1000000000000000; 5 accounts, 4 read, 1 not read; regions ap-northeast-1, cn-beijing, cn-hangzhou, cn-shanghai; \d+ requests, read only, in \d+\.\d s\)$/);
        expect(text).toEqual(
            expect.arrayContaining([
                "INCOMPLETE: 1 account not read, 0 answers not usable (below): the organization may share more than this report shows.",
                "  1000000000000000 management, the management account, in rd-3G6Rt8/r-Wm2Xo1: 4 resource shares, 1 image with share permissions, 2 share roles, 3 KMS keys",
                "  4567890123456789 sandbox in rd-3G6Rt8/r-Wm2Xo1/fd-Sbx4Lm7Q: not read: AssumeRole on the role ResourceDirectoryAccountAccessRole of 4567890123456789 failed with EntityNotExist.Role: The specified Role not exists: acs:ram::4567890123456789:role/ResourceDirectoryAccountAccessRole. Create the role ResourceDirectoryAccountAccessRole in 4567890123456789, trusting the management account (the directory makes it only in the accounts it creates, not in those invited), or name another role the management account may assume there with --access-role.",
                "Verdicts: 3 mandatory, 6 advisory",
                "  account 1234567890123456 payments:",
                "    cn-shanghai/payments-logs (rs-paylogs0001): 1 snapshot s-uf6paylogs001 -> 3456789012345678",
                "    from 9876543210987654 (outside the directory): cn-shanghai/partner-dataset (rs-partner0001): Snapshot s-uf6partner001",
                "    from 1000000000000000: cn-shanghai/golden-images (rs-golden00001) via folder fd-bVaRIG8Zp1: Image m-uf6golden00001, Image m-uf6golden00002",
                "Shares no stack declares (demo-preview.json): 2 shares, 51 image grants",
                "  1000000000000000: image permission m-uf6perm000001 to 51 (2100000000000001, 2100000000000002, 2100000000000003, 2100000000000004, 2100000000000005 and 46 more)",
                "  rs-drbackups01 \"dr-backups\" of 1000000000000000 in cn-shanghai (s-uf6backup00001, s-uf6backup00002):",
                "    3456789012345678 (via account): loses disk d-uf6restore001 (from s-uf6backup00001, attached to i-uf6restore01), disk d-uf6restore002 (from s-uf6backup00001)",
                "    2345678901234567 (via folder fd-bVaRIG8Zp1): nothing made from it",
                "  rs-nosuchshare: rs-nosuchshare is not a resource share in effect of an account read; 1 account was not read: it may be one of theirs",
            ]),
        );
    });
});

describe("accounts at a time, and the emulator's sessions", () => {
    test("with --account-concurrency 1 each member is read whole before the next is assumed", async () => {
        await audit({ accountConcurrency: 1, regions: ["cn-shanghai"] });
        const index = (s: { accessKeyId: string }) => emulator.requests.map((r, i) => (r.params.AccessKeyId === s.accessKeyId ? i : -1)).filter((i) => i >= 0);
        const assumed = emulator.requests.map((r, i) => (r.action === "AssumeRole" ? i : -1)).filter((i) => i >= 0);
        expect(assumed.length).toBe(4);
        emulator.sessions.forEach((s, n) => {
            const own = index(s);
            expect(Math.min(...own)).toBeGreaterThan(assumed[n]);
            expect(Math.max(...own)).toBeLessThan(assumed[n + 1]);
        });
    });

    test("AssumeRole is refused for a role that does not trust the caller; a session can call only what its policy allows", async () => {
        const ctx = auditContext(apiSettings({ env: AUDIT_ENV, region: "cn-hangzhou", endpoint: emulator.endpoint, maxRetries: 0 }), 4);
        emulator.accounts.get(PAYMENTS_ACCOUNT_ID)!.roles.get("ResourceDirectoryAccountAccessRole")!.assumeRolePolicyDocument = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: ["acs:ram::9999999999999999:root"] } }] });
        await expect(rpc(ctx, "sts", "cn-hangzhou", "AssumeRole", "payments", { RoleArn: `acs:ram::${PAYMENTS_ACCOUNT_ID}:role/ResourceDirectoryAccountAccessRole`, RoleSessionName: "t1" })).rejects.toThrow(/failed with NoPermission/);
        const body = await rpc(ctx, "sts", "cn-hangzhou", "AssumeRole", "recovery", {
            RoleArn: `acs:ram::${RECOVERY_ACCOUNT_ID}:role/ResourceDirectoryAccountAccessRole`,
            RoleSessionName: "t2",
            Policy: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: ["ecs:Describe*"], Resource: "*" }] }),
        });
        const c = body.Credentials as Record<string, string>;
        const session = ctx.withCredential(new Credential(null, StaticSTSCredentialsProvider.builder().withAccessKeyId(c.AccessKeyId).withAccessKeySecret(c.AccessKeySecret).withSecurityToken(c.SecurityToken).build()));
        await expect(session.ecs("cn-shanghai").describeRegions(new ecsModels.DescribeRegionsRequest({}))).resolves.toBeDefined();
        await expect(session.ram().getRole(new ramModels.GetRoleRequest({ roleName: "ResourceDirectoryAccountAccessRole" }))).rejects.toMatchObject({ code: "Forbidden.RAM" });
        // The same credentials with another secret: the signature does not match.
        const forged = ctx.withCredential(new Credential(null, StaticSTSCredentialsProvider.builder().withAccessKeyId(c.AccessKeyId).withAccessKeySecret("not-the-secret").withSecurityToken(c.SecurityToken).build()));
        await expect(forged.ecs("cn-shanghai").describeRegions(new ecsModels.DescribeRegionsRequest({}))).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
    });
});

describe("the command line", () => {
    const run = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const { cli } = await import("../../src/cli/main");
        const { program, exit } = cli({ stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { env: { ...AUDIT_ENV, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint } });
        await program.parseAsync(argv, { from: "user" });
        return { code: exit.code, out: out.join(""), err: err.join("") };
    };

    test("audit --directory --format json: one JSON document, exit 1; options of the other mode are usage errors", async () => {
        const { code, out, err } = await run("audit", "--directory", "--region", "cn-shanghai", "--format", "json", "--removing", "rs-drbackups01", "--map", "mermaid");
        expect(code).toBe(1);
        const doc = JSON.parse(out);
        // The report model's document: the organization's facts, and the graph of every owner, drawn as one chart.
        expect([doc.tool, doc.directory.id, doc.graph.owners.map((o: { accountId: string }) => o.accountId)]).toEqual(["audit", "rd-3G6Rt8", [OWNER, PAYMENTS_ACCOUNT_ID]]);
        expect(doc.mermaid.split("\n").filter((l: string) => /^ {2}n\d+\["owner /.test(l))).toEqual([`  n1["owner ${OWNER}"]`, `  n2["owner ${PAYMENTS_ACCOUNT_ID}"]`]);
        expect(doc.accounts.map((a: { accountId: string; error?: string }) => [a.accountId, a.error === undefined])).toEqual([[OWNER, true], [RECOVERY_ACCOUNT_ID, true], [PAYMENTS_ACCOUNT_ID, true], [ANALYTICS_ACCOUNT_ID, true], [SANDBOX_ACCOUNT_ID, false]]);
        expect(doc.removals[0].recipients[0].disks.map((d: { id: string }) => d.id)).toEqual(["d-uf6restore001", "d-uf6restore002"]);
        expect(err).toBe("error: the audit could not read everything (1 account not read, 0 answers not usable, listed in the report): exit 2 unless a mandatory violation was found\n");

        expect(await run("audit", "--removing", "rs-drbackups01")).toEqual({ code: 2, out: "", err: "error: --removing goes with --directory (the audit of a whole resource directory)\n" });
        expect(await run("audit", "--directory", "--removing", "s-notashare")).toMatchObject({ code: 2, err: "error: --removing takes a resource share id (rs-…) or an image id (m-…, its share permissions), not s-notashare\n" });
    });

    test("emulator --fixture organization says what it serves and prints the lines that point the audit at it", async () => {
        const out: string[] = [];
        const err: string[] = [];
        let stop: () => void = () => undefined;
        const serving = serveEmulator({ fixture: "organization", port: 0 }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stopped: new Promise((r) => (stop = () => r(undefined))) });
        await Promise.race([serving, (async () => {
            while (out.length === 0) {
                await new Promise((r) => setTimeout(r, 5));
            }
        })()]);
        stop();
        expect(await serving).toBe(0);
        expect(err.join("")).toMatch(/^alicloud-sharing emulator: the organization rd-3G6Rt8: management account 1000000000000000 and 4 members \(emulated, not an Alibaba Cloud account\) at http:\/\/127\.0\.0\.1:\d+\. Ctrl-C stops it\.\n$/);
        expect(out.join("")).toMatch(/^export ALICLOUD_SHARING_ENDPOINT=127\.0\.0\.1:\d+\nexport ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIemulatorKeyId01\n/);
    });

    test("main: an unknown org subcommand is a usage error", async () => {
        const err: string[] = [];
        expect(await main(["org", "exprot"], { stdout: () => undefined, stderr: (t) => err.push(t) })).toBe(2);
        expect(err.join("")).toMatch(/unknown command 'exprot'/);
    });
});
