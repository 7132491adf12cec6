/**
 * A new user's first minutes, exactly as the README tells them: the install line (the packed tarball standing in for
 * the registry), the first program, and `npx alicloud-sharing preview`: no TypeScript compiler, no `@pulumi/policy`
 * and no `@types` installed, so the CLI runs on the package's own dependencies and compiles the program with the
 * TypeScript `@pulumi/pulumi` vendors, type-checking it as `pulumi preview` does.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, writeFileSync } from "fs";
import { join } from "path";
import { firstExample, readmeLineInstall } from "./support/consumer";

let consumer: string;
const cli = (cwd: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [join(consumer, "node_modules", ".bin", "alicloud-sharing"), ...args], { cwd, encoding: "utf8" });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
};

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
