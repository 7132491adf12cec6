/**
 * The packed tarball, installed into a fresh consumer: it compiles the README's first example with tsc, runs it
 * under mocks, and finds exactly one copy of @pulumi/pulumi.
 */
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const root = join(__dirname, "..");
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** The first TypeScript block of the README: the program a new user copies. */
export function firstExample(): string {
    const match = readFileSync(join(root, "README.md"), "utf8").match(/```typescript\n([\s\S]*?)```/);
    if (!match) {
        throw new Error("README.md has no ```typescript block");
    }
    return match[1];
}

/** Every installed copy of a package under a node_modules tree. */
function copiesOf(dir: string, pkg: string): string[] {
    const found: string[] = [];
    const walk = (modules: string) => {
        if (!existsSync(modules)) {
            return;
        }
        for (const entry of readdirSync(modules)) {
            const scoped = entry.startsWith("@") ? readdirSync(join(modules, entry)).map((e) => `${entry}/${e}`) : [entry];
            for (const name of scoped) {
                const at = join(modules, name);
                if (name === pkg) {
                    found.push(at);
                }
                walk(join(at, "node_modules"));
            }
        }
    };
    walk(join(dir, "node_modules"));
    return found;
}

describe("the npm package in a fresh consumer", () => {
    let work: string;
    beforeAll(() => {
        work = mkdtempSync(join(tmpdir(), "alicloud-sharing-consumer-"));
        const tarball = npm(["pack", "--silent", "--pack-destination", work], root).trim().split("\n").pop()!;
        const consumer = join(work, "consumer");
        execFileSync("mkdir", ["-p", consumer]);
        writeFileSync(
            join(consumer, "package.json"),
            JSON.stringify({
                name: "consumer",
                version: "1.0.0",
                private: true,
                dependencies: {
                    "alicloud-sharing": `file:../${tarball}`,
                    "@pulumi/pulumi": rootPackage.devDependencies["@pulumi/pulumi"],
                    "@pulumi/alicloud": rootPackage.devDependencies["@pulumi/alicloud"],
                    "@pulumi/policy": rootPackage.devDependencies["@pulumi/policy"],
                    typescript: rootPackage.devDependencies.typescript,
                    "@types/node": rootPackage.devDependencies["@types/node"],
                },
            }),
        );
        // The tsconfig of Pulumi's TypeScript template, for the README's program.
        writeFileSync(
            join(consumer, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true },
                files: ["index.ts"],
            }),
        );
        // skipLibCheck: @pulumi/policy 1.21's own index.d.ts re-exports members its proxy.d.ts leaves out (see README).
        writeFileSync(
            join(consumer, "tsconfig.policy.json"),
            JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true, target: "ES2022", module: "commonjs", outDir: "bin", types: ["node"] }, files: ["policies.ts"] }),
        );
        writeFileSync(join(consumer, "index.ts"), firstExample());
        // The policy and testing entry points, as a team composing its own pack would use them.
        writeFileSync(
            join(consumer, "policies.ts"),
            `import { policies } from "alicloud-sharing/policy";
import { expectViolations, runPolicies } from "alicloud-sharing/testing";

export async function check(): Promise<string> {
    const violations = await runPolicies(policies, [
        { type: "alicloud:resourcemanager/sharedTarget:SharedTarget", name: "user", props: { resourceShareId: "rs-1", targetId: "bob" } },
    ]);
    expectViolations(violations, ["principal-format@user"]);
    return violations[0].message;
}
`,
        );
        writeFileSync(
            join(consumer, "run.js"),
            `const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks({
    newResource: (a) => { registered.push(a.type); return { id: a.name + "-id", state: a.inputs }; },
    call: (a) => a.token.endsWith("getCallerIdentity") ? { accountId: "1111111111111111" } : { ids: ["cn-shanghai"] },
}, "consumer", "dev", false);
const program = require("./bin/index.js");
setTimeout(async () => {
    const shareId = await new Promise((resolve) => program.shareId.apply(resolve));
    process.stdout.write(JSON.stringify({ shareId, registered: registered.sort() }));
}, 1500);
`,
        );
        npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], consumer);
    }, 300_000);
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    test("the tarball holds only what users need", () => {
        const files: string[] = JSON.parse(npm(["pack", "--dry-run", "--json"], root))[0].files.map((f: { path: string }) => f.path);
        expect(files.filter((f) => !/^(dist\/.*\.(js|d\.ts)|docs\/RULES\.md|README\.md|package\.json|LICENSE)$/.test(f))).toEqual([]);
        expect(files).toContain("dist/index.js");
        expect(files).toContain("dist/index.d.ts");
    });

    test("exactly one copy of @pulumi/pulumi is installed", () => {
        expect(copiesOf(join(work, "consumer"), "@pulumi/pulumi")).toEqual([join(work, "consumer", "node_modules", "@pulumi", "pulumi")]);
    });

    test("the policy and testing entry points compile and run in the consumer", () => {
        const consumer = join(work, "consumer");
        execFileSync(join(consumer, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.policy.json"], { cwd: consumer, encoding: "utf8" });
        const message = execFileSync(process.execPath, ["-e", "require('./bin/policies.js').check().then((m) => process.stdout.write(m))"], { cwd: consumer, encoding: "utf8" });
        expect(message).toMatch(/^\[C1\] "bob" is not a target id: an account id/);
    });

    test("the README's first example type-checks with tsc and runs under mocks", () => {
        const consumer = join(work, "consumer");
        execFileSync(join(consumer, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: consumer, encoding: "utf8" });
        const result = JSON.parse(execFileSync(process.execPath, ["run.js"], { cwd: consumer, encoding: "utf8" }));
        expect(result.shareId).toBe("backups-share-id");
        expect(result.registered).toEqual(expect.arrayContaining(["alicloud-sharing:index:SharedSnapshot", "alicloud-sharing:index:SharedImage", "alicloud:ecs/imageCopy:ImageCopy"]));
    });
});
