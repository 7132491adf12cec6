// npm run policypack [-- --tarball FILE] [--out DIR]
//
// Writes the policy pack as `pulumi policy publish` uploads it: a folder (default dist/policypack/) holding
// PulumiPolicy.yaml, index.js (compiled from policypack/index.ts), a package.json whose `alicloud-sharing` dependency
// is the package tarball vendored in the folder (`file:vendor/alicloud-sharing-<version>.tgz`), the README and the
// example config. Nothing in it refers outside the folder, so it installs and publishes from a clone, before (or
// without) the package being on npm.
//
// Without --tarball the package is packed here (`npm pack`, which runs `prepare`: a clean build of dist/); the tests
// pass the tarball they already packed.
const { execFileSync } = require("child_process");
const { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } = require("fs");
const { tmpdir } = require("os");
const { basename, join, resolve } = require("path");
const ts = require("typescript");

const root = join(__dirname, "..");
const source = join(root, "policypack");

const usage = "usage: npm run policypack [-- --tarball FILE] [--out DIR]";
/** A usage problem: one line and exit 2, before anything is written. */
const refuse = (message) => {
    process.stderr.write(`error: ${message}\n${usage}\n`);
    process.exit(2);
};
const options = {};
for (let i = 2; i < process.argv.length; i += 2) {
    const [name, value] = [process.argv[i], process.argv[i + 1]];
    if (!["--tarball", "--out"].includes(name) || value === undefined || value.startsWith("--")) {
        refuse(`unexpected argument ${name}${value === undefined ? "" : ` ${value}`}`);
    }
    options[name] = resolve(value);
}
if (options["--tarball"] !== undefined && !(existsSync(options["--tarball"]) && statSync(options["--tarball"]).isFile() && options["--tarball"].endsWith(".tgz"))) {
    refuse(`--tarball ${options["--tarball"]} is not a package tarball (.tgz) that exists`);
}

const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const out = options["--out"] ?? join(root, "dist", "policypack");
let tarball = options["--tarball"];
let scratch;
if (tarball === undefined) {
    scratch = mkdtempSync(join(tmpdir(), "alicloud-sharing-pack-"));
    const printed = execFileSync("npm", ["pack", "--silent", "--pack-destination", scratch], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    tarball = join(scratch, printed.trim().split("\n").pop());
}
const vendored = `vendor/${basename(tarball)}`;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "vendor"), { recursive: true });
copyFileSync(tarball, join(out, vendored));
if (scratch !== undefined) {
    rmSync(scratch, { recursive: true, force: true });
}

for (const file of ["PulumiPolicy.yaml", "policy-config.example.json"]) {
    copyFileSync(join(source, file), join(out, file));
}

// The README's links into the repository's docs point, in the folder, at the same docs in the installed package.
const readme = readFileSync(join(source, "README.md"), "utf8").replace(/\]\(\.\.\/docs\//g, "](node_modules/alicloud-sharing/docs/");
writeFileSync(join(out, "README.md"), readme);

const compiled = ts.transpileModule(readFileSync(join(source, "index.ts"), "utf8"), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
    fileName: "index.ts",
});
writeFileSync(join(out, "index.js"), `// Compiled from policypack/index.ts of alicloud-sharing ${rootPackage.version} by \`npm run policypack\`.\n${compiled.outputText}`);

// The pack's package.json: policypack/package.json with the SDK versions this repository is tested with, the vendored
// package, and the files `npm pack` (which `pulumi policy publish` runs) puts in the uploaded archive.
const template = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
const packPackage = {
    name: template.name,
    version: rootPackage.version,
    description: template.description,
    private: true,
    license: rootPackage.license,
    main: "index.js",
    files: ["index.js", "PulumiPolicy.yaml", "policy-config.example.json", vendored],
    dependencies: {
        "@pulumi/alicloud": rootPackage.devDependencies["@pulumi/alicloud"],
        // A dependency of the package; the pack imports it itself, so it names it too.
        "@pulumi/policy": rootPackage.dependencies["@pulumi/policy"] ?? rootPackage.devDependencies["@pulumi/policy"],
        "@pulumi/pulumi": rootPackage.devDependencies["@pulumi/pulumi"],
        "alicloud-sharing": `file:${vendored}`,
    },
};
writeFileSync(join(out, "package.json"), JSON.stringify(packPackage, null, 2) + "\n");

process.stdout.write(`wrote the policy pack to ${out}
next: cd ${out} && npm install
      pulumi preview --policy-pack ${out}   (in a stack's folder, to run it locally)
      pulumi policy publish <org>   (in ${out}, to upload it to Pulumi Cloud)
`);
