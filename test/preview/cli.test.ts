/**
 * `alicloud-sharing preview` as users run it: the command line (help, version, options, exit codes, what goes to
 * stdout and stderr), and the reports of whole runs (the declarative program, refused components, policy violations)
 * in every format, each rendered by the report's one renderer of that format: text (verdicts grouped, --verbose lists
 * all), JSON, SARIF (located at the line and column where the program constructed each resource), Mermaid (bare, or
 * fenced with --map mermaid-md) and the HTML page (on stdout, or written with --html FILE beside another format).
 * The command runs in this process (test/support/previewRuns.ts); the built command in a process of its own only where
 * the process is the point (the bin, a report larger than a pipe holds). Programs that fail or hang: programs.test.ts.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { pathToFileURL } from "url";
import type { Log } from "sarif";
import { rules } from "../../src/rules";
import { readStackConfig } from "../../src/preview/program";
import { withoutCredentials } from "../../src/preview/resources";
import { previewReport } from "../../src/preview/report";
import { exitCodeOf } from "../../src/preview/run";
import { renderHtml } from "../../src/report/html";
import { renderFailureJson, renderJson } from "../../src/report/json";
import { renderMermaid } from "../../src/report/mermaid";
import { FINGERPRINT_KEY, fingerprintOf, renderFailureSarif, renderSarif } from "../../src/report/sarif";
import { renderText } from "../../src/report/text";
import { command, commands, judgedUnder } from "../support/previewRuns";
import { sarifErrors } from "../support/sarif";

const root = join(__dirname, "..", "..");
const fixtures = join(root, "test", "fixtures");
/** Absolute paths of this checkout, written as `<root>` in what is compared whole. */
const normalized = (text: string) => text.split(root).join("<root>");

/** A report much larger than a pipe's 64 KiB: 100 raw shares to a user name. */
const LARGE = join(fixtures, "large-report");

const work = mkdtempSync(join(tmpdir(), "preview-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const PAGE = join(work, "refusals.html");

// The programs this file runs through the command in this process (each program in a process of its own), at once.
const runs = commands({
    twoStacks: ["preview", join(fixtures, "two-stacks"), "--config", join(fixtures, "two-stacks", "Pulumi.a.yaml"), "--format", "json"],
    // SARIF on stdout and the page in a file, from one run.
    refusals: ["preview", join(fixtures, "two-refusals"), "--format", "sarif", "--html", PAGE],
});
// One run of the open-trust program, judged with its own policy config and under one that disables policies.
const openTrust = judgedUnder(
    join(fixtures, "open-trust"),
    {},
    { own: { format: "json" }, sarif: { format: "sarif" }, text: { format: "text" }, disables: { policyConfigFile: join(fixtures, "disables.json") } },
);
// One run of the declarative program (TypeScript, through the runner's ts-node), reported in every format.
const declarative = judgedUnder(root, { transpileOnly: true }, {
    text: { format: "text" },
    verbose: { format: "text", verbose: true },
    json: { format: "json", map: "mermaid" },
    fenced: { format: "text", map: "mermaid-md" },
    html: { format: "html" },
});
jest.setTimeout(180_000);

describe("the command line", () => {
    test("--help (the built command, the package's bin) describes each option, the reports, the exit codes and an example; -h and help preview say the same", async () => {
        const r = spawnSync(process.execPath, [join(root, "dist", "cli", "main.js"), "preview", "--help"], { cwd: root, encoding: "utf8" });
        const help = { code: r.status, out: r.stdout, err: r.stderr };
        expect([help.code, help.err]).toEqual([0, ""]);
        for (const option of ["--stack <name>", "--config <file>", "--policy-config <file>", "--format <format>", "--map <kind>", "--html <file>", "--verbose", "--account <id>", "--timeout <seconds>", "--max-time <seconds>", "--transpile-only"]) {
            expect(help.out).toContain(option);
        }
        expect(help.out).toContain("Exit codes:\n  0  no mandatory violation\n  1  a mandatory violation");
        expect(help.out).toContain("  2  the command could not run");
        expect(help.out).toContain("  --format html   one self-contained page (no network, a strict Content-Security-Policy): open it in a browser\n  --html FILE     also write that page to FILE, whatever --format prints\n");
        expect(help.out).toContain("Examples:\n  $ npx alicloud-sharing preview . --stack dev --format sarif > preview.sarif\n  $ npx alicloud-sharing preview . --html report.html\n");
        expect((await command("preview", "-h")).out).toBe(help.out);
        expect((await command("help", "preview")).out).toBe(help.out);
    });

    test("--version prints the package's version; no arguments prints the help to stderr with exit 2", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(await command("--version")).toEqual({ code: 0, out: `${require("../../package.json").version}\n`, err: "" });
        const none = await command();
        expect(none.code).toBe(2);
        expect(none.out).toBe("");
        expect(none.err).toMatch(/^Usage: alicloud-sharing \[options\] \[command\]\n[\s\S]*preview \[options\] \[program-dir\][\s\S]*audit \[options\]/);
    });

    test("an unknown option or a bad value exits 2 with a suggestion, and nothing on stdout", async () => {
        const typo = await command("preview", ".", "--frmat", "json");
        expect([typo.code, typo.out]).toEqual([2, ""]);
        expect(typo.err).toMatch(/^error: unknown option '--frmat'\n\(Did you mean --format\?\)\n/);
        const format = await command("preview", ".", "--format", "xml");
        expect(format.code).toBe(2);
        expect(format.err).toMatch(/^error: option '-f, --format <format>' argument 'xml' is invalid\. Allowed choices are text, json, sarif, html\./);
        const map = await command("preview", ".", "--map", "svg");
        expect(map.err).toMatch(/^error: option '--map <kind>' argument 'svg' is invalid\. Allowed choices are mermaid, mermaid-md\./);
        const unknown = await command("preveiw");
        expect(unknown.code).toBe(2);
        expect(unknown.err).toMatch(/^error: unknown command 'preveiw'\n\(Did you mean preview\?\)/);
    });

    test("--account, --timeout and --map are checked before anything runs: the map goes with text or JSON, not SARIF or the page", async () => {
        expect(await command("preview", ".", "--account", "12345")).toEqual({
            code: 2,
            out: "",
            err: "error: option '--account <id>' argument '12345' is invalid. An Alibaba Cloud account id is 16 digits.\n(alicloud-sharing preview --help describes every option)\n",
        });
        expect((await command("preview", ".", "--timeout", "0")).err).toMatch(/^error: option '--timeout <seconds>' argument '0' is invalid\. --timeout takes a whole number from 1 to 86400\./);
        expect((await command("preview", ".", "--max-time", "1.5")).err).toMatch(/^error: option '--max-time <seconds>' argument '1\.5' is invalid\. --max-time takes a whole number from 1 to 604800\./);
        // Asked for SARIF, the usage error is a SARIF log too (a failed invocation), as every other failure is.
        const sarif = await command("preview", ".", "--format", "sarif", "--map", "mermaid");
        expect([sarif.code, sarif.err]).toEqual([2, "error: --map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif\n"]);
        expect(JSON.parse(sarif.out).runs[0].invocations[0]).toMatchObject({
            executionSuccessful: false,
            toolExecutionNotifications: [{ level: "error", message: { text: "--map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif" } }],
        });
        // Asked for the page, the page says why.
        const page = await command("preview", ".", "--format", "html", "--map", "mermaid-md");
        expect([page.code, page.err]).toEqual([2, "error: --map mermaid-md goes with --format text (after the report) or json (as its mermaid key), not html\n"]);
        expect(page.out).toMatch(/^<!DOCTYPE html>/);
        expect(page.out).toContain("--map mermaid-md goes with --format text (after the report) or json (as its mermaid key), not html");
    });

    test("a reader that stops reading (| head -1) ends the command quietly: exit 0, no stack trace", () => {
        // The shell's `alicloud-sharing audit --help | head -1`: the pipe closed after the first line.
        const r = spawnSync("sh", ["-c", `"${process.execPath}" "${join(root, "dist", "cli", "main.js")}" audit --help | head -c 1 >/dev/null; echo "status \${PIPESTATUS:-done}"`], { encoding: "utf8" });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
    });

    test("asked for JSON or SARIF, a bad option or value is that document on stdout too (kind setup), for preview and audit", async () => {
        const bad = await command("preview", ".", "--format", "json", "--timeout", "abc");
        expect(bad.code).toBe(2);
        expect(JSON.parse(bad.out)).toEqual({
            tool: "preview",
            error: { kind: "setup", message: "option '--timeout <seconds>' argument 'abc' is invalid. --timeout takes a whole number from 1 to 86400." },
        });
        const audit = await command("audit", "--format=json", "--regoin", "cn-hangzhou");
        expect(audit.code).toBe(2);
        expect(JSON.parse(audit.out)).toMatchObject({ tool: "audit", error: { kind: "setup" } });
        expect(JSON.parse(audit.out).error.message).toMatch(/^unknown option '--regoin'/);
        // Text asks for no document: stdout stays empty.
        expect((await command("preview", ".", "--timeout", "abc")).out).toBe("");
        // The page, on stdout or in the --html file (given as `--html FILE` or `--html=FILE`, beside any format, an unknown one too): it says the run could not run and why.
        const html = await command("preview", ".", "--format", "html", "--bogus");
        expect([html.code, html.out.startsWith("<!DOCTYPE html>")]).toEqual([2, true]);
        expect(html.out).toContain("The preview could not run");
        expect(html.out).toContain("unknown option &#39;--bogus&#39;");
        const dir = mkdtempSync(join(tmpdir(), "usage-page-"));
        try {
            for (const [name, argv] of [
                ["text.html", ["preview", ".", "--timeout", "abc", "--html", join(dir, "text.html")]],
                ["sarif.html", ["preview", ".", "--format", "sarif", "--map", "mermaid", `--html=${join(dir, "sarif.html")}`]],
                ["xml.html", ["audit", "--format", "xml", "--html", join(dir, "xml.html")]],
            ] as const) {
                const r = await command(...argv);
                expect([name, r.code]).toEqual([name, 2]);
                const written = readFileSync(join(dir, name), "utf8");
                expect([name, written.startsWith("<!DOCTYPE html>"), /The (preview|audit) could not run/.test(written)]).toEqual([name, true, true]);
            }
            expect(readdirSync(dir).sort()).toEqual(["sarif.html", "text.html", "xml.html"]);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    test("a policy config the schema refuses exits 2 before the program runs, naming every problem with its path", async () => {
        expect(await command("preview", join(fixtures, "open-trust"), "--policy-config", join(fixtures, "bad-policy-config.json"))).toEqual({
            code: 2,
            out: "",
            err:
                `error: the policy config ${join(fixtures, "bad-policy-config.json")} has 5 problems:\n` +
                '  - sharing-limit: is not a policy of the pack; did you mean "sharing-limits"?\n' +
                '  - sharing-limits.maxAccountPerSnapshot: is not a known key; did you mean "maxAccountsPerSnapshot"?\n' +
                '  - sharing-limits.enforcementLevel: must be one of "advisory", "mandatory", "remediate", "disabled", not "strict"\n' +
                '  - sharing-limits.maxAccountsPerSnapshot: must be integer, not "ten"\n' +
                '  - sharing-recipients.allowedRecipients.accountId: is not a known key; did you mean "accountIds"?\n',
        });
    });

    test("with --format json or sarif, a file or option the preview refuses is still a document: the error, of kind setup", async () => {
        const message = `${join(fixtures, "two-stacks")} has several stacks (Pulumi.a.yaml, Pulumi.b.yaml): give --stack NAME or --config FILE`;
        const json = await command("preview", join(fixtures, "two-stacks"), "--format", "json");
        expect([json.code, JSON.parse(json.out), json.err]).toEqual([2, { tool: "preview", error: { kind: "setup", message } }, `error: ${message}\n`]);
        const sarif = await command("preview", join(fixtures, "two-stacks"), "--format", "sarif");
        expect(JSON.parse(sarif.out).runs[0].invocations).toEqual([{ executionSuccessful: false, toolExecutionNotifications: [{ level: "error", message: { text: message }, properties: { kind: "setup" } }] }]);
        // Text prints nothing (the error is on stderr); the page says the preview could not run, and why.
        expect(await command("preview", join(fixtures, "two-stacks"))).toEqual({ code: 2, out: "", err: `error: ${message}\n` });
        const page = await command("preview", join(fixtures, "two-stacks"), "--format", "html");
        expect([page.code, page.err]).toEqual([2, `error: ${message}\n`]);
        expect(page.out).toMatch(/^<!DOCTYPE html>/i);
        expect(page.out).toContain("The preview could not run");
        expect(page.out).toContain("has several stacks (Pulumi.a.yaml, Pulumi.b.yaml): give --stack NAME or --config FILE");
        // --html beside JSON: the JSON error on stdout, the failure page in the file.
        const dir = mkdtempSync(join(tmpdir(), "failure-page-"));
        try {
            const beside = await command("preview", join(fixtures, "two-stacks"), "--format", "json", "--html", join(dir, "side.html"));
            expect(JSON.parse(beside.out).error.kind).toBe("setup");
            expect(readFileSync(join(dir, "side.html"), "utf8")).toContain("The preview could not run");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    test("several stacks and no --stack exits 2 saying how; --config picks one (the stack named after the file)", async () => {
        const { code, err } = await command("preview", join(fixtures, "two-stacks"));
        expect(code).toBe(2);
        expect(err).toMatch(/has several stacks \(Pulumi\.a\.yaml, Pulumi\.b\.yaml\): give --stack NAME or --config FILE/);
        const picked = await runs.twoStacks;
        expect(picked.code).toBe(0);
        expect(JSON.parse(picked.out)).toMatchObject({ tool: "preview", project: "two-stacks", stack: "a" });
    });
});

describe("a provider's credentials, at any depth", () => {
    test("masked in the inputs the plan, JSON and SARIF show, and noted so that no message quotes them", () => {
        const found: string[] = [];
        const inputs = withoutCredentials(
            {
                region: "cn-beijing",
                accessKey: "LTAI-canary-1",
                assumeRole: JSON.stringify({ roleArn: "acs:ram::2345678901234567:role/deployer", externalId: "canary-external" }),
                assumeRoleWithOidc: { roleArn: "acs:ram::2345678901234567:role/oidc", oidcToken: "canary-oidc-token" },
                endpoints: [{ ecs: "ecs.example.com", securityToken: "canary-sts" }],
            },
            found,
        );
        expect(inputs).toEqual({
            region: "cn-beijing",
            accessKey: "[secret]",
            assumeRole: JSON.stringify({ roleArn: "acs:ram::2345678901234567:role/deployer", externalId: "[secret]" }),
            assumeRoleWithOidc: { roleArn: "acs:ram::2345678901234567:role/oidc", oidcToken: "[secret]" },
            endpoints: [{ ecs: "ecs.example.com", securityToken: "[secret]" }],
        });
        expect(found).toEqual(["LTAI-canary-1", "canary-external", "canary-oidc-token", "canary-sts"]);
    });
});

describe("stack config the project declares secret", () => {
    test("a malformed value of a secret key is named, never echoed; a plain key's value is quoted", () => {
        const dir = mkdtempSync(join(tmpdir(), "secret-config-"));
        try {
            const file = join(dir, "Pulumi.dev.yaml");
            writeFileSync(file, 'config:\n  alicloud:region: "canary region"\n');
            expect(() => readStackConfig(file, "p", ["alicloud:region"])).toThrow(`${file}: alicloud:region (a secret: its value is not shown) is not a region id (cn-hangzhou, ap-southeast-1…)`);
            expect(() => readStackConfig(file, "p")).toThrow(`${file}: alicloud:region is "canary region", not a region id (cn-hangzhou, ap-southeast-1…)`);
            writeFileSync(file, "config:\n  p:token: 12345678901234567890\n");
            expect(() => readStackConfig(file, "p", ["p:token"])).toThrow(`${file}: p:token is a number too large to read exactly; quote it (a secret: its value is not shown)`);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the declarative program with its bundled stack config (TypeScript), in every format", () => {
    test("text: the whole report; the four verdicts of one rule are one line, --verbose lists each", async () => {
        const { code, out, err } = await declarative.text;
        // stderr holds the program's own output: the components' warnings, as pulumi shows them.
        expect([code, err.split("\n")[0]]).toEqual([0, "warning: [C22] the images are shared both with a directory or folder and with individual accounts. Share with the directory or folders only, or with accounts only. (rule directory-and-accounts)"]);
        expect(normalized(out)).toMatchSnapshot();
        expect(out).toContain("Plan: 29 resources\n");
        expect(out).toMatch(/\+ alicloud:ram\/role:Role golden-images-share-role-role\n\s+assumeRolePolicyDocument:\n\s+\{\n\s+"Statement": \[/);
        expect(out).not.toContain("__provider");
        const grouped = out.split("\n").filter((l) => l.startsWith("  [advisory]"));
        expect(grouped).toEqual([
            "  [advisory] directory-and-accounts (sharing-directory-and-accounts): 4 verdicts, on golden-images-image-m-uf6golden00001 at accountId; golden-images-image-m-uf6golden00002 at accountId; golden-images-cn-beijing-image-m-uf6golden00001 at accountId and 1 more",
        ]);
        const verbose = (await declarative.verbose).out;
        const listed = verbose.slice(verbose.indexOf("Verdicts:"), verbose.indexOf("\n\nSharing map")).split("\n");
        expect(listed).toEqual([
            "Verdicts: 0 mandatory, 4 advisory",
            "  [advisory] directory-and-accounts (sharing-directory-and-accounts): 4 verdicts",
            ...["golden-images-image-m-uf6golden00001", "golden-images-image-m-uf6golden00002", "golden-images-cn-beijing-image-m-uf6golden00001", "golden-images-cn-beijing-image-m-uf6golden00002"].flatMap((name) => [
                `    ${name} at accountId`,
                "      [C22] the images are shared both with a directory or folder and with individual accounts. Share with the directory or folders only, or with accounts only.",
            ]),
        ]);
    });

    test("json: one document (tool, facts, plan, violations, level changes, graph, access, mermaid); positions of the TypeScript source, mapped", async () => {
        const { out, model } = await declarative.json;
        const document = JSON.parse(out);
        expect(Object.keys(document)).toEqual(["tool", "project", "stack", "accountId", "region", "resources", "violations", "levelChanges", "graph", "access", "mermaid"]);
        expect([document.tool, document.project, document.stack, document.accountId, document.region]).toEqual(["preview", "alicloud-sharing", "dev", "1000000000000000", "cn-shanghai"]);
        expect(document.resources).toHaveLength(29);
        expect(document.resources.filter((r: { protect: boolean }) => r.protect)).toHaveLength(18);
        expect(new Set(document.resources.filter((r: { custom: boolean }) => r.custom).map((r: { provider: string }) => r.provider))).toEqual(new Set(["default", "alicloud-sharing-cn-beijing", undefined]));
        // Where the program constructed each component: its TypeScript, line and column, as written (ts-node maps the stack).
        expect(document.resources.filter((r: { custom: boolean; parent?: string }) => !r.custom && r.parent === undefined).map((r: { name: string; source: unknown }) => [r.name, r.source])).toEqual([
            ["dr-backups", { file: "program/index.ts", line: 13, column: 57 }],
            ["golden-images", { file: "program/index.ts", line: 14, column: 51 }],
        ]);
        expect(document.violations.map((v: { rule: string; level: string; judgedBy: string }) => `${v.rule}/${v.level}/${v.judgedBy}`)).toEqual(Array(4).fill("directory-and-accounts/advisory/pack"));
        expect(document.mermaid).toBe(renderMermaid(model.graph));
        const target = document.resources.find((r: { type: string }) => r.type === "alicloud:resourcemanager/sharedTarget:SharedTarget");
        expect(target.inputs.resourceShareId).toBe("[unknown]");
        expect(target.propertyDependencies.resourceShareId).toEqual([document.resources.find((r: { type: string; parent: string }) => r.type === "alicloud:resourcemanager/resourceShare:ResourceShare" && r.parent === target.parent).urn]);
        expect(document.graph.shares.map((s: { name: string; region: string; recipients: string[] }) => [s.name, s.region, s.recipients.length])).toEqual([
            ["dr-backups", "cn-shanghai", 1],
            ["golden-images", "cn-shanghai", 3],
            ["golden-images-cn-beijing", "cn-beijing", 3],
        ]);
    });

    test("mermaid: the flowchart after the text, in a Markdown fence with --map mermaid-md", async () => {
        const { out, model } = await declarative.fenced;
        expect(out.endsWith(`\n\n\`\`\`mermaid\n${renderMermaid(model.graph)}\n\`\`\`\n`)).toBe(true);
        expect(normalized(renderMermaid(model.graph))).toMatchSnapshot();
    });

    test("html: the page on stdout, self-contained", async () => {
        const { out } = await declarative.html;
        expect(out).toMatch(/^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-/);
        expect(out).toContain("<title>alicloud-sharing preview report: offline preview of alicloud-sharing (stack dev, config ");
        expect(out).not.toMatch(/(src|href)="(https?:)?\/\//);
    });
});

describe("refusals: every refused component, located at the line that constructs it, in SARIF, text and JSON", () => {
    const refusals = () => runs.refusals;
    const logOf = async (): Promise<Log> => JSON.parse((await refusals()).out);

    test("the command exits 1; its SARIF is valid, each result in the program's file at the component's line and column", async () => {
        const { code, err } = await refusals();
        expect([code, err]).toEqual([1, ""]);
        const log = await logOf();
        expect(sarifErrors(log)).toEqual([]);
        const run = log.runs[0];
        expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `${pathToFileURL(root).href}/` } });
        expect(run.invocations).toEqual([{ executionSuccessful: true }]);
        expect(run.tool.driver.rules!.map((d) => d.id)).toEqual(rules.map((r) => r.id));
        for (const d of run.tool.driver.rules!) {
            // The repository's docs at this version's tag: a link that works wherever the log is read.
            expect(d.helpUri).toBe(`https://github.com/alicloud-sharing/alicloud-sharing/blob/v0.1.0/docs/RULES.md#${d.id}`);
        }
        expect(run.results).toMatchSnapshot();
        expect(run.results!.map((r) => [r.ruleId, run.tool.driver.rules![r.ruleIndex!].id, r.locations![0].physicalLocation])).toEqual([
            ["principal-format", "principal-format", { artifactLocation: { uri: "test/fixtures/two-refusals/index.js", uriBaseId: "%SRCROOT%" }, region: { startLine: 3, startColumn: 1 } }],
            ["unencrypted-image-acknowledged", "unencrypted-image-acknowledged", { artifactLocation: { uri: "test/fixtures/two-refusals/index.js", uriBaseId: "%SRCROOT%" }, region: { startLine: 4, startColumn: 1 } }],
        ]);
    });

    test("--html FILE wrote the page while stdout held the SARIF log: the refusals with their fixes, no request anywhere", async () => {
        await refusals();
        const page = readFileSync(PAGE, "utf8");
        expect(page).toMatch(/^<!DOCTYPE html>/);
        expect(page).toContain("<title>alicloud-sharing preview report: offline preview of two-refusals (stack dev, config (no stack config), account 1000000000000000, region cn-hangzhou)</title>");
        for (const text of ["principal-format", "unencrypted-image-acknowledged", "Give the sharee&#39;s Alibaba Cloud account id"]) {
            expect(page).toContain(text);
        }
        expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    });

    test("SARIF fingerprints are stable: the same verdict, the same fingerprint; another resource, another one", async () => {
        const results = (await logOf()).runs[0].results!;
        const [first] = results;
        const message = `"12345" is not an account id (16 digits), a resource directory id (rd-…) or a folder path (rd-…/r-…/fd-…).`;
        const verdict = { rule: "principal-format", policy: "component", urn: "urn:pulumi:dev::two-refusals::alicloud-sharing:index:SharedSnapshot::backups", path: "accountIds[0]", message };
        expect(first.partialFingerprints![FINGERPRINT_KEY]).toBe(fingerprintOf(verdict));
        expect(fingerprintOf({ ...verdict, urn: "urn:pulumi:dev::two-refusals::alicloud-sharing:index:SharedSnapshot::other" })).not.toBe(fingerprintOf(verdict));
    });
});

describe("a policy's verdict on a raw resource", () => {
    test("json: the finding as data (rule, constraints, level, message, fix, path, the resource, where it was judged and constructed)", async () => {
        const { code, out } = await openTrust.own;
        const [v] = JSON.parse(out).violations;
        expect(code).toBe(1);
        expect(v).toEqual({
            rule: "trust-policy-not-open",
            policy: "sharing-share-role",
            constraints: ["S1", "C21"],
            level: "mandatory",
            message: 'the trust policy cannot be proven safe: Statement[0] trusts "*@ecs.aliyuncs.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition: any account\'s ECS could use the key.',
            fix: "Trust `<uid>@ecs.aliyuncs.com` per sharee account, or `*@ecs.aliyuncs.com` with a `sts:ServiceOwnerRDId` / `sts:ServiceOwnerRDPath` condition, and nothing else (the library's trust-policy builders render exactly that).",
            path: "assumeRolePolicyDocument",
            urn: "urn:pulumi:dev::open-trust::alicloud:ram/role:Role::hand-written",
            name: "hand-written",
            type: "alicloud:ram/role:Role",
            source: { file: "index.js", line: 3, column: 1 },
            nodes: [],
            judgedBy: "pack",
        });
    });

    test("sarif: at the line and column of the program that constructs the role", async () => {
        const log = JSON.parse((await openTrust.sarif).out) as Log;
        expect(log.runs[0].results!.map((r) => [r.ruleId, r.level, r.locations![0].physicalLocation])).toEqual([
            ["trust-policy-not-open", "error", { artifactLocation: { uri: "test/fixtures/open-trust/index.js", uriBaseId: "%SRCROOT%" }, region: { startLine: 3, startColumn: 1 } }],
        ]);
    });

    test("text: the rule, the policy, the resource and property, then the constraint ids, the message and the fix", async () => {
        expect((await openTrust.text).out).toContain(
            "Verdicts: 1 mandatory, 0 advisory\n  [mandatory] trust-policy-not-open (sharing-share-role) hand-written at assumeRolePolicyDocument\n      [S1, C21] the trust policy cannot be proven safe: Statement[0] trusts",
        );
    });

    test("a policy config that disables policies says so, in text, SARIF, JSON and on the page", async () => {
        const { code, out, model } = await openTrust.disables;
        expect(code).toBe(0);
        expect(out).toContain("Policy levels set by the policy config: sharing-share-role disabled (not mandatory), sharing-limits advisory (not mandatory)\nVerdicts: 0 mandatory, 0 advisory");
        expect(JSON.parse(renderSarif(model, "0.1.0")).runs[0].invocations[0].toolConfigurationNotifications).toEqual([
            { level: "warning", message: { text: "the policy config sets sharing-share-role to disabled (its own level is mandatory)" } },
            { level: "note", message: { text: "the policy config sets sharing-limits to advisory (its own level is mandatory)" } },
        ]);
        expect(JSON.parse(renderJson(model)).levelChanges).toEqual([
            { policy: "sharing-share-role", level: "disabled", defaultLevel: "mandatory" },
            { policy: "sharing-limits", level: "advisory", defaultLevel: "mandatory" },
        ]);
        expect(await renderHtml(model)).toContain(
            '<p>Policy levels set by the policy config: <span class="mono">sharing-share-role</span> disabled (not mandatory), <span class="mono">sharing-limits</span> advisory (not mandatory).</p><p>No violation.</p>',
        );
    });
});

describe("runs that judged nothing, or less than everything", () => {
    test("a program error: text prints nothing (its error goes to stderr, once); SARIF is a failed invocation saying so, still valid", async () => {
        const { result } = await openTrust.own;
        const failed = previewReport({ ...result, verdicts: [], programError: "the program's own error" }, root);
        expect(exitCodeOf({ ...result, programError: "x" })).toBe(2);
        expect(renderText(failed)).toBe("");
        // The page says so before anything else it shows of the verdicts, and what no verdict means: only what was registered was judged.
        expect(await renderHtml(failed)).toMatch(
            /<div class="incomplete" role="alert"><p>The program failed; this report shows only what was reached before it:<\/p><pre class="mono error">the program&#39;s own error<\/pre><\/div><p>No violation in the 1 resource registered before the program failed; nothing after it was judged\.<\/p>/,
        );
        const log = JSON.parse(renderSarif(failed, "0.1.0")) as Log;
        expect(log.runs[0].invocations).toEqual([
            { executionSuccessful: false, toolExecutionNotifications: [{ level: "error", message: { text: "the program failed: the program's own error" }, properties: { kind: "program" } }] },
        ]);
        expect(sarifErrors(log)).toEqual([]);
    });

    test.each(["timeout", "exit", "unsettled", "setup"] as const)("a preview with no verdict (%s): JSON the error; SARIF a valid log, its invocation failed, no results", (kind) => {
        expect(JSON.parse(renderFailureJson({ kind, message: "what happened" }, "preview", { project: "p", stack: "dev" }))).toEqual({ tool: "preview", project: "p", stack: "dev", error: { kind, message: "what happened" } });
        const log = JSON.parse(renderFailureSarif({ kind, message: `what happened (${kind})` }, "preview", "0.1.0", root)) as Log;
        expect(sarifErrors(log)).toEqual([]);
        expect(log.runs[0].tool.driver.rules!.map((d) => d.id)).toEqual(rules.map((r) => r.id));
        expect(log.runs[0].results).toBeUndefined();
        expect(log.runs[0].invocations).toEqual([{ executionSuccessful: false, toolExecutionNotifications: [{ level: "error", message: { text: `what happened (${kind})` }, properties: { kind } }] }]);
    });
});

test("a report larger than a pipe holds reaches the reader whole (SARIF through a pipe parses)", () => {
    const r = spawnSync(process.execPath, [join(root, "dist", "cli", "main.js"), "preview", LARGE, "--format", "sarif"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(128 * 1024);
    expect((JSON.parse(r.stdout) as Log).runs[0].results).toHaveLength(100);
});
