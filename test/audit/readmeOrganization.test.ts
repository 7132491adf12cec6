/**
 * The README's organization example, as written: `alicloud-sharing emulator --fixture organization`, then `org export`
 * and `audit --directory` with the lines it printed, run in process through the command line (the installed package
 * runs the single account's example: test/readmeInstall.test.ts). No real account is used: the emulator is the
 * package's own.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cli } from "../../src/cli/main";
import { serveEmulator } from "../../src/testing/serve";

/** The README's organization section: its code blocks (the command after `$ `, and the lines after it). */
function blocks(): { command: string[]; output: string[] }[] {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Audit an organization"), readme.indexOf("## Other languages"));
    return [...section.matchAll(/```\n\$ (.*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1].split(" "), output: m[2].replace(/\n$/, "").split("\n") }));
}

/** Whether `actual` holds the lines: runs between `…` lines appear whole and in order; a time in seconds matches any. */
function matchesShortened(actual: string[], expected: string[]): boolean {
    const runs: string[][] = [[]];
    expected.forEach((l) => (l.trim() === "…" ? runs.push([]) : runs[runs.length - 1].push(l)));
    const same = (a: string, e: string) => a.replace(/in \d+\.\d s\)/, "in #.# s)") === e.replace(/in \d+\.\d s\)/, "in #.# s)");
    let at = 0;
    for (const run of runs.filter((r) => r.length > 0)) {
        let found = -1;
        for (let i = at; i + run.length <= actual.length && found < 0; i++) {
            if (run.every((e, j) => same(actual[i + j], e))) found = i;
        }
        if (found < 0) return false;
        at = found + run.length;
    }
    return true;
}

test("the emulator, org export and audit --directory give the documented output (exit 0, 0 and 1)", async () => {
    const [emulatorBlock, exportBlock, auditBlock] = blocks();
    expect([emulatorBlock, exportBlock, auditBlock].map((b) => b.command.slice(0, 3).join(" "))).toEqual(["npx alicloud-sharing emulator", "npx alicloud-sharing org", "npx alicloud-sharing audit"]);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "readme-org-"));
    const inWork = (a: string) => (a.endsWith(".json") || a.endsWith(".yaml") ? path.join(work, a) : a);
    // As written, on a free port rather than 8791, the files in a folder of the test's own.
    const args = emulatorBlock.command.slice(3).map((a, i, all) => (all[i - 1] === "--port" ? "0" : inWork(a)));
    const fixture = args[args.indexOf("--fixture") + 1] as "organization";
    const out: string[] = [];
    const served: string[] = [];
    let stop: () => void = () => undefined;
    const serving = serveEmulator(
        { fixture, port: 0, intendedFile: args[args.indexOf("--intended") + 1] },
        { stdout: (t) => out.push(t), stderr: (t) => served.push(t), stopped: new Promise((r) => (stop = () => r(undefined))) },
    );
    try {
        // Until it prints the lines to use (or stops: it could not start).
        await Promise.race([serving, (async () => {
            while (out.length === 0) {
                await new Promise((r) => setTimeout(r, 5));
            }
        })()]);
        expect(served.join("")).toMatch(/^alicloud-sharing emulator: the organization rd-3G6Rt8: management account 1000000000000000 and 4 members \(emulated, not an Alibaba Cloud account\) at http:\/\/127\.0\.0\.1:\d+; its stack's preview written to .*preview\.json\. Ctrl-C stops it\.\n$/);
        const port = /ALICLOUD_SHARING_ENDPOINT=127\.0\.0\.1:(\d+)/.exec(out.join(""))![1];
        expect(out.join("")).toBe(`${emulatorBlock.output.join("\n").replace(":8791", `:${port}`)}\n`);
        const env = Object.fromEntries(out.join("").trim().split("\n").map((l) => l.replace(/^export /, "").split("=") as [string, string]));
        const run = async (command: string[]) => {
            const o: string[] = [];
            const e: string[] = [];
            const { program, exit } = cli({ stdout: (t) => o.push(t), stderr: (t) => e.push(t) }, { env });
            await program.parseAsync(command.slice(2).map(inWork), { from: "user" });
            return { code: exit.code, out: o.join(""), err: e.join("") };
        };
        const exported = await run(exportBlock.command);
        expect([exported.code, exported.out]).toEqual([0, `${exportBlock.output.join("\n")}\n`]);
        const audited = await run(auditBlock.command);
        expect(audited.code).toBe(1);
        expect(matchesShortened(audited.out.split("\n"), auditBlock.output) ? "" : audited.out).toBe("");
        expect(audited.err).toBe("error: the audit could not read everything (1 account not read, 0 answers not usable, listed in the report): exit 2 unless a mandatory violation was found\n");
        expect(audited.out).not.toContain("emulator-secret-never-logged");
    } finally {
        stop();
        expect(await serving).toBe(0);
        fs.rmSync(work, { recursive: true, force: true });
    }
});
