/**
 * The packed tarball, installed into a fresh consumer (shared with the other consumer tests, see support/consumer.ts):
 * what it holds, that its maps and links resolve where it is installed, that it is a component package, that the
 * README's first example compiles with tsc and runs under mocks, and that exactly one @pulumi/pulumi is installed.
 */
import { execFileSync } from "child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import { REPO_TYPE_ROOTS, consumerInstall, consumerWorkspace, firstExample, packedTarball, repoTsc } from "./support/consumer";

const root = join(__dirname, "..");

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

/** Every file below a folder, relative to it. */
function filesBelow(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(dir, join(e.parentPath, e.name)))
        .sort();
}

/** GitHub's anchors of a Markdown file's headings. */
function anchorsOf(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const anchors = new Set<string>();
    for (const [, heading] of markdown.replace(/```[\s\S]*?```/g, "").matchAll(/^#{1,6} (.+)$/gm)) {
        const slug = heading
            .trim()
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\s_-]/gu, "")
            .replace(/ /g, "-");
        const n = seen.get(slug) ?? 0;
        seen.set(slug, n + 1);
        anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    return anchors;
}

/** The relative links of a Markdown file (outside code) that do not resolve below `base`: missing files or anchors. */
function brokenLinks(base: string, file: string): string[] {
    const markdown = readFileSync(join(base, file), "utf8");
    const broken: string[] = [];
    for (const [, target] of markdown.replace(/```[\s\S]*?```/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) {
            continue;
        }
        const [path, anchor] = target.split("#");
        const linked = path === "" ? join(base, file) : resolve(dirname(join(base, file)), path);
        const exists = existsSync(linked) && relative(base, linked).split("/")[0] !== "..";
        const anchorOk = anchor === undefined || (exists && linked.endsWith(".md") && anchorsOf(readFileSync(linked, "utf8")).has(anchor));
        if (!exists || !anchorOk) {
            broken.push(target);
        }
    }
    return broken;
}

describe("the npm package in a fresh consumer", () => {
    let consumer: string;
    let installed: string;
    let work: string;
    beforeAll(async () => {
        consumer = await consumerInstall();
        installed = join(consumer, "node_modules", "alicloud-sharing");
        work = await consumerWorkspace("package-test");
    }, 600_000);

    test("the tarball holds the compiled modules with their maps, the sources they map to, the docs and the package files", async () => {
        const files = execFileSync("tar", ["-tzf", await packedTarball()], { encoding: "utf8" })
            .trim()
            .split("\n")
            .map((f) => f.replace(/^package\//, ""))
            .sort();
        const of = (pattern: RegExp, suffix: string) => files.filter((f) => pattern.test(f)).map((f) => f.replace(pattern, suffix));
        const modules = of(/^src\/(.*)\.ts$/, "$1");
        expect(modules).toContain("index");
        expect(modules).toContain("policy/index");
        expect(of(/^dist\/(.*)\.js$/, "$1")).toEqual(modules);
        expect(of(/^dist\/(.*)\.js\.map$/, "$1")).toEqual(modules);
        expect(of(/^dist\/(.*)\.d\.ts$/, "$1")).toEqual(modules);
        expect(of(/^dist\/(.*)\.d\.ts\.map$/, "$1")).toEqual(modules);
        expect(files.filter((f) => !/^(src|dist)\//.test(f))).toEqual(
            ["CHANGELOG.md", "LICENSE", "PulumiPlugin.yaml", "README.md", "docs/CONSTRAINTS.md", "docs/RULES.md", "docs/SETTINGS.md", "package.json", "tsconfig.json"],
        );
    });

    test("the installed package's source maps and declaration maps point at its shipped sources", () => {
        const maps = filesBelow(join(installed, "dist")).filter((f) => f.endsWith(".map"));
        expect(maps).toContain("index.js.map");
        expect(maps).toContain("index.d.ts.map");
        const unresolved = maps.flatMap((m) => {
            const map = JSON.parse(readFileSync(join(installed, "dist", m), "utf8")) as { sources: string[]; sourceRoot?: string };
            expect(map.sources).toHaveLength(1);
            return map.sources.map((s) => resolve(dirname(join(installed, "dist", m)), map.sourceRoot ?? "", s)).filter((s) => !existsSync(s) || !s.startsWith(join(installed, "src")));
        });
        expect(unresolved).toEqual([]);
        expect(readFileSync(join(installed, "dist", "index.js"), "utf8")).toMatch(/\n\/\/# sourceMappingURL=index\.js\.map\n?$/);
    });

    test("the shipped docs link only to what ships; the README's links outside the package are the known ones", () => {
        expect(brokenLinks(installed, "docs/RULES.md")).toEqual([]);
        expect(brokenLinks(installed, "docs/CONSTRAINTS.md")).toEqual([]);
        expect(brokenLinks(installed, "CHANGELOG.md")).toEqual([]);
        // Files the package does not ship are linked in the repository (absolute URLs), so every link works in the
        // repository, on the npm page and in the installed package.
        expect(brokenLinks(installed, "README.md")).toEqual([]);
        expect(brokenLinks(root, "README.md")).toEqual([]);
    });

    test("the installed package is a component package: PulumiPlugin.yaml's host and the schema built from the shipped sources", async () => {
        expect(readFileSync(join(installed, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs\nmain: dist\/host\.js$/m);
        expect(existsSync(join(installed, "dist", "host.js"))).toBe(true);
        const schema = JSON.parse(
            execFileSync(process.execPath, ["-e", "require(process.argv[1]).componentProvider().getSchema().then((s) => process.stdout.write(s))", join(installed, "dist", "provider.js")], {
                cwd: work,
                encoding: "utf8",
            }),
        );
        expect(schema.name).toBe("alicloud-sharing");
        expect(Object.keys(schema.resources).sort()).toEqual(
            ["EncryptedShareRole", "ShareAcceptance", "SharedImage", "SharedSnapshot", "SharedSnapshotDisk", "ShareeImageAccess", "SnapshotCopy"].map((c) => `alicloud-sharing:index:${c}`),
        );
        expect(schema.resources["alicloud-sharing:index:SharedSnapshot"].requiredInputs).toEqual(["snapshotIds"]);
    }, 120_000);

    test("exactly one copy of @pulumi/pulumi is installed", () => {
        expect(copiesOf(consumer, "@pulumi/pulumi")).toEqual([join(consumer, "node_modules", "@pulumi", "pulumi")]);
    });

    test("the policy and testing entry points compile and run in the consumer", () => {
        // skipLibCheck: @pulumi/policy 1.21's own index.d.ts re-exports members its proxy.d.ts leaves out (see README).
        writeFileSync(
            join(work, "tsconfig.policy.json"),
            JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true, target: "ES2022", module: "commonjs", outDir: "bin", types: ["node"], typeRoots: REPO_TYPE_ROOTS }, files: ["policies.ts"] }),
        );
        // The policy and testing entry points, as a team composing its own pack would use them.
        writeFileSync(
            join(work, "policies.ts"),
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
        execFileSync(process.execPath, [repoTsc, "-p", "tsconfig.policy.json"], { cwd: work, encoding: "utf8" });
        const message = execFileSync(process.execPath, ["-e", "require('./bin/policies.js').check().then((m) => process.stdout.write(m))"], { cwd: work, encoding: "utf8" });
        expect(message).toMatch(/^\[C1\] "bob" is not a target id: an account id/);
    });

    test("the README's first example type-checks with tsc and runs under mocks", () => {
        // The tsconfig of Pulumi's TypeScript template, for the README's program, but for skipLibCheck: the program is
        // checked strictly against the package's declarations, not the declarations themselves (emitted by the build's
        // strict compile of src): checking @pulumi/alicloud's thousands of them took most of this test's time.
        writeFileSync(
            join(work, "tsconfig.json"),
            JSON.stringify({
                // (With Node's types from this repository: the consumer installed only the README's line.)
                compilerOptions: { strict: true, skipLibCheck: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true, typeRoots: REPO_TYPE_ROOTS },
                files: ["index.ts"],
            }),
        );
        writeFileSync(join(work, "index.ts"), firstExample());
        writeFileSync(
            join(work, "run.js"),
            `const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks({
    newResource: (a) => { registered.push(a.type); return { id: a.name + "-id", state: a.inputs }; },
    call: (a) => a.token.endsWith("getCallerIdentity") ? { accountId: "1111111111111111" } : { ids: ["cn-shanghai"] },
}, "consumer", "dev", false);
const program = require("./bin/index.js");
// Once nothing is left to do (every registration made under the mocks), what was registered.
let done = false;
process.on("beforeExit", () => {
    if (done) return;
    done = true;
    program.shareId.apply((shareId) => process.stdout.write(JSON.stringify({ shareId, registered: registered.sort() })));
});
`,
        );
        execFileSync(process.execPath, [repoTsc, "-p", "."], { cwd: work, encoding: "utf8" });
        const result = JSON.parse(execFileSync(process.execPath, ["run.js"], { cwd: work, encoding: "utf8" }));
        expect(result.shareId).toBe("backups-share-id");
        expect(result.registered).toEqual(expect.arrayContaining(["alicloud-sharing:index:SharedSnapshot", "alicloud-sharing:index:SharedImage", "alicloud:ecs/imageCopy:ImageCopy"]));
    });
});
