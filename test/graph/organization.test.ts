/**
 * The organization file: one place for the directory's tree, the allow-list and account sites, read by the components
 * (stack config) and the pack (policy config) alike, so a folder is judged by its place in the tree and a member is a
 * member wherever it is judged.
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { installMocks, withLibraryConfig } from "../support/mocks";

const rec = installMocks();

import { SharedSnapshot } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import { organizationOf, OrganizationFile } from "../../src/graph/organization";
import { policies } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { findingsOfError } from "../../src/rules";
import { contextFromSettings } from "../../src/rules/settings";
import { isAllowedRecipient } from "../../src/rules/organization";
import { TestResource, runPolicies, urnOf, violationSet } from "../../src/testing";
import { renderDocument, trustPolicy } from "../../src/ram";

const RD = "rd-3G6Rt8";
const ROOT = "r-Wm2Xo1";
const PROD = "fd-prod0001";
const TEAM = "fd-team0001";
const OTHER = "fd-other001";
const MEMBER = "4444444444444444";
const OUTSIDER = "5555555555555555";

/** rd/root/prod/team, with a member account in team; another folder beside prod; prod allowed. */
const ORGANIZATION: OrganizationFile = {
    resourceDirectory: {
        id: RD,
        rootFolderId: ROOT,
        folders: [
            { id: PROD, name: "prod", folders: [{ id: TEAM, name: "team", accounts: [{ id: MEMBER, name: "team-a", site: "china" }] }] },
            { id: OTHER, name: "sandbox" },
        ],
    },
    allowedRecipients: { folderPathPrefixes: [`${RD}/${ROOT}/${PROD}`] },
};

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

describe("the tree", () => {
    test("places every folder and member account, at any depth", () => {
        const org = organizationOf(ORGANIZATION);
        expect([...org.folderPaths]).toEqual([
            [ROOT, `${RD}/${ROOT}`],
            [PROD, `${RD}/${ROOT}/${PROD}`],
            [OTHER, `${RD}/${ROOT}/${OTHER}`],
            [TEAM, `${RD}/${ROOT}/${PROD}/${TEAM}`],
        ]);
        expect([...org.accountFolders]).toEqual([[MEMBER, `${RD}/${ROOT}/${PROD}/${TEAM}`]]);
        expect(org.sites).toEqual({ [MEMBER]: "china" });
    });
    test("a tree 10,000 folders deep is read without recursion", () => {
        let folder: { id: string; folders?: unknown[] } = { id: "fd-leaf" };
        for (let i = 0; i < 10000; i++) {
            folder = { id: `fd-f${i}`, folders: [folder] };
        }
        const org = organizationOf({ resourceDirectory: { id: RD, rootFolderId: ROOT, folders: [folder as never] } });
        expect(org.folderPaths.size).toBe(10002);
    });
    test("a folder or account listed twice is a problem of the file", () => {
        const twice = organizationOf({ resourceDirectory: { id: RD, rootFolderId: ROOT, accounts: [{ id: MEMBER }], folders: [{ id: PROD, accounts: [{ id: MEMBER }] }, { id: PROD }] } });
        expect([...twice.problems].sort()).toEqual([`account ${MEMBER} is listed in ${RD}/${ROOT} and in ${RD}/${ROOT}/${PROD}`, `folder ${PROD} is listed at ${RD}/${ROOT}/${PROD} and at ${RD}/${ROOT}/${PROD}`]);
    });
});

describe("the allow-list judges by the tree", () => {
    const context = contextFromSettings({ organization: ORGANIZATION });
    const allowed = (recipient: string) => isAllowedRecipient(recipient, context.allowedRecipients!, context.organization);
    test.each([
        [`${RD}/${ROOT}/${PROD}/${TEAM}`, true],
        [TEAM, true],
        [PROD, true],
        [MEMBER, true],
        [OTHER, false],
        [`${RD}/${ROOT}/${OTHER}`, false],
        [OUTSIDER, false],
        [RD, false],
    ])("%s allowed: %s", (recipient, expected) => expect(allowed(recipient)).toBe(expected));
    test("an allowed directory allows its folders and its members", () => {
        const whole = contextFromSettings({ organization: { ...ORGANIZATION, allowedRecipients: { resourceDirectoryIds: [RD] } } });
        expect([OTHER, TEAM, MEMBER, OUTSIDER].map((r) => isAllowedRecipient(r, whole.allowedRecipients!, whole.organization))).toEqual([true, true, true, false]);
    });
    test("members count as the directory's (C30) and their sites as declared (C3), beside the settings of the same meaning", () => {
        const merged = contextFromSettings({ organization: ORGANIZATION, resourceDirectoryAccountIds: [OUTSIDER], accountSites: { [OUTSIDER]: "international" } });
        expect([...(merged.resourceDirectoryAccountIds ?? [])].sort()).toEqual([MEMBER, OUTSIDER]);
        expect(merged.accountSites).toEqual({ [MEMBER]: "china", [OUTSIDER]: "international" });
    });
});

describe("components and the pack read the same file and reach the same verdicts", () => {
    const dir = mkdtempSync(join(tmpdir(), "alicloud-sharing-org-"));
    const file = join(dir, "organization.yaml");
    writeFileSync(
        file,
        [
            "resourceDirectory:",
            `  id: ${RD}`,
            `  rootFolderId: ${ROOT}`,
            "  folders:",
            `    - id: ${PROD}`,
            "      folders:",
            `        - id: ${TEAM}`,
            "          accounts:",
            `            - id: "${MEMBER}"`,
            `    - id: ${OTHER}`,
            "allowedRecipients:",
            "  folderPathPrefixes:",
            `    - ${RD}/${ROOT}/${PROD}`,
            "",
        ].join("\n"),
    );
    const refusal = (build: () => unknown): string[] => {
        try {
            build();
        } catch (e) {
            return (findingsOfError(e) ?? []).map((f) => `${f.ruleId}@${f.path}`);
        }
        return [];
    };
    const rawShare = (target: string): TestResource[] => {
        const s: TestResource = { type: TYPES.resourceShare, name: "s", props: { resourceShareName: "s", allowExternalTargets: false, tags: { "alicloud-sharing-unencrypted-data": "acknowledged" } } };
        const link = { propertyDependencies: { resourceShareId: [urnOf(s)] } };
        return [
            s,
            { type: TYPES.sharedResource, name: "r", props: { resourceShareId: "s-id", resourceId: "s-aaaa0001", resourceType: "Snapshot" }, ...link },
            { type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "s-id", targetId: target }, ...link },
        ];
    };
    const packConfig = { "sharing-recipients": { organizationFile: file }, "sharing-share-contents": { organizationFile: file } };

    test.each([
        ["a folder under the allowed one", { folderPaths: [`${RD}/${ROOT}/${PROD}/${TEAM}`] }, TEAM, []],
        ["a member of it, inside the directory (no external targets needed)", { accountIds: [MEMBER] }, MEMBER, []],
        ["a folder beside it", { folderPaths: [`${RD}/${ROOT}/${OTHER}`] }, OTHER, ["recipients-allowed"]],
        ["a folder under it that the tree does not list (no known place)", { folderPaths: [`${RD}/${ROOT}/${PROD}/fd-unlisted`] }, "fd-unlisted", ["recipients-allowed"]],
        ["an account outside", { accountIds: [OUTSIDER] }, OUTSIDER, ["recipients-allowed", "external-targets"]],
    ])("%s", async (_, targets, target, rules) => {
        const component = withLibraryConfig({ organizationFile: file }, () =>
            refusal(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], unencryptedDataAcknowledged: true, accountsInResourceDirectory: true, ...targets })),
        );
        const pack = violationSet(await runPolicies(policies, rawShare(target), packConfig));
        expect(component.map((f) => f.split("@")[0]).sort()).toEqual([...rules].sort());
        expect(pack.map((v) => v.split("@")[0]).sort()).toEqual([...rules].sort());
    });

    test("a folder path the tree places elsewhere: shared by its id, judged where the tree places it; a role trusting that path is refused (S3)", async () => {
        const misplaced = `${RD}/${ROOT}/${OTHER}/${TEAM}`;
        const build = (kmsKeyId?: string) => () =>
            new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], folderPaths: [misplaced], ...(kmsKeyId === undefined ? { unencryptedDataAcknowledged: true } : { kmsKeyId }) });
        expect(withLibraryConfig({ organizationFile: file }, () => refusal(build()))).toEqual([]);
        resetProgramState();
        expect(withLibraryConfig({ organizationFile: file }, () => refusal(build("key-abcdefgh12345678")))).toEqual(["trusted-principals-allowed@folderPaths[0]"]);
        const role: TestResource = {
            type: TYPES.role,
            name: "role",
            props: { roleName: "AliyunECSShareEncryptSnapshotDefaultRole", assumeRolePolicyDocument: renderDocument(trustPolicy({ folderPaths: [misplaced] })) },
        };
        const found = await runPolicies(policies, [role], packConfig);
        expect(found.map((v) => `${v.finding?.ruleId}: ${v.finding?.message}`)).toEqual([
            `trusted-principals-allowed: the role trusts folder path "${misplaced}*", but the organization file places that folder at ${RD}/${ROOT}/${PROD}/${TEAM}: the condition matches no account there.`,
        ]);
    });

    test("a file that is not there, or does not fit the schema, is named with every problem", async () => {
        const bad = join(dir, "bad.json");
        writeFileSync(bad, JSON.stringify({ resourceDirectory: { id: "rd_bad", rootFolderId: ROOT, folders: [{ id: "folder" }] }, allowed: [] }));
        expect(() => withLibraryConfig({ organizationFile: bad }, () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [MEMBER] }))).toThrow(
            [
                "the stack config of alicloud-sharing is not valid:",
                "  - alicloud-sharing:organizationFile(bad.json).allowed: is not a known key",
                '  - alicloud-sharing:organizationFile(bad.json).resourceDirectory.id: must match pattern "^rd-[A-Za-z0-9]{1,32}$"',
                '  - alicloud-sharing:organizationFile(bad.json).resourceDirectory.folders[0].id: must match pattern "^fd-[A-Za-z0-9]{1,32}$"',
            ].join("\n"),
        );
        expect(() => withLibraryConfig({ organizationFile: join(dir, "missing.yaml") }, () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [MEMBER] }))).toThrow(
            /alicloud-sharing:organizationFile: names a file that .*missing\.yaml cannot be read: ENOENT/,
        );
        const violations = await runPolicies(policies, rawShare(MEMBER), { "sharing-recipients": { organizationFile: bad } });
        // Each problem of the file, once; sharing-share-contents, not told of the tree, finds the member external.
        expect(violations.map((v) => `${v.finding?.ruleId} ${v.finding?.path}`)).toEqual([
            "policy-config-valid sharing-recipients config organizationFile(bad.json).allowed",
            "policy-config-valid sharing-recipients config organizationFile(bad.json).resourceDirectory.id",
            "policy-config-valid sharing-recipients config organizationFile(bad.json).resourceDirectory.folders[0].id",
            "external-targets t.targetId",
        ]);
    });
});
