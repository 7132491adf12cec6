// Once per jest run: builds dist/ for the tests that load the package as a consumer does (the policy pack process,
// the tarball), and makes the run's folder, where test/support/consumer.ts packs the tarball and installs the consumer
// once for every test file (removed by its default export, jest's globalTeardown).
const { execFileSync } = require("child_process");
const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require("fs");
const { tmpdir } = require("os");
const { join } = require("path");

const SUITE_DIR_VARIABLE = "ALICLOUD_SHARING_SUITE_DIR";
const PREFIX = "alicloud-sharing-suite-";

function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === "EPERM";
    }
}

/** Folders of earlier runs that were killed before their teardown: their jest process is gone. */
function removeAbandonedRuns() {
    for (const entry of readdirSync(tmpdir()).filter((e) => e.startsWith(PREFIX))) {
        const dir = join(tmpdir(), entry);
        let pid;
        try {
            pid = Number(readFileSync(join(dir, "jest.pid"), "utf8"));
        } catch {
            continue;
        }
        if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
            rmSync(dir, { recursive: true, force: true });
        }
    }
}

/** Removes the compiled outputs in `dist` (modules, declarations, their maps) whose TypeScript source in `src` is gone. */
function removeOrphanedOutputs(dist, src) {
    let entries;
    try {
        entries = readdirSync(dist, { withFileTypes: true });
    } catch {
        return;
    }
    for (const entry of entries) {
        const path = join(dist, entry.name);
        if (entry.isDirectory()) {
            removeOrphanedOutputs(path, join(src, entry.name));
            continue;
        }
        const base = entry.name.match(/^(.*?)\.(?:js|d\.ts)(?:\.map)?$/)?.[1];
        if (base !== undefined && !existsSync(join(src, `${base}.ts`))) {
            rmSync(path, { force: true });
        }
    }
}

module.exports = async () => {
    const root = join(__dirname, "..", "..");
    // Built incrementally; a module whose source was deleted must not linger in dist/ (nor in the tarball).
    removeOrphanedOutputs(join(root, "dist"), join(root, "src"));
    execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
    removeAbandonedRuns();
    const dir = mkdtempSync(join(tmpdir(), PREFIX));
    writeFileSync(join(dir, "jest.pid"), String(process.pid));
    // Jest's workers start after the global setup and inherit its environment.
    process.env[SUITE_DIR_VARIABLE] = dir;
};
