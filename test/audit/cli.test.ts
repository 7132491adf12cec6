/**
 * `alicloud-sharing audit`, the command line in this process, against the emulator: the reports (text with verdicts
 * grouped and --verbose, JSON, SARIF, Mermaid bare or fenced, the HTML page on stdout or written with --html beside
 * another format), every one rendered from the report model by the renderer the preview uses too; the exit codes
 * 0/1/2, the endpoint from the environment, argument errors, and canaries showing that no credential (secret, STS
 * token, AccessKey id, signature) reaches any output, even when the service echoes the signed request back.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Log } from "sarif";
import { main } from "../../src/cli/main";
import { ECHO, EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, Emulator, emptyAccount, startEmulator } from "../support/emulator";
import { sarifErrors } from "../support/sarif";
import { AUDIT_ENV, INTENDED_PREVIEW, OWNER, POLICY_CONFIG, audit, loadFixture } from "./fixture";

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

/** Runs `alicloud-sharing audit <argv>`; what it wrote and its exit code. */
const run = (argv: string[], env: Record<string, string | undefined> = { ...AUDIT_ENV, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint }) => audit(argv, env);

/** The time an audit took, which changes from run to run, as `#.#`. */
const timeless = (text: string) => text.replace(/, read only, in \d+\.\d s\)/, ", read only, in #.# s)");

test("the text report of the fixture account, with drift and the Mermaid map, whole: exit 1 (mandatory violations)", async () => {
    const { code, stdout, stderr } = await run(["--policy-config", policyConfigFile, "--intended", INTENDED_PREVIEW, "--map", "mermaid"]);
    expect([code, stderr]).toEqual([1, ""]);
    expect(timeless(stdout)).toMatchSnapshot();
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^alicloud-sharing audit of account 1000000000000000 \(regions ap-northeast-1, cn-beijing, cn-hangzhou, cn-shanghai; 77 requests, read only, in \d+\.\d s\)$/);
    expect(lines.slice(1, 7)).toEqual([
        "",
        "Read: 4 resource shares (7 resources, 7 targets), 1 image with share permissions (51 grants), 2 share roles, 3 KMS keys, 1 share received",
        "  note: Resource Sharing is not offered in ap-northeast-1: only its image share permissions were read there.",
        "",
        "Verdicts: 5 mandatory, 5 advisory",
        "  [mandatory] trusted-principals-allowed (audit: sharing-recipients) AliyunECSShareEncryptSnapshotDefaultRole at assumeRolePolicyDocument",
    ]);
    // Four verdicts of one rule: one line naming the rule, the count and the first subjects.
    expect(lines.filter((l) => l.startsWith("  [advisory] directory-and-accounts"))).toEqual([
        "  [advisory] directory-and-accounts (audit: sharing-directory-and-accounts): 4 verdicts, on rs-goldenbj001/m-2zecopy0000001 at accountId; rs-goldenbj001/m-2zecopy0000002 at accountId; rs-golden00001/m-uf6golden00001 at accountId and 1 more",
    ]);
    expect(stdout).toContain('\nShares received\n  rs-fromprod001 "prod-golden-base" from 2222333344445555 in cn-shanghai: Snapshot s-uf6prodbase01\n');
    expect(stdout).toContain(
        "\nDrift from the stack (demo-preview.json, preview)\n  in the account, not in the stack (53):\n    share cn-shanghai/adhoc-export (rs-adhoc000001: 1 resource (s-uf6adhoc00001), 1 target (7777000011112222))\n",
    );
    expect(stdout).toContain("\n  in the stack, not in the account (1):\n    target cn-shanghai/golden-images: 2345678901234567\n  not compared:\n");
    // The map: 51 image grants to accounts outside any directory drawn as one node.
    expect(stdout).toContain('\n\nflowchart LR\n  n1["owner 1000000000000000"]\n');
    expect(stdout).toContain('\n  subgraph n22 ["not in the organization file#39;s tree"]\n    n23[/"55 accounts"/]\n  end\n');
    expect(stdout).toContain("\n  n19 -- 51 --> n23\n");
});

test("--verbose lists every verdict of a rule, and every account of a group in the map; --map mermaid-md fences the chart", async () => {
    const { stdout } = await run(["--policy-config", policyConfigFile, "--verbose", "--map", "mermaid-md"]);
    const lines = stdout.split("\n");
    const at = lines.indexOf("  [advisory] directory-and-accounts (audit: sharing-directory-and-accounts): 4 verdicts");
    expect(lines.slice(at + 1, at + 9).filter((l) => !l.startsWith("      "))).toEqual([
        "    rs-goldenbj001/m-2zecopy0000001 at accountId",
        "    rs-goldenbj001/m-2zecopy0000002 at accountId",
        "    rs-golden00001/m-uf6golden00001 at accountId",
        "    rs-golden00001/m-uf6golden00002 at accountId",
    ]);
    expect(lines.find((l) => l.startsWith("        not in the organization file's tree: 51 accounts: "))!.split(", ")).toHaveLength(51);
    expect(stdout).toMatch(/\n\n```mermaid\nflowchart LR\n[\s\S]*\n```\n$/);
});

test("--format json: the report as data, the audit's facts first", async () => {
    const { code, stdout } = await run(["--format", "json", "--policy-config", policyConfigFile, "--intended", INTENDED_PREVIEW, "--region", "cn-shanghai,cn-beijing"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual([
        "tool",
        "accountId",
        "regions",
        "sharingRegions",
        "allRegions",
        "requests",
        "durationMs",
        "received",
        "notInEffect",
        "notes",
        "incomplete",
        "resources",
        "violations",
        "levelChanges",
        "graph",
        "access",
        "drift",
    ]);
    expect([report.tool, report.accountId, report.regions, report.sharingRegions, report.requests.total]).toEqual(["audit", OWNER, ["cn-shanghai", "cn-beijing"], ["cn-shanghai", "cn-beijing"], emulator.requests.length]);
    // Trust no share of the two regions read needs is not judged stale: a share of another region may need it.
    expect(report.violations.filter((v: { level: string }) => v.level === "mandatory").map((v: { rule: string }) => v.rule).sort()).toEqual([
        "image-account-quota",
        "recipients-allowed",
        "shared-key-protected",
        "trusted-principals-allowed",
    ]);
    expect(report.violations.map((v: { judgedBy: string; accountId: string }) => `${v.judgedBy} ${v.accountId}`)).toEqual(Array(report.violations.length).fill(`audit ${OWNER}`));
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
        inputs: { resourceShareName: "adhoc-export", allowExternalTargets: true, status: "Active" },
    });
    const sides = (side: string) => report.drift.entries.filter((e: { side: string }) => e.side === side).length;
    expect([report.drift.source, sides("outsideStack"), sides("missingFromAccount")]).toEqual(["demo-preview.json", 53, 1]);
    // The drift overlaid on the graph: what the account has that the stack does not, marked on its nodes.
    expect(report.drift.entries.find((e: { key: string }) => e.key === "cn-shanghai/adhoc-export")).toEqual({
        side: "outsideStack",
        kind: "share",
        key: "cn-shanghai/adhoc-export",
        detail: "rs-adhoc000001: 1 resource (s-uf6adhoc00001), 1 target (7777000011112222)",
        nodes: ["urn:pulumi:audit::1000000000000000::alicloud:resourcemanager/resourceShare:ResourceShare::rs-adhoc000001"],
    });
    // What each recipient can use: the account the adhoc share reaches, through it, unencrypted.
    expect(report.access.find((a: { value: string }) => a.value === "7777000011112222")).toEqual({
        value: "7777000011112222",
        kind: "account",
        grants: [
            {
                share: "urn:pulumi:audit::1000000000000000::alicloud:resourcemanager/resourceShare:ResourceShare::rs-adhoc000001",
                item: "urn:pulumi:audit::1000000000000000::alicloud:ecs/ecsSnapshot:EcsSnapshot::s-uf6adhoc00001",
                kind: "snapshot",
                resourceId: "s-uf6adhoc00001",
                region: "cn-shanghai",
                encryption: "none",
                through: "7777000011112222",
                // The association's CreateTime, as the emulator answered it (2026-11-28T17:42:09.512Z), to the second.
                since: "2026-11-28T17:42:09Z",
            },
        ],
    });
});

test("--format sarif: a result per verdict with its rule and account, located at the live resource; drift entries as notes", async () => {
    const { code, stdout } = await run(["--format", "sarif", "--policy-config", policyConfigFile, "--intended", INTENDED_PREVIEW]);
    expect(code).toBe(1);
    const log: Log = JSON.parse(stdout);
    expect(sarifErrors(log)).toEqual([]);
    const [run0] = log.runs;
    const rules = run0.tool.driver.rules!;
    expect([log.version, run0.tool.driver.name, rules[rules.length - 1].id]).toEqual(["2.1.0", "alicloud-sharing audit", "drift"]);
    const results = run0.results!;
    expect(results.filter((r) => r.level !== "note").map((r) => `${r.level} ${r.ruleId} ${r.properties!.accountId}`).sort()).toEqual([
        "error image-account-quota 1000000000000000",
        "error recipients-allowed 1000000000000000",
        "error shared-key-protected 1000000000000000",
        "error trust-matches-targets 1000000000000000",
        "error trusted-principals-allowed 1000000000000000",
        "warning directory-and-accounts 1000000000000000",
        "warning directory-and-accounts 1000000000000000",
        "warning directory-and-accounts 1000000000000000",
        "warning directory-and-accounts 1000000000000000",
        "warning unencrypted-snapshot-acknowledged 1000000000000000",
    ]);
    const key = results.find((r) => r.ruleId === "shared-key-protected")!;
    expect([rules[key.ruleIndex!].id, key.locations]).toEqual([
        "shared-key-protected",
        [{ logicalLocations: [{ fullyQualifiedName: "urn:pulumi:audit::1000000000000000::alicloud:kms/key:Key::key-bjs6golden0001", name: "key-bjs6golden0001", kind: "resource" }] }],
    ]);
    expect(key.message.text).toMatch(/^\[C27\] KMS key key-bjs6golden0001 protects shared image m-2zecopy0000001, .* Set `deletionProtection: "Enabled"` on the key\. \(rule shared-key-protected; at deletionProtection\)$/);
    expect(results.filter((r) => r.level === "note").map((r) => r.message.text)).toContain("in the stack, not in the account: target cn-shanghai/golden-images: 2345678901234567");
});

test("--format html prints the page; --html FILE writes it beside the JSON on stdout (both from one model)", async () => {
    const page = await run(["--format", "html", "--policy-config", policyConfigFile, "--intended", INTENDED_PREVIEW]);
    expect(page.code).toBe(1);
    expect(page.stdout).toMatch(/^<!DOCTYPE html>\n/);
    expect(page.stdout).toContain("<title>alicloud-sharing audit report: audit of account 1000000000000000 (regions ap-northeast-1, cn-beijing, cn-hangzhou, cn-shanghai; 77 requests, read only, in ");
    // The drift overlaid: its section, and the nodes it concerns marked on the graph.
    expect(page.stdout).toContain('<h2 id="drift-h">Drift from the stack (demo-preview.json, preview)</h2>');
    expect(page.stdout).toMatch(/<g class="n share flagged drift" id="[^"]+"><title>share adhoc-export/);
    const file = path.join(dir, "audit.html");
    const both = await run(["--format", "json", "--html", file, "--policy-config", policyConfigFile]);
    expect([both.code, both.stderr, JSON.parse(both.stdout).tool]).toEqual([1, "", "audit"]);
    const written = fs.readFileSync(file, "utf8");
    expect(written).toMatch(/^<!DOCTYPE html>\n/);
    expect(written).toContain("rs-adhoc000001");
    // A page that cannot be written: said, exit 2, the report still on stdout.
    const unwritable = await run(["--html", path.join(dir, "missing", "audit.html"), "--policy-config", policyConfigFile]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/^error: cannot write the report page to .*missing\/audit\.html: ENOENT/);
    expect(unwritable.stdout).toMatch(/^alicloud-sharing audit of account /);
});

test("a clean account: exit 0; the endpoint comes from ALICLOUD_SHARING_ENDPOINT, or --endpoint", async () => {
    emulator.account = emptyAccount(OWNER);
    const fromEnvironment = await run([]);
    expect([fromEnvironment.code, fromEnvironment.stderr]).toEqual([0, ""]);
    expect(fromEnvironment.stdout).toContain("\nRead: 0 resource shares (0 resources, 0 targets), 0 images with share permissions (0 grants), 0 share roles, 0 KMS keys, 0 shares received\n\nVerdicts: 0 mandatory, 0 advisory\n  no violation\n");
    const fromOption = await run(["--endpoint", emulator.endpoint, "--region", "cn-hangzhou"], AUDIT_ENV);
    expect(fromOption.code).toBe(0);
});

test("regions: repeatable and comma-separated, read in that order", async () => {
    emulator.account = emptyAccount(OWNER);
    const { code, stdout } = await run(["--region", "cn-shanghai", "--region", "cn-beijing,ap-southeast-1", "--format", "json", "--concurrency", "4", "--request-timeout", "5", "--deadline", "60"]);
    expect([code, JSON.parse(stdout).regions]).toEqual([0, ["cn-shanghai", "cn-beijing", "ap-southeast-1"]]);
});

test("exit 2: bad arguments and files, before any request; an audit the account refuses, with the API's words", async () => {
    const HELP = "(alicloud-sharing audit --help describes every option)\n";
    const cases: [string[], string][] = [
        [["--format", "xml"], `error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are text, json, sarif, html.\n${HELP}`],
        [["--frobnicate"], `error: unknown option '--frobnicate'\n${HELP}`],
        [["--region"], `error: option '-r, --region <regions>' argument missing\n${HELP}`],
        [["--region", "cn_shanghai"], "error: not a region id: cn_shanghai (a region id looks like cn-hangzhou or ap-southeast-1)\n"],
        [["--concurrency", "0"], `error: option '--concurrency <n>' argument '0' is invalid. --concurrency takes a whole number from 1 to 64.\n${HELP}`],
        [["--endpoint", "http://127.0.0.1:1"], "error: the endpoint override is host:port (plain HTTP, for an emulator), not http://127.0.0.1:1\n"],
        [["--removing", "rs-x"], "error: --removing goes with --directory (the audit of a whole resource directory)\n"],
        [["--intended", "a.json", "--intended", "b.json"], "error: one account's audit compares with one --intended file; several (one per stack) go with --directory\n"],
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
        // The failure is a JSON document too (kind audit), as redacted as stderr.
        expect(code).toBe(2);
        expect(JSON.parse(stdout)).toMatchObject({ tool: "audit", error: { kind: "audit" } });
        for (const secret of [SECRET_CANARY, TOKEN_CANARY, EMULATOR_KEY_ID]) {
            expect(stdout).not.toContain(secret);
        }
        expect(stderr).toMatch(/failed with SignatureDoesNotMatch: Specified signature is not matched with our calculation\. Check ALIBABA_CLOUD_ACCESS_KEY_SECRET \(or the secret of the credential chain's profile\)\.\n$/);
        for (const secret of [SECRET_CANARY, TOKEN_CANARY, EMULATOR_KEY_ID]) {
            expect(stderr).not.toContain(secret);
        }
        expect(JSON.stringify(emulator.requests)).not.toContain(SECRET_CANARY);
    });

    test("a successful audit with an STS token: the token, the secret and the key id appear in no report", async () => {
        const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN_CANARY, ALICLOUD_SHARING_ENDPOINT: emulator.endpoint };
        const page = path.join(dir, "canary.html");
        for (const format of ["text", "json", "sarif", "html"]) {
            const { code, stdout, stderr } = await run(["--format", format, "--intended", INTENDED_PREVIEW, "--html", page, ...(format === "text" || format === "json" ? ["--map", "mermaid"] : [])], env);
            expect([format, code, stderr]).toEqual([format, 1, ""]);
            for (const secret of [TOKEN_CANARY, EMULATOR_KEY_SECRET, EMULATOR_KEY_ID]) {
                expect(stdout).not.toContain(secret);
                expect(fs.readFileSync(page, "utf8")).not.toContain(secret);
            }
        }
        expect(emulator.requests.every((r) => r.params.SecurityToken === TOKEN_CANARY)).toBe(true);
    });
});

test("an API answer that holds the credential's key id (a share target): redacted in every format, the page's lowercased search data too", async () => {
    const share = emulator.account.shares[0];
    share.targets.push({ entityId: EMULATOR_KEY_ID, external: true });
    const page = path.join(dir, "key-id.html");
    for (const format of ["sarif", "html"]) {
        const { stdout } = await run(["--region", "cn-shanghai", "--format", format, "--html", page]);
        expect(stdout.toLowerCase()).not.toContain(EMULATOR_KEY_ID.toLowerCase());
        expect(fs.readFileSync(page, "utf8").toLowerCase()).not.toContain(EMULATOR_KEY_ID.toLowerCase());
    }
    expect(fs.readFileSync(page, "utf8")).toContain("[redacted]");
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

    test("audit --help lists the request timeout and the deadline with their defaults, and the reports", async () => {
        const { out, io: cliIo } = io();
        expect(await main(["audit", "--help"], cliIo)).toBe(0);
        // Commander wraps the help to the terminal's width: compared with the spaces collapsed.
        const help = out.stdout.replace(/\s+/g, " ");
        expect(help).toContain("--request-timeout <seconds> how long one request waits for its answer (each retry again) (default: 30)");
        expect(help).toContain("--deadline <seconds> how long the whole audit may take; past it, exit 2 saying what it was waiting for (default: 300)");
        expect(help).toContain('--map mermaid the sharing map as a Mermaid flowchart, after the text or as the JSON\'s "mermaid" key; --map mermaid-md puts it in a Markdown fence');
        expect(help).toContain("--html FILE also write that page to FILE, whatever --format prints");
    });

    test("audit --format sarif --map mermaid and a deadline of 0 are refused before any request", async () => {
        const sarif = io();
        expect(await main(["audit", "--format", "sarif", "--map", "mermaid", "--endpoint", emulator.endpoint], sarif.io)).toBe(2);
        expect(sarif.out.stderr).toBe("error: --map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif\n");
        expect(JSON.parse(sarif.out.stdout).runs[0].invocations[0].executionSuccessful).toBe(false);
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
