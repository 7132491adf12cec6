/**
 * `auditMain`, the `audit` subcommand, against the emulator: the reports (text, JSON, SARIF, Mermaid), the exit codes
 * 0/1/2, the endpoint from the environment, argument errors, and canaries showing that no credential (secret, STS
 * token, AccessKey id, signature) reaches any output, even when the service echoes the signed request back.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Log } from "sarif";
import { auditMain, parseAuditArgs } from "../../src/audit/cli";
import { main } from "../../src/preview/cli";
import { ECHO, EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, Emulator, emptyAccount, startEmulator } from "../support/emulator";
import { AUDIT_ENV, INTENDED_PREVIEW, OWNER, POLICY_CONFIG, loadFixture } from "./fixture";

let emulator: Emulator;
let dir: string;
let policyConfigFile: string;
beforeAll(async () => {
    emulator = await startEmulator();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-cli-"));
    policyConfigFile = path.join(dir, "policy-config.json");
    fs.writeFileSync(policyConfigFile, JSON.stringify(POLICY_CONFIG));
});
afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await emulator.stop();
});
beforeEach(() => {
    loadFixture(emulator);
    emulator.requests.splice(0);
});

/** Runs the subcommand; what it wrote and its exit code. */
async function run(argv: string[], env: Record<string, string | undefined> = { ...AUDIT_ENV, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint }) {
    let stdout = "";
    let stderr = "";
    const code = await auditMain(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
    return { code, stdout, stderr };
}

test("the text report of the fixture account, with drift and the Mermaid map: exit 1 (mandatory violations)", async () => {
    const { code, stdout, stderr } = await run(["audit", "--policy-config", policyConfigFile, "--intended", INTENDED_PREVIEW, "--map", "mermaid"]);
    expect([code, stderr]).toEqual([1, ""]);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^alicloud-sharing audit of account 1000000000000000 \(regions ap-northeast-1, cn-beijing, cn-hangzhou, cn-shanghai; 77 requests, read only, in \d+\.\d s\)$/);
    expect(lines.slice(1, 7)).toEqual([
        "",
        "Read: 4 resource shares (7 resources, 7 targets), 1 image with share permissions (51 grants), 2 share roles, 3 KMS keys; 1 share received",
        "  note: Resource Sharing is not offered in ap-northeast-1: only its image share permissions were read there.",
        "",
        "Verdicts: 5 mandatory, 5 advisory",
        "  [mandatory] sharing-recipients AliyunECSShareEncryptSnapshotDefaultRole at assumeRolePolicyDocument",
    ]);
    expect(stdout).toContain("\nShares received\n  rs-fromprod001 \"prod-golden-base\" from 2222333344445555 in cn-shanghai: Snapshot s-uf6prodbase01\n");
    expect(stdout).toContain(
        "\nDrift from the stack (demo-preview.json, preview)\n  in the account, not in the stack (53):\n    share cn-shanghai/adhoc-export (rs-adhoc000001: 1 resource (s-uf6adhoc00001), 1 target (7777000011112222))\n",
    );
    expect(stdout).toContain("\n  in the stack, not in the account (1):\n    target cn-shanghai/golden-images: 2345678901234567\n  not compared:\n");
    expect(stdout).toContain("\n\nflowchart LR\n  n1[\"owner 1000000000000000\"]\n");
});

test("--format json: the report as data", async () => {
    const { code, stdout } = await run(["--format", "json", "--policy-config", policyConfigFile, "--intended", INTENDED_PREVIEW, "--region", "cn-shanghai,cn-beijing"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(["accountId", "regions", "sharingRegions", "allRegions", "requests", "durationMs", "resources", "violations", "map", "received", "notInEffect", "notes", "incomplete", "drift"]);
    expect([report.accountId, report.regions, report.sharingRegions, report.requests.total]).toEqual([OWNER, ["cn-shanghai", "cn-beijing"], ["cn-shanghai", "cn-beijing"], emulator.requests.length]);
    // Trust no share of the two regions read needs is not judged stale: a share of another region may need it.
    expect(report.violations.filter((v: { level: string }) => v.level === "mandatory").map((v: { rule: string }) => v.rule).sort()).toEqual([
        "image-account-quota",
        "recipients-allowed",
        "shared-key-protected",
        "trusted-principals-allowed",
    ]);
    expect([report.allRegions, report.notes]).toEqual([
        false,
        [
            "Only the regions given were read (cn-shanghai, cn-beijing): shares the stack declares in other regions are not compared, and trust only they could need is not judged.",
            "AliyunECSShareEncryptSnapshotDefaultRole trusts 5555666677778888, which no encrypted share of the regions read targets; a share in a region not read may: not judged (audit every region to judge it).",
        ],
    ]);
    expect(report.resources.find((r: { name: string }) => r.name === "rs-adhoc000001")).toEqual({
        type: "alicloud:resourcemanager/resourceShare:ResourceShare",
        name: "rs-adhoc000001",
        urn: "urn:pulumi:audit::1000000000000000::alicloud:resourcemanager/resourceShare:ResourceShare::rs-adhoc000001",
        region: "cn-shanghai",
        props: { resourceShareName: "adhoc-export", allowExternalTargets: true, status: "Active" },
    });
    expect([report.drift.outsideStack.length, report.drift.missingFromAccount.length]).toEqual([53, 1]);
});

test("--format sarif: a result per verdict with its rule, located at the live resource; drift entries as notes", async () => {
    const { code, stdout } = await run(["--format", "sarif", "--policy-config", policyConfigFile, "--intended", INTENDED_PREVIEW]);
    expect(code).toBe(1);
    const log: Log = JSON.parse(stdout);
    const [run0] = log.runs;
    const rules = run0.tool.driver.rules!;
    expect([log.version, run0.tool.driver.name, rules[rules.length - 1].id]).toEqual(["2.1.0", "alicloud-sharing audit", "drift"]);
    const results = run0.results!;
    expect(results.filter((r) => r.level !== "note").map((r) => `${r.level} ${r.ruleId}`).sort()).toEqual([
        "error image-account-quota",
        "error recipients-allowed",
        "error shared-key-protected",
        "error trust-matches-targets",
        "error trusted-principals-allowed",
        "warning directory-and-accounts",
        "warning directory-and-accounts",
        "warning directory-and-accounts",
        "warning directory-and-accounts",
        "warning unencrypted-snapshot-acknowledged",
    ]);
    const key = results.find((r) => r.ruleId === "shared-key-protected")!;
    expect([rules[key.ruleIndex!].id, key.locations![0].logicalLocations![0].fullyQualifiedName]).toEqual([
        "shared-key-protected",
        "urn:pulumi:audit::1000000000000000::alicloud:kms/key:Key::key-bjs6golden0001",
    ]);
    expect(results.filter((r) => r.level === "note").map((r) => r.message.text)).toContain("in the stack, not in the account: target cn-shanghai/golden-images: 2345678901234567");
});

test("a clean account: exit 0; the endpoint comes from ALICLOUD_SHARING_ENDPOINT, or --endpoint", async () => {
    emulator.account = emptyAccount(OWNER);
    const fromEnvironment = await run([]);
    expect([fromEnvironment.code, fromEnvironment.stderr]).toEqual([0, ""]);
    expect(fromEnvironment.stdout).toContain("\nRead: 0 resource shares (0 resources, 0 targets), 0 images with share permissions (0 grants), 0 share roles, 0 KMS keys; 0 shares received\n\nVerdicts: 0 mandatory, 0 advisory\n  no violation\n");
    const fromOption = await run(["--endpoint", emulator.endpoint, "--region", "cn-hangzhou"], AUDIT_ENV);
    expect(fromOption.code).toBe(0);
});

test("exit 2: bad arguments and files, before any request; an audit the account refuses, with the API's words", async () => {
    const cases: [string[], string][] = [
        [["--format", "xml"], "error: --format takes text, json or sarif, not xml\n"],
        [["--frobnicate"], `error: unknown option --frobnicate\nusage: alicloud-sharing audit [--region R]... [--format text|json|sarif] [--map mermaid] [--intended FILE]... [--policy-config FILE] [--endpoint HOST:PORT] [--concurrency N] [--request-timeout S] [--deadline S] [--directory [--access-role NAME] [--account-concurrency N] [--removing ID]...]\n`],
        [["--region"], "error: --region needs a value\nusage: alicloud-sharing audit [--region R]... [--format text|json|sarif] [--map mermaid] [--intended FILE]... [--policy-config FILE] [--endpoint HOST:PORT] [--concurrency N] [--request-timeout S] [--deadline S] [--directory [--access-role NAME] [--account-concurrency N] [--removing ID]...]\n"],
        [["--region", "cn_shanghai"], "error: not a region id: cn_shanghai (a region id looks like cn-hangzhou or ap-southeast-1)\n"],
        [["--concurrency", "0"], "error: --concurrency takes a whole number from 1 to 64, not 0\n"],
        [["--endpoint", "http://127.0.0.1:1"], "error: the endpoint override is host:port (plain HTTP, for an emulator), not http://127.0.0.1:1\n"],
        [["--intended", path.join(dir, "missing.json")], `error: cannot read the intended file ${path.join(dir, "missing.json")}: ENOENT: no such file or directory, open '${path.join(dir, "missing.json")}'\n`],
        [["--intended", policyConfigFile], "error: the intended file is neither the JSON of `alicloud-sharing preview --format json` (with resources) nor a `pulumi stack export` file (with deployment.resources)\n"],
    ];
    for (const [argv, stderr] of cases) {
        expect([argv, await run(argv)]).toEqual([argv, { code: 2, stdout: "", stderr }]);
    }
    expect(emulator.requests).toEqual([]);
    emulator.failNext("GetCallerIdentity", { status: 403, code: "Forbidden.RAM", message: "User not authorized to operate on the specified resource." });
    const refused = await run(["--region", "cn-shanghai"]);
    expect(refused).toEqual({
        code: 2,
        stdout: "",
        stderr: "error: GetCallerIdentity on the caller's identity failed with Forbidden.RAM: User not authorized to operate on the specified resource. Grant the caller the ECS / Resource Sharing action in RAM.\n",
    });
});

test("parseAuditArgs: repeatable and comma-separated regions, the subcommand word optional", () => {
    expect(parseAuditArgs(["audit", "--region", "cn-shanghai", "--region", "cn-beijing,ap-southeast-1", "--format", "json", "--concurrency", "4", "--request-timeout", "5", "--deadline", "60"])).toEqual({
        regions: ["cn-shanghai", "cn-beijing", "ap-southeast-1"],
        format: "json",
        map: undefined,
        intendedFile: undefined,
        policyConfigFile: undefined,
        endpoint: undefined,
        concurrency: 4,
        requestTimeoutSeconds: 5,
        deadlineSeconds: 60,
        directory: false,
        accessRole: undefined,
        accountConcurrency: undefined,
        removing: [],
        intendedFiles: [],
    });
});

describe("credentials never shown", () => {
    const SECRET_CANARY = "canary-audit-secret-Zq8Vn3Lr0Tx";
    const TOKEN_CANARY = "CAIScanaryAuditStsToken7Hk2Pw9Qm4Ld";

    test("an answer that echoes the signed request (STS token, AccessKey id, signature, string-to-sign): exit 2, none of it shown", async () => {
        emulator.failNext("GetCallerIdentity", ECHO);
        const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN_CANARY, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint };
        const { code, stdout, stderr } = await run(["--region", "cn-shanghai"], env);
        expect([code, stdout]).toEqual([2, ""]);
        expect(stderr).toMatch(/^error: GetCallerIdentity on the caller's identity failed with SignatureDoesNotMatch: Specified signature is not matched with our calculation\. server string to sign is:\[redacted\] /);
        const echoed = emulator.requests.find((r) => r.action === "GetCallerIdentity")!;
        expect(echoed.params.SecurityToken).toBe(TOKEN_CANARY);
        for (const secret of [TOKEN_CANARY, encodeURIComponent(TOKEN_CANARY), EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, echoed.signature, encodeURIComponent(echoed.signature)]) {
            expect(stderr).not.toContain(secret);
        }
    });

    test("a wrong secret (a canary): exit 2 saying what to check; the secret and the token appear in no output, and in no request", async () => {
        const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET_CANARY, ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN_CANARY, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint };
        const { code, stdout, stderr } = await run(["--region", "cn-shanghai", "--format", "json"], env);
        expect([code, stdout]).toEqual([2, ""]);
        expect(stderr).toMatch(/failed with SignatureDoesNotMatch: Specified signature is not matched with our calculation\. Check ALIBABA_CLOUD_ACCESS_KEY_SECRET \(or the secret of the credential chain's profile\)\.\n$/);
        for (const secret of [SECRET_CANARY, TOKEN_CANARY, EMULATOR_KEY_ID]) {
            expect(stderr).not.toContain(secret);
        }
        expect(JSON.stringify(emulator.requests)).not.toContain(SECRET_CANARY);
    });

    test("a successful audit with an STS token: the token, the secret and the key id appear in no report", async () => {
        const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN_CANARY, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint };
        for (const format of ["text", "json", "sarif"]) {
            const { code, stdout, stderr } = await run(["--format", format, "--intended", INTENDED_PREVIEW, ...(format === "sarif" ? [] : ["--map", "mermaid"])], env);
            expect([format, code, stderr]).toEqual([format, 1, ""]);
            for (const secret of [TOKEN_CANARY, EMULATOR_KEY_SECRET, EMULATOR_KEY_ID]) {
                expect(stdout).not.toContain(secret);
            }
        }
        expect(emulator.requests.every((r) => r.params.SecurityToken === TOKEN_CANARY)).toBe(true);
    });
});

test("the text drift names the grants of one image in one line, five of them and the count (JSON keeps each)", async () => {
    const { stdout } = await run(["--region", "cn-shanghai", "--intended", INTENDED_PREVIEW]);
    expect(stdout).toContain("\n    image permission m-uf6perm000001: 51 (2100000000000001, 2100000000000002, 2100000000000003, 2100000000000004, 2100000000000005 and 46 more)\n");
    expect(stdout).not.toContain("image permission m-uf6perm000001: 2100000000000006");
});

describe("the command line's audit and emulator commands (in process)", () => {
    const io = () => {
        const out = { stdout: "", stderr: "" };
        return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
    };

    test("audit --help lists the request timeout and the deadline with their defaults, and where --map goes", async () => {
        const { out, io: cliIo } = io();
        expect(await main(["audit", "--help"], cliIo)).toBe(0);
        // Commander wraps the help to the terminal's width: compared with the spaces collapsed.
        const help = out.stdout.replace(/\s+/g, " ");
        expect(help).toContain("--request-timeout <seconds> how long one request waits for its answer (each retry again) (default: 30)");
        expect(help).toContain("--deadline <seconds> how long the whole audit may take; past it, exit 2 saying what it was waiting for (default: 300)");
        expect(help).toContain('With --map mermaid, text gets the flowchart after the report and JSON as its "mermaid" key; SARIF refuses it.');
    });

    test("audit --format sarif --map mermaid and a deadline of 0 are refused before any request", async () => {
        const sarif = io();
        expect(await main(["audit", "--format", "sarif", "--map", "mermaid", "--endpoint", emulator.endpoint], sarif.io)).toBe(2);
        expect(sarif.out).toEqual({ stdout: "", stderr: "error: --map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif\n" });
        const zero = io();
        expect(await main(["audit", "--deadline", "0"], zero.io)).toBe(2);
        expect(zero.out.stderr).toContain("error: option '--deadline <seconds>' argument '0' is invalid. --deadline takes a whole number from 1 to 86400.");
        expect(emulator.requests).toEqual([]);
    });

    test("the emulator command serves the account it names, prints the exports to use, stops when told; a file it cannot write is exit 2", async () => {
        const { serveEmulator } = await import("../../src/testing/serve");
        let stop!: () => void;
        const stopped = new Promise<void>((r) => (stop = r));
        const out = { stdout: "", stderr: "" };
        const serving = serveEmulator({ fixture: "empty", port: 0 }, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), stopped });
        while (!out.stdout.includes("\n")) await new Promise((r) => setImmediate(r));
        const lines = out.stdout.trim().split("\n");
        expect(lines).toEqual([expect.stringMatching(/^export ALICLOUD_SHARING_ENDPOINT=127\.0\.0\.1:\d+$/), `export ALIBABA_CLOUD_ACCESS_KEY_ID=${EMULATOR_KEY_ID}`, `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${EMULATOR_KEY_SECRET}`]);
        const env = Object.fromEntries(lines.map((l) => l.replace(/^export /, "").split("=") as [string, string]));
        const audited = await run(["--format", "json"], env);
        expect([audited.code, JSON.parse(audited.stdout).accountId]).toEqual([0, OWNER]);
        stop();
        expect(await serving).toBe(0);
        expect(await serveEmulator({ fixture: "demo", port: 0, intendedFile: path.join(dir, "missing", "preview.json") }, { stdout: () => undefined, stderr: (t) => (out.stderr += t), stopped })).toBe(2);
        expect(out.stderr).toMatch(/\nerror: cannot write .*missing\/preview\.json: ENOENT/);
    });
});
