// The declarative program under bare mocks: no capture, no policies, no rendering. The baseline of the preview.
const path = require("path");
const fs = require("fs");
const yaml = require("js-yaml");
const pulumi = require("@pulumi/pulumi");
const root = path.join(__dirname, "..");
const config = yaml.load(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8")).config;
pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
let pending = 0;
let registered = 0;
pulumi.runtime.setMocks(
    {
        newResource: (a) => ((registered++), { id: `${a.name}-id`, state: a.inputs }),
        call: (a) => (a.token.endsWith("getCallerIdentity") ? { accountId: "1000000000000000" } : { ids: ["cn-shanghai"] }),
    },
    "alicloud-sharing",
    "dev",
    false,
);
require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
require(path.join(root, "program", "index.ts"));
let last = -1;
let quiet = 0;
const tick = () => {
    quiet = registered === last ? quiet + 1 : 0;
    last = registered;
    if (quiet < 5) return setTimeout(tick, 2);
    process.stdout.write(JSON.stringify({ registered, pending }) + "\n");
    process.exit(0);
};
tick();
