/**
 * The offline preview on real programs, each run by its own `@pulumi/pulumi` language runner against the monitor the
 * preview serves: programs that fail, hang, exit, print, start processes, register late, forge, leak secrets, do not
 * type-check, or are ES modules; and every example. Never a silent 0, and a program cannot change its verdict except
 * by what it registers. The command runs in this process (test/support/previewRuns.ts), several programs at once.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import type { Log } from "sarif";
import { previewReport } from "../../src/preview/report";
import { renderSarif } from "../../src/report/sarif";
import { commands, judgedUnder } from "../support/previewRuns";
import { sarifErrors } from "../support/sarif";

const root = join(__dirname, "..", "..");
const fixture = (name: string) => join(root, "test", "fixtures", name);
const json = (...args: string[]) => [...args, "--format", "json"];

const TIMED_OUT =
    "the program made no progress for 1 s (it neither worked nor registered, read or logged anything, and did not finish): a timer or connection left open, or a wait for something that never comes. It was stopped, with every process it started. Give it longer with --timeout SECONDS.";
const ENDLESS = (seconds: number) =>
    `the program did not finish within ${seconds} s in all (an endless loop, or a program larger than that allows); it was stopped, with every process it started. Give it longer with --max-time SECONDS.`;
const NEVER_FINISHED =
    "the program never finished: the promise it returned (or exported, or awaited at the top) never settled, and nothing was left to wait for. Make sure every promise it awaits resolves or rejects.";

// Every program of this file, started at once (a few at a time); each test awaits its own.
const runs = commands({
    brokenJson: ["preview", ...json(fixture("broken"))],
    neverSettles: ["preview", fixture("never-settles")],
    registersLate: ["preview", ...json(fixture("registers-late"))],
    forges: ["preview", ...json(fixture("forges"))],
    forgesProtocol: ["preview", ...json(fixture("forges-protocol"))],
    staleBuild: ["preview", ...json(fixture("stale-build"))],
    spawns: ["preview", fixture("spawns"), "--max-time", "2"],
    secretJson: ["preview", ...json(fixture("secret-in-error"))],
    waitsForeverJson: ["preview", ...json(fixture("waits-forever"), "--timeout", "1")],
    exitsEarlyJson: ["preview", ...json(fixture("exits-early"))],
    organizationRelative: ["preview", ...json(fixture("organization-relative"))],
    slowProgress: ["preview", ...json(fixture("slow-progress"), "--timeout", "3")],
    slowProgressCapped: ["preview", ...json(fixture("slow-progress"), "--max-time", "2")],
    pythonSarif: ["preview", fixture("python-runtime"), "--format", "sarif"],
    pythonJson: ["preview", ...json(fixture("python-runtime"))],
    prints: ["preview", ...json(fixture("prints"))],
    typeError: ["preview", fixture("type-error")],
    typeErrorSkipped: ["preview", ...json(fixture("type-error"), "--transpile-only")],
    esm: ["preview", ...json(fixture("esm"))],
    refusalThrown: ["preview", ...json(fixture("refusal-thrown"), "--transpile-only")],
    snapshotDr: ["preview", ...json(join(root, "examples", "encrypted-snapshot-dr"), "--transpile-only")],
    goldenImages: ["preview", ...json(join(root, "examples", "golden-images"), "--transpile-only")],
});
// One run of the organization example, judged under its two policy configs (as `preview --policy-config <file>` each).
const organization = join(root, "examples", "organization-policy");
const organizationRuns = judgedUnder(organization, { transpileOnly: true }, {
    organization: { policyConfigFile: join(organization, "policy-config.json"), format: "json" },
    organizationStrict: { policyConfigFile: join(organization, "policy-config.strict.json"), format: "json" },
});
const examples = { snapshotDr: runs.snapshotDr, goldenImages: runs.goldenImages, ...organizationRuns };
jest.setTimeout(240_000);

const violationsOf = (out: string) => (JSON.parse(out) as { violations: { rule: string; name: string }[] }).violations.map((v) => [v.rule, v.name]);

test("a relative organizationFile in the policy config is read from the program's folder, whatever folder the preview runs from", async () => {
    // This process runs in the repository's root, which has no organization.yaml: the program's folder has one.
    expect(process.cwd()).not.toBe(fixture("organization-relative"));
    const { code, out } = await runs.organizationRelative;
    expect(code).toBe(1);
    expect(violationsOf(out)).toEqual([["recipients-allowed", "outsider"]]);
});

describe("programs that fail, hang, exit, print or do not type-check: never a silent 0", () => {
    test("a program's own error exits 2 and shows that error once, with where it was thrown", async () => {
        const { code, err } = await runs.brokenJson;
        expect([code, err]).toEqual([2, "error: the program failed: the program's own error: cannot reach the inventory service\n    at index.js:1:7\n"]);
    });
    test("a promise that never settles exits 2 saying so", async () => {
        expect(await runs.neverSettles).toEqual({ code: 2, out: "", err: `error: ${NEVER_FINISHED}\n` });
    });
    test("what a program registers or throws after it has loaded (timers, an exported promise) is judged and reported, as pulumi waits for it", async () => {
        const { code, out, err } = await runs.registersLate;
        expect(code).toBe(2);
        expect(violationsOf(out)).toEqual([
            ["trust-policy-not-open", "late"],
            ["principal-format", "to-user"],
        ]);
        expect(JSON.parse(out).error).toEqual({ kind: "program", message: "the inventory call failed late\n    at index.js:7:11" });
        expect(err).toBe("error: the program failed: the inventory call failed late\n    at index.js:7:11\n");
    });
    test("a program waiting for something that never comes is stopped at the time limit, exit 2 (one that never yields: below)", async () => {
        const { code, err } = await runs.waitsForeverJson;
        expect([code, err]).toEqual([2, `error: ${TIMED_OUT}\n`]);
    });
    test("the time limit counts time without progress: a program registering for 5 s is not stopped by --timeout 3; --max-time 2 stops it", async () => {
        const slow = await runs.slowProgress;
        expect([slow.code, slow.err]).toEqual([0, ""]);
        expect(JSON.parse(slow.out).resources.map((r: { name: string }) => r.name)).toEqual(Array.from({ length: 13 }, (_, i) => `target-${i}`));
        const capped = await runs.slowProgressCapped;
        expect([capped.code, capped.err]).toEqual([
            2,
            `error: ${ENDLESS(2)}\n`,
        ]);
    });
    test("a program that exits the process early exits 2 saying so", async () => {
        const { code, err } = await runs.exitsEarlyJson;
        expect(code).toBe(2);
        // The program calls process.exit(0); the runner's own exit handler makes that 1 when its disconnect from the
        // monitor fails first, which depends on timing: either way the preview refuses the early exit.
        expect(err).toMatch(/\nerror: the program ended its process \(exit code [01]\) before it finished; a Pulumi program must not call process\.exit \(or be killed\)\n$/);
    });
    test("what the program prints goes to stderr: the JSON report on stdout stays valid", async () => {
        const { code, out, err } = await runs.prints;
        expect(code).toBe(0);
        expect(err).toBe("creating the share\ndone\n");
        expect(JSON.parse(out).resources.map((r: { name: string }) => r.name)).toEqual(["backups", "backups-share", "backups-target-2345678901234567", "backups-snapshot-s-uf6backup00001"]);
    });
    test("a type error exits 2 with the compiler's diagnostics, as pulumi preview refuses it; --transpile-only skips the check and the component refuses the value (S8)", async () => {
        expect(await runs.typeError).toEqual({
            code: 2,
            out: "",
            err:
                "error: the program failed: the program does not type-check (pulumi preview checks it too; --transpile-only skips the check):\n" +
                "  index.ts(4,7): error TS2322: Type 'string[]' is not assignable to type 'string'.\n",
        });
        const skipped = await runs.typeErrorSkipped;
        expect(skipped.code).toBe(1);
        expect(JSON.parse(skipped.out).violations.map((v: { rule: string; path: string }) => [v.rule, v.path])).toEqual([["arguments-well-formed", "accountIds[0]"]]);
    });
    test("the entry is the one pulumi runs: a folder's index.js before its index.ts (the runner says so)", async () => {
        const { code, out, err } = await runs.staleBuild;
        expect(code).toBe(1);
        expect(violationsOf(out)).toEqual([["trust-policy-not-open", "compiled"]]);
        expect(err).toBe("warning: Found a TypeScript project containing an index.js file and no explicit entrypoint in Pulumi.yaml - Pulumi will use index.js\n");
    });
    test("an ES module that awaits at its top level runs, and what it registers after the await is judged", async () => {
        const { code, out } = await runs.esm;
        expect(code).toBe(1);
        expect(violationsOf(out)).toEqual([
            ["principal-format", "awaited"],
            ["trust-policy-not-open", "after-await"],
        ]);
    });
});

describe("the verdict is the preview's: the program has no say in it but what it registers", () => {
    test("a forged report on stdout, a faked channel, emptied refusals and policies, an early beforeExit, a filtering Array.prototype.push: every violation is still reported", async () => {
        const { code, out, err } = await runs.forges;
        expect(code).toBe(1);
        const report = JSON.parse(out);
        expect(report.project).toBe("forges");
        expect(violationsOf(out)).toEqual([
            ["principal-format", "bad"],
            ["trust-policy-not-open", "open"],
            ["trust-policy-not-open", "late"],
        ]);
        // What the program printed is its own, on stderr.
        expect(err).toBe(`${JSON.stringify({ project: "forges", stack: "dev", resources: [], violations: [], map: { owner: "1000000000000000", shares: [], roles: [] } })}\n`);
    });
    test("a program that speaks the protocol itself (says it is done, re-registers an open role under the same URN as a benign one) gets the open role's verdict and a refusal of the duplicate", async () => {
        const { code, out } = await runs.forgesProtocol;
        expect(code).toBe(2);
        const report = JSON.parse(out);
        expect(violationsOf(out)).toEqual([["trust-policy-not-open", "open"]]);
        expect(report.resources.map((r: { name: string; inputs: { assumeRolePolicyDocument: string } }) => [r.name, JSON.parse(r.inputs.assumeRolePolicyDocument).Statement[0].Principal.Service])).toEqual([
            ["open", "*@ecs.aliyuncs.com"],
        ]);
        expect(report.error).toEqual({
            kind: "program",
            message: "the program registered urn:pulumi:dev::forges-protocol::alicloud:ram/role:Role::open twice (Pulumi refuses a duplicate resource URN; give each resource a unique name)",
        });
    });
    test("a component whose program turned the reporting off still gets its refusal reported, from the error the runner logs (the program ends at the first), located by the error's stack", async () => {
        const { code, out } = await runs.refusalThrown;
        expect(code).toBe(1);
        expect(JSON.parse(out).violations).toEqual([
            {
                policy: "component",
                rule: "principal-format",
                constraints: ["C1"],
                level: "mandatory",
                // The text does not say where the message ends and the fix begins: both are the message.
                message:
                    '"12345" is not an account id (16 digits), a resource directory id (rd-…) or a folder path (rd-…/r-…/fd-…). ' +
                    "Give the sharee's Alibaba Cloud account id, or the directory or folder path; RAM users and roles cannot receive shares.",
                path: "accountIds[0]",
                type: "alicloud-sharing:index:SharedSnapshot",
                name: "backups",
                // Where the program threw it: the first frame of the error's stack in the program (not this package's),
                // a line of the TypeScript, through the source maps of the runner's ts-node.
                source: { file: "index.ts", line: 11, column: 1 },
                nodes: [],
                judgedBy: "component",
            },
        ]);
    });
});

describe("every process the program started is gone when the preview ends", () => {
    const left = (pattern: string) => spawnSync("pgrep", ["-f", pattern], { encoding: "utf8" }).stdout.trim();
    test("at the time limit, from a program that never yields (working, so stopped by --max-time): a child, a detached one, one under setsid, a double-forked daemon, one with an empty environment", async () => {
        const { code, err } = await runs.spawns;
        expect([code, err]).toEqual([2, `error: ${ENDLESS(2)}\n`]);
        expect(left("sleep 31\\.[1-5]")).toBe("");
    });
    test("when the program finishes: the daemon it left behind", async () => {
        const { code } = await runs.prints;
        expect(code).toBe(0);
        expect(left("sleep 32\\.[12]")).toBe("");
    });
});

describe("failure is still a report: with --format json or sarif, a valid document and exit 2, never an empty stdout", () => {
    test.each([
        ["brokenJson", "program", "the program's own error: cannot reach the inventory service\n    at index.js:1:7"],
        ["waitsForeverJson", "timeout", TIMED_OUT],
        ["pythonJson", "runtime", `${fixture("python-runtime")}/Pulumi.yaml has runtime python; the offline preview runs nodejs programs (TypeScript or JavaScript)`],
    ] as const)("JSON, %s: an error object of kind %s", async (key, kind, message) => {
        const { code, out } = await runs[key];
        expect(code).toBe(2);
        expect(JSON.parse(out).error).toEqual({ kind, message });
    });
    test("JSON, an early exit: an error object of kind exit", async () => {
        const { out } = await runs.exitsEarlyJson;
        expect(JSON.parse(out)).toEqual({
            tool: "preview",
            project: "exits-early",
            stack: "dev",
            error: { kind: "exit", message: expect.stringMatching(/^the program ended its process \(exit code [01]\) before it finished; a Pulumi program must not call process\.exit \(or be killed\)$/) },
        });
    });
    test("SARIF, an unsupported runtime: a valid log whose invocation failed, with the error as a tool execution notification", async () => {
        const { code, out, err } = await runs.pythonSarif;
        expect(code).toBe(2);
        const log = JSON.parse(out) as Log;
        expect(sarifErrors(log)).toEqual([]);
        expect(log.runs[0].results).toBeUndefined();
        expect(log.runs[0].invocations).toEqual([
            {
                executionSuccessful: false,
                toolExecutionNotifications: [
                    { level: "error", message: { text: `${fixture("python-runtime")}/Pulumi.yaml has runtime python; the offline preview runs nodejs programs (TypeScript or JavaScript)` }, properties: { kind: "runtime" } },
                ],
            },
        ]);
        expect(err).toBe(`error: ${fixture("python-runtime")}/Pulumi.yaml has runtime python; the offline preview runs nodejs programs (TypeScript or JavaScript)\n`);
    });
});

describe("secrets that never reach a resource's own input are not printed either", () => {
    test("a provider's credentials (and its assume-role external id), a secret input, the project's secret config: in errors, the plan, JSON and SARIF", async () => {
        const run = await runs.secretJson;
        expect(run.code).toBe(2);
        expect(`${run.out}${run.err}`).not.toMatch(/canary/);
        expect(run.err).toBe("error: the program failed: could not use [secret] with [secret] ([secret])\n    at index.js:15:11\nlogin failed with token [secret]\n    at index.js:19:15\n");
        const report = JSON.parse(run.out);
        const provider = report.resources.find((r: { type: string }) => r.type === "pulumi:providers:alicloud");
        expect(provider.inputs).toMatchObject({ accessKey: "[secret]", secretKey: "[secret]", assumeRole: JSON.stringify({ roleArn: "acs:ram::2345678901234567:role/deployer", externalId: "[secret]" }) });
        // The same run in SARIF (rendered from the same result): the error as the failed invocation's notification, redacted.
        const failed = { project: report.project, stack: report.stack, accountId: "1000000000000000", region: "cn-shanghai", configSource: "", programDir: fixture("secret-in-error"), entry: "index.js", resources: [], verdicts: [], programError: report.error.message };
        const sarif = renderSarif(previewReport(failed, root), "0.1.0");
        expect(sarif).not.toMatch(/canary/);
        expect(JSON.parse(sarif).runs[0].invocations[0].toolExecutionNotifications[0].message.text).toBe(`the program failed: ${report.error.message}`);
    });
});

describe("every example previews offline", () => {
    test.each([
        ["snapshotDr", 0, 10],
        ["goldenImages", 0, 16],
        ["organization", 0, 4],
        ["organizationStrict", 1, 4],
    ] as const)("%s exits %i with %i resources", async (key, exitCode, resources) => {
        const { code, out } = await examples[key];
        expect(code).toBe(exitCode);
        const report = JSON.parse(out);
        expect(report.resources.filter((r: { custom: boolean; type: string }) => r.custom && !r.type.startsWith("pulumi:providers:"))).toHaveLength(resources);
        if (exitCode === 1) {
            expect(report.violations.map((v: { rule: string }) => v.rule)).toEqual(["exemption-valid", "recipients-allowed"]);
        }
    });
});
