/**
 * The policy pack as it is published from a clone: `npm run policypack` writes the folder, `npm pack` of that folder
 * is what `pulumi policy publish` uploads, and a fresh copy of that upload installs with `npm install` and runs as the
 * CLI runs it (`@pulumi/pulumi`'s `cmd/run-policy-pack`, driven over the analyzer gRPC protocol).
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "fs";
import { join } from "path";
import * as grpc from "@grpc/grpc-js";
import { consumerInstall, npm, npmInstall, packedTarball, rootPackage, suiteDir } from "./support/consumer";
import { PACK_LEVELS } from "./support/mocks";
import { analyzerProto, analyzerRpc, Empty, Struct } from "./support/policyPackProcess";

const root = join(__dirname, "..");
const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];
const tarballName = `alicloud-sharing-${rootPackage.version}.tgz`;

let folder: string;
let upload: string[];
let installed: string;
let child: ChildProcess | undefined;
let client: any;

const call = (method: string, request: unknown): Promise<any> =>
    new Promise((resolve, reject) => client[method](request, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));

/** Starts the pack in `dir` as the CLI does and resolves with the port it prints. */
function startPack(dir: string): Promise<number> {
    child = spawn(process.execPath, [join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:1", "."], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    return new Promise<number>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`the pack printed no port in 60 s; stderr: ${stderr}`)), 60_000);
        child!.stdout!.on("data", (d) => {
            out += d;
            const m = out.match(/^(\d+)\s*$/m);
            if (m) {
                clearTimeout(timer);
                resolve(Number(m[1]));
            }
        });
        child!.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the pack exited with ${code} before printing its port; stderr: ${stderr}`));
        });
    });
}

beforeAll(async () => {
    const tarball = await packedTarball();
    const base = join(suiteDir(), "policypack-test");
    folder = join(base, "policypack");
    execFileSync("npm", ["run", "--silent", "policypack", "--", "--tarball", tarball, "--out", folder], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    // What `pulumi policy publish` uploads: `npm pack` of the folder; unpacked in a fresh folder and installed there.
    const uploads = join(base, "upload");
    mkdirSync(uploads);
    const archive = npm(["pack", "--silent", "--pack-destination", uploads], folder).trim().split("\n").pop()!;
    upload = execFileSync("tar", ["-tzf", join(uploads, archive)], { encoding: "utf8" }).trim().split("\n").sort();
    execFileSync("tar", ["-xzf", join(uploads, archive), "-C", uploads]);
    installed = join(uploads, "package");
    // Installed over hard links of the shared consumer's node_modules (the same registry packages: see
    // support/consumer.ts), so npm fetches and extracts only what differs: npm still resolves the upload's package.json
    // as it stands, and installs the vendored tarball from the folder (a dependency outside it would fail here).
    execFileSync("cp", ["-al", join(await consumerInstall(), "node_modules"), join(installed, "node_modules")]);
    npmInstall(installed);
    const port = await startPack(installed);
    client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 600_000);

afterAll(async () => {
    client?.close();
    if (child && child.exitCode === null) {
        const exited = new Promise((r) => child!.once("exit", r));
        child.kill("SIGTERM");
        await exited;
    }
});

test("npm run policypack writes the pack folder, whose package.json refers to nothing outside it", () => {
    expect(readdirSync(folder).sort()).toEqual(["PulumiPolicy.yaml", "README.md", "index.js", "package.json", "policy-config.example.json", "vendor"]);
    expect(readdirSync(join(folder, "vendor"))).toEqual([tarballName]);
    expect(JSON.parse(readFileSync(join(folder, "package.json"), "utf8"))).toEqual({
        name: "alicloud-sharing-policy-pack",
        version: rootPackage.version,
        description: "The alicloud-sharing policy pack: Alibaba Cloud ECS snapshot and image sharing, checked before deployment.",
        private: true,
        license: "Apache-2.0",
        main: "index.js",
        files: ["index.js", "PulumiPolicy.yaml", "policy-config.example.json", `vendor/${tarballName}`],
        dependencies: {
            "@pulumi/alicloud": rootPackage.devDependencies["@pulumi/alicloud"],
            "@pulumi/policy": rootPackage.dependencies["@pulumi/policy"],
            "@pulumi/pulumi": rootPackage.devDependencies["@pulumi/pulumi"],
            "alicloud-sharing": `file:vendor/${tarballName}`,
        },
    });
    expect(readFileSync(join(folder, "PulumiPolicy.yaml"), "utf8")).toBe(readFileSync(join(root, "policypack", "PulumiPolicy.yaml"), "utf8"));
    expect(readFileSync(join(folder, "index.js"), "utf8")).toContain('require("alicloud-sharing/policy")');
});

test("the upload (npm pack of the folder) holds the pack and the vendored package, and nothing else", () => {
    expect(upload).toEqual(
        ["PulumiPolicy.yaml", "README.md", "index.js", "package.json", "policy-config.example.json", `vendor/${tarballName}`].map((f) => `package/${f}`),
    );
});

test("the pack's README links resolve in the installed pack", () => {
    const readme = readFileSync(join(installed, "README.md"), "utf8");
    const targets = [...readme.replace(/```[\s\S]*?```/g, "").matchAll(/\]\(([^)\s#]+)(#[^)\s]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
    expect([...new Set(targets)].sort()).toEqual(["node_modules/alicloud-sharing/docs/RULES.md", "node_modules/alicloud-sharing/docs/SETTINGS.md", "policy-config.example.json"]);
    expect(targets.filter((t) => !existsSync(join(installed, t)))).toEqual([]);
});

test("GetAnalyzerInfo lists the 15 policies at their levels", async () => {
    const info = await call("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("alicloud-sharing");
    expect(info.getVersion()).toBe(rootPackage.version);
    const policies = Object.fromEntries(info.getPoliciesList().map((p: any) => [p.getName(), LEVEL[p.getEnforcementlevel()]]));
    expect(Object.keys(policies)).toHaveLength(15);
    expect(policies).toEqual(PACK_LEVELS);
});

test("Analyze: a SharedTarget whose target is a user name is a mandatory principal-format violation", async () => {
    const req = new analyzerProto.AnalyzeRequest();
    req.setType("alicloud:resourcemanager/sharedTarget:SharedTarget");
    req.setProperties(Struct.fromJavaScript({ resourceShareId: "rs-1", targetId: "bob" }));
    req.setUrn("urn:pulumi:dev::consumer::alicloud:resourcemanager/sharedTarget:SharedTarget::user");
    req.setName("user");
    const options = new analyzerProto.AnalyzerResourceOptions();
    options.setProtect(false);
    req.setOptions(options);
    const res = await call("analyze", req);
    expect(
        res.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), level: LEVEL[d.getEnforcementlevel()], message: d.getMessage(), urn: d.getUrn() })),
    ).toEqual([
        {
            policy: "sharing-resource-share",
            level: "mandatory",
            message: expect.stringMatching(/^\[C1\] "bob" is not a target id: an account id.*\(rule principal-format; at targetId\)$/s),
            urn: "urn:pulumi:dev::consumer::alicloud:resourcemanager/sharedTarget:SharedTarget::user",
        },
    ]);
});

test("the upload's install took the package from its vendored tarball, with one copy of @pulumi/pulumi", () => {
    const lock = JSON.parse(readFileSync(join(installed, "package-lock.json"), "utf8"));
    expect(lock.packages["node_modules/alicloud-sharing"].resolved).toBe(`file:vendor/${tarballName}`);
    expect(Object.keys(lock.packages).filter((p) => p.endsWith("node_modules/@pulumi/pulumi"))).toEqual(["node_modules/@pulumi/pulumi"]);
});
