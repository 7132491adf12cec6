/**
 * The offline preview on programs that fail, hang, exit early, print, register late, forge answers, leak secrets or do
 * not type-check (never a silent 0), and on every example: the built command in a process of its own.
 */
import { spawnSync } from "child_process";
import { join } from "path";

const root = join(__dirname, "..", "..");
const fixtures = join(root, "test", "fixtures");

function preview(...args: string[]): { code: number; out: string; err: string } {
    const r = spawnSync(process.execPath, [join(root, "dist", "preview", "cli.js"), "preview", ...args], { cwd: root, encoding: "utf8" });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("programs that fail, hang, exit, print or do not type-check: never a silent 0", () => {
    test("a program's own error exits 2, shows that error once with where it was thrown, and no empty plan", () => {
        expect(preview(join(fixtures, "broken"))).toEqual({
            code: 2,
            out: "",
            err: "error: the program failed: the program's own error: cannot reach the inventory service\n    at index.js:1:7\n",
        });
    });
    test("a promise that never settles exits 2 saying so", () => {
        expect(preview(join(fixtures, "never-settles"))).toEqual({
            code: 2,
            out: "",
            err: "error: the program never finished: the promise it returned (or exported, or awaited at the top) never settled, and nothing was left to wait for. Make sure every promise it awaits resolves or rejects.\n",
        });
    });
    test("what a program registers or throws after it has loaded (timers, an exported promise) is judged, as pulumi waits for it", () => {
        const late = preview(join(fixtures, "registers-late"), "--format", "json");
        expect(late.code).toBe(1);
        expect(JSON.parse(late.out).violations.map((v: { rule: string; name: string }) => [v.rule, v.name])).toEqual([
            ["trust-policy-not-open", "late"],
            ["principal-format", "to-user"],
        ]);
        expect(preview(join(fixtures, "throws-late"))).toEqual({ code: 2, out: "", err: "error: the program failed: the inventory call failed late\n    at index.js:3:11\n" });
    });
    test("a hostile program cannot speak for the preview or empty the refusals: both of its violations are reported", () => {
        const { code, out } = preview(join(fixtures, "forges"), "--format", "json");
        expect(code).toBe(1);
        const report = JSON.parse(out);
        expect(report.project).toBe("forges");
        expect(report.violations.map((v: { rule: string; name: string }) => [v.rule, v.name])).toEqual([
            ["principal-format", "bad"],
            ["trust-policy-not-open", "late"],
        ]);
    });
    test("the entry is the one pulumi runs: a folder's index.js before its index.ts", () => {
        const { code, out } = preview(join(fixtures, "stale-build"), "--format", "json");
        expect(code).toBe(1);
        expect(JSON.parse(out).violations.map((v: { rule: string; name: string }) => [v.rule, v.name])).toEqual([["trust-policy-not-open", "compiled"]]);
    });
    test("the time limit stops the processes the program started too", () => {
        const { code } = preview(join(fixtures, "spawns"), "--timeout", "1");
        expect(code).toBe(2);
        expect(spawnSync("pgrep", ["-f", "sleep 30"]).status).toBe(1);
    });
    test("secrets that never reach a resource input are not printed either: the config's, the program's own, a provider's credentials", () => {
        // Text prints nothing more than stderr here (a failed program with no verdict): JSON and SARIF carry the error too.
        for (const format of ["json", "sarif"]) {
            const { code, out, err } = preview(join(fixtures, "secret-in-error"), "--format", format);
            expect(code).toBe(2);
            expect(`${out}${err}`).not.toMatch(/canary/);
            expect(err).toBe("error: the program failed: login failed with token [secret]\n    at index.js:11:11\ncould not use [secret]\n    at index.js:8:11\n");
        }
    });
    test.each(["waits-forever", "busy-loop"])("%s is stopped at the time limit, exit 2", (fixture) => {
        expect(preview(join(fixtures, fixture), "--timeout", "1")).toEqual({
            code: 2,
            out: "",
            err: "error: the program did not finish within 1 s, compiling included (a timer or connection left open, an endless loop, or a wait for something that never comes); it was stopped, with every process it started. Give it longer with --timeout SECONDS.\n",
        });
    });
    test("a program that exits the process early exits 2 saying so", () => {
        expect(preview(join(fixtures, "exits-early"))).toEqual({
            code: 2,
            out: "",
            err: "error: the program ended its process (exit code 0) before it finished, or closed its channel to the preview; a Pulumi program must not call process.exit\n",
        });
    });
    test("what the program prints goes to stderr: the JSON report on stdout stays valid", () => {
        const { code, out, err } = preview(join(fixtures, "prints"), "--format", "json");
        expect(code).toBe(0);
        expect(err).toBe("creating the share\ndone\n");
        expect(JSON.parse(out).resources.map((r: { name: string }) => r.name)).toEqual(["backups", "backups-share", "backups-target-2345678901234567", "backups-snapshot-s-uf6backup00001"]);
    });
    test("a type error exits 2 with the compiler's diagnostics, as pulumi preview refuses it; --transpile-only skips the check and the component refuses the value (S8)", () => {
        expect(preview(join(fixtures, "type-error"))).toEqual({
            code: 2,
            out: "",
            err:
                "error: the program failed: the program does not type-check (pulumi preview checks it too; --transpile-only skips the check):\n" +
                "  index.ts(4,7): error TS2322: Type 'string[]' is not assignable to type 'string'.\n",
        });
        const skipped = preview(join(fixtures, "type-error"), "--transpile-only", "--format", "json");
        expect(skipped.code).toBe(1);
        expect(JSON.parse(skipped.out).violations.map((v: { rule: string; path: string }) => [v.rule, v.path])).toEqual([["arguments-well-formed", "accountIds[0]"]]);
    });
});

describe("every example previews offline", () => {
    test.each([
        ["encrypted-snapshot-dr", [], 0, 10],
        ["golden-images", [], 0, 16],
        ["organization-policy", ["--policy-config", "examples/organization-policy/policy-config.json"], 0, 4],
        ["organization-policy", ["--policy-config", "examples/organization-policy/policy-config.strict.json"], 1, 4],
    ] as [string, string[], number, number][])("%s %j exits %i with %i resources", (example, args, exitCode, resources) => {
        const { code, out } = preview(join("examples", example), ...args, "--transpile-only", "--format", "json");
        expect(code).toBe(exitCode);
        const report = JSON.parse(out);
        expect(report.resources.filter((r: { custom: boolean; type: string }) => r.custom && !r.type.startsWith("pulumi:providers:"))).toHaveLength(resources);
        if (exitCode === 1) {
            expect(report.violations.map((v: { rule: string }) => v.rule)).toEqual(["exemption-valid", "recipients-allowed"]);
        }
    });
});
