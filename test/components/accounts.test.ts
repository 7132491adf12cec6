/**
 * A component's account, as the components and the pack read it (the user trial's cases E and F): the components by
 * the `ownerAccountId` they are given, the pack by the account the provider names (its `accountId`, or the stack config
 * `alicloud:accountId` for the default provider). A contradiction is refused (owner-account-matches-provider): at
 * construction when both are plain values, else once they are known, before any share or role resource is made. An
 * owner the provider does not name is refused only in a program whose components name other accounts too.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { asPolicyResources, installMocks, REGION, T } from "../support/mocks";

const rec = installMocks();

import { Provider } from "@pulumi/alicloud/provider";
import { EncryptedShareRole, SharedSnapshot } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import { policies } from "../../src/policy";
import { defaultProviderOf } from "../../src/preview/resources";
import { findingsOfError } from "../../src/rules";
import { runPolicies } from "../../src/testing";

const PROD = "1000000000000001";
const BACKUP = "1000000000000002";
const RECIPIENT = "1234567890123456";
const KEY = "key-shh6etypo00001";
const RULE = "(rule owner-account-matches-provider)";

/** The E message: the owner given and the account the provider names. */
const contradiction = (owner: string, named: string, where: string) =>
    `ownerAccountId: [C2, C9, C21] ownerAccountId is ${owner} but the account ${where} is ${named}: the component's resources are made and judged in account ${named}, ` +
    `while the share role's KMS grants would name the keys of account ${owner}. Set ownerAccountId to ${named}, or give the component a provider whose accountId is ${owner}. ${RULE}`;
const BY_PROVIDER = "the component's provider names (its accountId)";
const BY_CONFIG = "the default provider names (the stack config alicloud:accountId)";

/** The F message: an owner its provider does not name, in a program naming other accounts. */
const unnamed = (owner: string, others: string) =>
    `ownerAccountId: [C2, C9, C21] ownerAccountId is ${owner} but the component's provider names no account (no accountId), and the program's components name account ${others} too: ` +
    `the policy pack reads each resource's account from its provider, so it would judge these resources in the stack's account, which may be any of them. Set the provider's accountId to ${owner}. ${RULE}`;

/** Runs `build` with the given `alicloud:` stack config (secret keys listed), then restores the config. */
function withStackConfig<R>(values: Record<string, string>, build: () => R, secretKeys: string[] = []): R {
    const before = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig({ ...before, ...values }, secretKeys);
    try {
        return build();
    } finally {
        pulumi.runtime.setAllConfig(before);
    }
}

/** The captured registrations with each named provider's accountId replaced (undefined: removed), as another program would make them. */
function withProviderAccounts(accounts: Record<string, string | undefined>) {
    return rec.registrations.map((r) => {
        if (!r.type.startsWith("pulumi:providers:") || !(r.name in accounts)) {
            return r;
        }
        const { accountId: _, ...inputs } = r.inputs;
        const accountId = accounts[r.name];
        return { ...r, inputs: accountId === undefined ? inputs : { ...inputs, accountId } };
    });
}

const share = (name: string, ownerAccountId: string, opts: pulumi.ComponentResourceOptions = {}) =>
    new SharedSnapshot(name, { snapshotIds: [`s-uf6${name.replace(/[^a-z]/g, "")}01`], kmsKeyId: KEY, region: "cn-shanghai", accountIds: [RECIPIENT], ownerAccountId }, opts);

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

describe("E: an ownerAccountId the provider contradicts is refused, naming both accounts and the fix, at construction when both are plain values", () => {
    test("the default provider's account (stack config alicloud:accountId) and a plain owner: a share and a share role, nothing registered", async () => {
        let error: unknown;
        withStackConfig({ "alicloud:accountId": PROD }, () => {
            try {
                share("e-typo", BACKUP);
            } catch (e) {
                error = e;
            }
        });
        expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe(`SharedSnapshot "e-typo" has 1 invalid argument:\n  - ${contradiction(BACKUP, PROD, BY_CONFIG)}`);
        expect(findingsOfError(error)!.map((f) => [f.ruleId, f.path])).toEqual([["owner-account-matches-provider", "ownerAccountId"]]);
        const role = () => new EncryptedShareRole("e-role", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [RECIPIENT], ownerAccountId: BACKUP });
        expect(() => withStackConfig({ "alicloud:accountId": PROD }, role)).toThrow(contradiction(BACKUP, PROD, BY_CONFIG));
        await rec.settle();
        expect(rec.registrations).toEqual([]);
    });

});

/** The programs refused once their values are known, run in a process of their own (test/fixtures/accounts-deploy.ts). */
type Outcome = { failures: string[]; registered: string[]; verdicts: string[] };
let deployed: Record<string, Outcome>;
beforeAll(() => {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "..", "fixtures", "accounts-deploy.ts")], { encoding: "utf8", cwd: join(__dirname, "..", "..") });
    deployed = JSON.parse(result.stdout);
});
/** Nothing made: no share or role resource (nor any other but the providers), so nothing for the pack to judge. */
const refused = (failures: string[]): Outcome => ({ failures, registered: [], verdicts: [] });

describe("E, once the values are known: refused before any share or role resource is made", () => {
    test("a provider passed in: the share and the role it creates", () => {
        const message = contradiction(BACKUP, PROD, BY_PROVIDER);
        expect(deployed.passed).toEqual(refused([`on e-typo-share-role: ${message}`, `on e-typo: ${message}`]));
    });
    test("a provider inherited from a parent: an image share and a share role", () => {
        const message = contradiction(BACKUP, PROD, BY_PROVIDER);
        expect(deployed.inherited).toEqual(refused([`on e-image-share-role: ${message}`, `on e-image: ${message}`, `on e-role: ${message}`]));
    });
    test("an owner given as an output, with the default provider (the stack config) or a provider passed in", () => {
        expect(deployed.outputDefault).toEqual(refused([`on e-default-share-role: ${contradiction(BACKUP, PROD, BY_CONFIG)}`, `on e-default: ${contradiction(BACKUP, PROD, BY_CONFIG)}`]));
        expect(deployed.outputPassed).toEqual(refused([`on e-passed-share-role: ${contradiction(PROD, BACKUP, BY_PROVIDER)}`, `on e-passed: ${contradiction(PROD, BACKUP, BY_PROVIDER)}`]));
    });
    test("a secret alicloud:accountId is judged once known and never quoted", () => {
        const message = contradiction(BACKUP, "[secret]", BY_CONFIG);
        expect(deployed.secret).toEqual(refused([`on e-secret-share-role: ${message}`, `on e-secret: ${message}`]));
    });
});

describe("F: an owner its provider does not name, in a program of several accounts", () => {
    test("two providers without accountId: both components refused, with the fix; one account's components, named nowhere else, are not", () => {
        expect(deployed.unnamed).toEqual(
            refused([`on b-backup-share-role: ${unnamed(BACKUP, PROD)}`, `on b-backup: ${unnamed(BACKUP, PROD)}`, `on b-prod-share-role: ${unnamed(PROD, BACKUP)}`, `on b-prod: ${unnamed(PROD, BACKUP)}`]),
        );
        // The common case: one account, named only for the key ARNs; its providers (one passed, the default) name none.
        expect(deployed.oneAccount.failures).toEqual([]);
        expect(deployed.oneAccount.registered.filter((n) => n.endsWith("-share") || n.endsWith("-role"))).toEqual(["one-images-share", "one-images-share-role-role", "one-snapshots-share", "one-snapshots-share-role-role"]);
        expect(deployed.oneAccount.verdicts).toEqual([]);
    });
    test("the default provider naming no account, beside a provider of another account: refused, the fix names the stack config; the other is made and passes", () => {
        const message =
            `ownerAccountId: [C2, C9, C21] ownerAccountId is ${PROD} but the default provider names no account (no stack config alicloud:accountId), and the program's components name account ${BACKUP} too: ` +
            `the policy pack reads each resource's account from its provider, so it would judge these resources in the stack's account, which may be any of them. ` +
            `Set the stack config alicloud:accountId to ${PROD}, or give the component a provider whose accountId is ${PROD}. ${RULE}`;
        expect(deployed.defaultUnnamed.failures).toEqual([`on default-share-role: ${message}`, `on default: ${message}`]);
        expect(deployed.defaultUnnamed.registered.filter((n) => n.startsWith("default"))).toEqual([]);
        expect(deployed.defaultUnnamed.verdicts).toEqual([]);
    });
});

describe("differential: what the components make, as captured, judged by the pack", () => {
    const judge = async (resources: typeof rec.registrations, defaultAccount?: string) =>
        (await runPolicies(policies, asPolicyResources(resources, defaultProviderOf("project", "stack", REGION, defaultAccount))))
            .filter((v) => v.enforcementLevel === "mandatory")
            .map((v) => `${v.finding?.ruleId}@${v.urn?.split("::").pop()}`)
            .sort();

    test("the default provider named by the stack config beside a provider of another account: made by the components, passed by the pack (the default provider named as the engine names it)", async () => {
        withStackConfig({ "alicloud:accountId": PROD }, () => {
            share("b-prod", PROD);
            share("b-backup", BACKUP, { provider: new Provider("backup", { region: "cn-shanghai", accountId: BACKUP }) });
        });
        await rec.settle();
        expect(rec.resources(T.ramRole).map((r) => r.name).sort()).toEqual(["b-backup-share-role-role", "b-prod-share-role-role"]);
        expect(await judge(rec.registrations, PROD)).toEqual([]);
    });

    test("F: refused by the components; as they would make it (the trial's B, its providers naming no account), refused by the pack", async () => {
        expect(deployed.unnamed.failures.map((f) => f.split(" ")[1])).toEqual(["b-backup-share-role:", "b-backup:", "b-prod-share-role:", "b-prod:"]);
        share("b-prod", PROD, { provider: new Provider("prod", { region: "cn-shanghai", accountId: PROD }) });
        share("b-backup", BACKUP, { provider: new Provider("backup", { region: "cn-shanghai", accountId: BACKUP }) });
        await rec.settle();
        expect(rec.resources(T.share).map((r) => r.name).sort()).toEqual(["b-backup-share", "b-prod-share"]);
        expect(await judge(rec.registrations)).toEqual([]);
        expect(await judge(withProviderAccounts({ prod: undefined, backup: undefined }))).toEqual(["one-role-per-name@b-backup-share-role-role", "one-role-per-name@b-prod-share-role-role"]);
    });

    test("E: refused by the components only; as they would make it (through prod's provider), the pack cannot tell, and the grants name another account's key", async () => {
        expect(deployed.passed.failures.map((f) => f.split(" ")[1])).toEqual(["e-typo-share-role:", "e-typo:"]);
        // Accepted when the provider names the owner given; made through prod's provider instead, the pack (which sees
        // no ownerAccountId) passes it, while the role in prod's account is granted a key of the other account.
        share("e-typo", BACKUP, { provider: new Provider("prod", { region: "cn-shanghai", accountId: BACKUP }) });
        await rec.settle();
        const asMade = withProviderAccounts({ prod: PROD });
        expect(await judge(asMade)).toEqual([]);
        const grants = JSON.parse(asMade.find((r) => r.type === T.policy)!.inputs.policyDocument as string) as { Statement: { Resource: string[] }[] };
        expect(grants.Statement.flatMap((s) => s.Resource)).toContain(`acs:kms:cn-shanghai:${BACKUP}:key/${KEY}`);
    });
});
