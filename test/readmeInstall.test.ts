/**
 * A new user's first minutes, exactly as the README tells them: the install line (the packed tarball standing in for
 * the registry), the first program, and `npx alicloud-sharing preview`: no TypeScript compiler, no `@pulumi/policy`
 * and no `@types` installed, so the CLI runs on the package's own dependencies and compiles the program with the
 * TypeScript `@pulumi/pulumi` vendors, type-checking it as `pulumi preview` does; and the README's audit example, the
 * emulator served by `npx alicloud-sharing emulator` and the audit run against it, as written.
 */
import { spawn, spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { firstExample, readmeLineInstall } from "./support/consumer";

let consumer: string;
const cli = (cwd: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [join(consumer, "node_modules", ".bin", "alicloud-sharing"), ...args], { cwd, encoding: "utf8" });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
};
/** The installed command run with the environment given (and no other Alibaba Cloud credential), asynchronously (the emulator answers in this process). */
const cliAsync = (cwd: string, env: Record<string, string>, ...args: string[]) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ALIBABA_CLOUD_") && !k.startsWith("ALICLOUD_")));
        const child = spawn(process.execPath, [join(consumer, "node_modules", ".bin", "alicloud-sharing"), ...args], { cwd, env: { ...clean, ...env } });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (code) => resolve({ code: code ?? -1, out, err }));
    });

beforeAll(async () => {
    consumer = await readmeLineInstall();
}, 600_000);

test("the install line brings no TypeScript compiler of its own: the program compiles with the one @pulumi/pulumi vendors", () => {
    expect(existsSync(join(consumer, "node_modules", "typescript"))).toBe(false);
    expect(existsSync(join(consumer, "node_modules", "ts-node"))).toBe(false);
    expect(existsSync(join(consumer, "node_modules", "@pulumi", "pulumi", "vendor", "typescript@3.8.3"))).toBe(true);
});

test("npx alicloud-sharing --help and --version work", () => {
    const help = cli(consumer, "--help");
    expect([help.code, help.err]).toEqual([0, ""]);
    expect(help.out).toMatch(/^Usage: alicloud-sharing \[options\] \[command\]/);
    expect(cli(consumer, "--version")).toEqual({ code: 0, out: "0.1.0\n", err: "" });
});

describe("the README's first program", () => {
    let program: string;
    beforeAll(() => {
        program = mkdtempSync(join(consumer, "first-"));
        writeFileSync(join(program, "Pulumi.yaml"), "name: first-program\nruntime: nodejs\n");
        writeFileSync(join(program, "index.ts"), firstExample());
    });

    test("previews offline, type-checked: exit 0, its shares, roles and the Beijing copy in the plan, no verdict", () => {
        const { code, out, err } = cli(program, "preview", ".");
        expect([code, err]).toEqual([0, ""]);
        expect(out).toMatch(/^alicloud-sharing offline preview of first-program \(stack dev, config \(no stack config\), account 1000000000000000, region cn-hangzhou\)\n\nPlan: 23 resources\n/);
        for (const expected of [
            "+ alicloud-sharing:index:SharedImage golden",
            "+ alicloud-sharing:index:SharedSnapshot backups",
            "+ alicloud:ram/role:Role golden-share-role-role",
            "+ alicloud:ecs/imageCopy:ImageCopy golden-cn-beijing-copy-m-uf6golden00001 (protected, provider alicloud-sharing-cn-beijing)",
            "Verdicts: 0 mandatory, 0 advisory\n  no violation",
        ]) {
            expect(out).toContain(expected);
        }
    });

    test("a type error in it is refused as pulumi preview refuses it (exit 2, the compiler's diagnostic)", () => {
        writeFileSync(join(program, "index.ts"), `${firstExample()}\nexport const wrong: number = "x";\n`);
        expect(cli(program, "preview", ".")).toEqual({
            code: 2,
            out: "",
            err: expect.stringMatching(/^error: the program failed: the program does not type-check \(pulumi preview checks it too; --transpile-only skips the check\):\n {2}index\.ts\(\d+,14\): error TS2322: Type '"x"' is not assignable to type 'number'\.\n$/),
        });
    });
});

/** The README's audit section: its code blocks (the command after `$ `, and the lines after it). */
function readmeAuditBlocks(): { command: string[]; output: string[] }[] {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Audit an account"), readme.indexOf("## Other languages"));
    return [...section.matchAll(/```\n\$ (.*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1].split(" "), output: m[2].replace(/\n$/, "").split("\n") }));
}


/**
 * Whether `actual` holds the README's lines: runs of lines between `…` lines appear whole and in order; a time in
 * seconds matches any time.
 */
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
        if (found < 0) {
            return false;
        }
        at = found + run.length;
    }
    return true;
}

// No real account is used anywhere: the emulator is the package's own (alicloud-sharing/testing), served by its command.
describe("the README's audit example, run as written from the installed package: `alicloud-sharing emulator`, then the audit", () => {
    test("the emulator prints the exports to use and stays up; the audit gives the documented report (exit 1); Ctrl-C stops the emulator (exit 0)", async () => {
        const [emulatorBlock, auditBlock] = readmeAuditBlocks();
        expect(emulatorBlock.command.slice(0, 4)).toEqual(["npx", "alicloud-sharing", "emulator", "--fixture"]);
        expect(auditBlock.command.slice(0, 3)).toEqual(["npx", "alicloud-sharing", "audit"]);
        const work = mkdtempSync(join(consumer, "readme-audit-"));
        // As written, on a free port rather than 8790 (other test runs may hold it).
        const args = emulatorBlock.command.slice(2).map((a, i, all) => (all[i - 1] === "--port" ? "0" : a));
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ALIBABA_CLOUD_") && !k.startsWith("ALICLOUD_")));
        const server = spawn(process.execPath, [join(consumer, "node_modules", ".bin", "alicloud-sharing"), ...args], { cwd: work, env: clean });
        let out = "";
        let err = "";
        server.stderr.on("data", (d) => (err += d));
        const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
        try {
            await new Promise<void>((resolve, reject) => {
                server.stdout.on("data", (d) => {
                    out += d;
                    if (out.split("\n").length > 3) resolve();
                });
                server.on("exit", () => reject(new Error(`the emulator exited: ${err}`)));
            });
            const port = /ALICLOUD_SHARING_ENDPOINT=127\.0\.0\.1:(\d+)/.exec(out)![1];
            expect(out).toBe(`${emulatorBlock.output.join("\n").replace(":8790", `:${port}`)}\n`);
            expect(err).toMatch(/^alicloud-sharing emulator: the demo account 1000000000000000 \(emulated, not an Alibaba Cloud account\) at http:\/\/127\.0\.0\.1:\d+; its stack's preview written to preview\.json\. Ctrl-C stops it\.\n$/);
            const env = Object.fromEntries(out.trim().split("\n").map((l) => l.replace(/^export /, "").split("=") as [string, string]));
            const audited = await cliAsync(work, env, ...auditBlock.command.slice(2));
            expect([audited.code, audited.err]).toEqual([1, ""]);
            expect(matchesShortened(audited.out.split("\n"), auditBlock.output) ? "" : audited.out).toBe("");
            expect(audited.out).not.toContain("emulator-secret-never-logged");
        } finally {
            server.kill("SIGINT");
        }
        expect(await exited).toBe(0);
    });
});
