// Builds dist/ once before the tests that load the package as a consumer does (the policy pack process, the tarball).
const { execFileSync } = require("child_process");
const { join } = require("path");

module.exports = async () => {
    const root = join(__dirname, "..", "..");
    execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
};
