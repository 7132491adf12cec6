/**
 * A component's account, as the components and the pack read it (the user trial's cases E and F): the components by
 * the `ownerAccountId` they are given, the pack by the account the provider names (its `accountId`, or the stack config
 * `alicloud:accountId` for the default provider). A contradiction is refused (owner-account-matches-provider): at
 * construction when both are plain values, else once they are known, before any share or role resource is made. An
 * owner the provider does not name is refused only in a program whose components name other accounts too. And the
 * differential: what the components make passes the pack; what they refuse, the pack refuses as it would be made, or
 * (E) cannot tell.
 *
 * The programs run in one process of their own (test/fixtures/accounts-deploy.ts): a refusal once values are known
 * is an asynchronous failure of the program, which jest's own process would take for the test's.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { verdictLine } from "../../src/report/model";

const PROD = "1000000000000001";
const BACKUP = "1000000000000002";
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

interface Outcome {
    /** Refusals at construction: the message, then the findings as `[rule@path, …]`. */
    readonly refusals: string[];
    /** Failures once values were known, `on <component>: <message>`. */
    readonly failures: string[];
    /** The custom resources registered, providers apart. */
    readonly registered: string[];
    /** The pack's mandatory verdicts on them, `rule@resource`. */
    readonly verdicts: string[];
    /** The KMS key ARNs the registered policies grant. */
    readonly keyArns: string[];
    /** The pack's verdicts on the same resources with other provider accounts. */
    readonly asMade?: string[];
}
let run: Record<string, Outcome>;
beforeAll(() => {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "..", "fixtures", "accounts-deploy.ts")], { encoding: "utf8", cwd: join(__dirname, "..", "..") });
    run = JSON.parse(result.stdout);
});

/** Refused once values were known: nothing made (no share or role resource, nor any other but the providers), nothing for the pack to judge. */
const refused = (failures: string[]): Outcome => ({ refusals: [], failures, registered: [], verdicts: [], keyArns: [] });

describe("E: an ownerAccountId the provider contradicts is refused, naming both accounts and the fix", () => {
    test("at construction, both plain values (the default provider named by the stack config alicloud:accountId): a share and a share role, nothing registered", () => {
        const message = contradiction(BACKUP, PROD, BY_CONFIG);
        expect(run.construction).toEqual({
            refusals: [
                `SharedSnapshot "e-typo" has 1 invalid argument:\n  - ${message} [owner-account-matches-provider@ownerAccountId]`,
                `EncryptedShareRole "e-role" has 1 invalid argument:\n  - ${message} [owner-account-matches-provider@ownerAccountId]`,
            ],
            failures: [],
            registered: [],
            verdicts: [],
            keyArns: [],
        });
    });
    test("a provider passed in: refused once it says its account, the share and the role it creates", () => {
        const message = contradiction(BACKUP, PROD, BY_PROVIDER);
        expect(run.passed).toEqual(refused([`on e-typo-share-role: ${message}`, `on e-typo: ${message}`]));
    });
    test("a provider inherited from a parent: an image share and a share role", () => {
        const message = contradiction(BACKUP, PROD, BY_PROVIDER);
        expect(run.inherited).toEqual(refused([`on e-image-share-role: ${message}`, `on e-image: ${message}`, `on e-role: ${message}`]));
    });
    test("an owner given as an output, with the default provider (the stack config) or a provider passed in: refused once known", () => {
        expect(run.outputDefault).toEqual(refused([`on e-default-share-role: ${contradiction(BACKUP, PROD, BY_CONFIG)}`, `on e-default: ${contradiction(BACKUP, PROD, BY_CONFIG)}`]));
        expect(run.outputPassed).toEqual(refused([`on e-passed-share-role: ${contradiction(PROD, BACKUP, BY_PROVIDER)}`, `on e-passed: ${contradiction(PROD, BACKUP, BY_PROVIDER)}`]));
    });
    test("a secret alicloud:accountId is judged once known and never quoted", () => {
        const message = contradiction(BACKUP, "[secret]", BY_CONFIG);
        expect(run.secret).toEqual(refused([`on e-secret-share-role: ${message}`, `on e-secret: ${message}`]));
    });
});

describe("F: an owner its provider does not name, in a program whose components name several accounts", () => {
    test("two providers without accountId: both components refused, with the fix; one account's components, named nowhere else, are made and pass the pack", () => {
        expect(run.unnamed).toEqual(
            refused([`on b-backup-share-role: ${unnamed(BACKUP, PROD)}`, `on b-backup: ${unnamed(BACKUP, PROD)}`, `on b-prod-share-role: ${unnamed(PROD, BACKUP)}`, `on b-prod: ${unnamed(PROD, BACKUP)}`]),
        );
        // The common case: one account, named only for the key ARNs; its providers (one passed, the default) name none.
        const one = run.oneAccount;
        expect([one.refusals, one.failures, one.verdicts]).toEqual([[], [], []]);
        expect(one.registered.filter((n) => n.endsWith("-share") || n.endsWith("-role"))).toEqual(["one-images-share", "one-images-share-role-role", "one-snapshots-share", "one-snapshots-share-role-role"]);
        expect(one.keyArns).toEqual([`acs:kms:cn-shanghai:${PROD}:key/${KEY}`]);
    });
    test("the default provider naming no account, beside a provider of another account: refused, the fix names the stack config; the other is made and passes", () => {
        const message =
            `ownerAccountId: [C2, C9, C21] ownerAccountId is ${PROD} but the default provider names no account (no stack config alicloud:accountId), and the program's components name account ${BACKUP} too: ` +
            `the policy pack reads each resource's account from its provider, so it would judge these resources in the stack's account, which may be any of them. ` +
            `Set the stack config alicloud:accountId to ${PROD}, or give the component a provider whose accountId is ${PROD}. ${RULE}`;
        expect(run.defaultUnnamed.failures).toEqual([`on default-share-role: ${message}`, `on default: ${message}`]);
        expect(run.defaultUnnamed.registered.filter((n) => n.startsWith("default"))).toEqual([]);
        expect(run.defaultUnnamed.registered.filter((n) => n.startsWith("other")).length).toBe(6);
        expect(run.defaultUnnamed.verdicts).toEqual([]);
    });
});

describe("differential: what the components make, as captured, judged by the pack", () => {
    const made = (o: Outcome) => [o.refusals, o.failures, o.registered.filter((n) => n.endsWith("-share")), o.verdicts, o.keyArns];
    const both = [`acs:kms:cn-shanghai:${PROD}:key/${KEY}`, `acs:kms:cn-shanghai:${BACKUP}:key/${KEY}`];

    test("two accounts each named by its provider (the stack config for the default provider): made by the components, passed by the pack", () => {
        expect(made(run.named)).toEqual([[], [], ["b-backup-share", "b-prod-share"], [], both]);
        // The default provider named as the engine names it, from the stack's alicloud: config.
        expect(made(run.namedByConfig)).toEqual([[], [], ["b-backup-share", "b-prod-share"], [], both]);
    });
    test("F: refused by the components; as they would make it (the same resources, the providers naming no account), refused by the pack", () => {
        expect(run.unnamed.failures.map((f) => f.split(" ")[1])).toEqual(["b-backup-share-role:", "b-backup:", "b-prod-share-role:", "b-prod:"]);
        expect(run.named.asMade).toEqual(["one-role-per-name@b-backup-share-role-role", "one-role-per-name@b-prod-share-role-role"]);
    });
    test("the offline preview of such a program (test/fixtures/accounts-preview): the default provider named by the stack config, as the engine names it; E refused, nothing else", () => {
        const r = spawnSync(process.execPath, [join(__dirname, "..", "..", "dist", "cli", "main.js"), "preview", join(__dirname, "..", "fixtures", "accounts-preview"), "--format", "json"], { encoding: "utf8" });
        const report = JSON.parse(r.stdout) as { resources: { type: string; name: string }[]; violations: { policy: string; rule: string; level: string; name: string; path: string; message: string; constraints: readonly string[]; fix?: string }[] };
        expect(r.status).toBe(1);
        expect(report.violations.map((v) => [v.policy, v.rule, v.level, v.name, v.path, `${v.path}: ${verdictLine(v)}`])).toEqual([
            ["component", "owner-account-matches-provider", "mandatory", "e-typo", "ownerAccountId", contradiction(BACKUP, PROD, BY_PROVIDER)],
        ]);
        expect(report.resources.filter((x) => x.type === "alicloud:resourcemanager/resourceShare:ResourceShare" || x.type === "alicloud:ram/role:Role").map((x) => x.name).sort()).toEqual([
            "b-backup-share",
            "b-backup-share-role-role",
            "b-prod-share",
            "b-prod-share-role-role",
        ]);
    });
    test("E: refused by the components only; as they would make it (through prod's provider) the pack cannot tell, and the role is granted the other account's key", () => {
        expect(run.passed.failures.map((f) => f.split(" ")[1])).toEqual(["e-typo-share-role:", "e-typo:"]);
        // Accepted through a provider naming the owner given; judged with the provider naming prod's account instead.
        expect(made(run.typoAccepted)).toEqual([[], [], ["e-typo-share"], [], [`acs:kms:cn-shanghai:${BACKUP}:key/${KEY}`]]);
        expect(run.typoAccepted.asMade).toEqual([]);
    });
});
