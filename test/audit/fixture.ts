/**
 * The fixture account of the audit tests: the demo account the package ships (src/testing/demo.ts, served by
 * `alicloud-sharing emulator --fixture demo`), and what the tests audit it with.
 */
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, EmulatedAccount, Emulator } from "../support/emulator";
import { DEMO_ACCOUNT_ID, DEMO_PERMISSION_ACCOUNTS, DEMO_PREVIEW_FILE, loadDemo, widenedSnapshotTrust } from "../../src/testing/demo";
import * as path from "path";

export const OWNER = DEMO_ACCOUNT_ID;
/** The demo stack's preview (`alicloud-sharing preview --format json` of the repository's program/). */
export const INTENDED_PREVIEW = DEMO_PREVIEW_FILE;
export const INTENDED_EXPORT = path.join(__dirname, "fixtures", "intended-stack-export.json");

/** The 51 accounts the console-made image permission grants. */
export const PERMISSION_ACCOUNTS = [...DEMO_PERMISSION_ACCOUNTS];
/** The recipients an organization allows (the policy config's allow-list): the stack's, and the 51. */
export const ALLOWED_ACCOUNTS = ["3456789012345678", "1234567890123456", "2345678901234567", ...PERMISSION_ACCOUNTS];
export const POLICY_CONFIG = {
    "sharing-recipients": { allowedRecipients: { accountIds: ALLOWED_ACCOUNTS, folderPathPrefixes: ["rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1"] } },
};

/** The environment the audit runs with: the emulator's AccessKey pair. */
export const AUDIT_ENV = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET };

export { widenedSnapshotTrust };

/** Loads the fixture account into the emulator. */
export function loadFixture(emulator: Emulator): EmulatedAccount {
    return loadDemo(emulator);
}

/** What `alicloud-sharing audit <argv>` printed, and its exit code: the command line run in this process (src/cli/main.ts). */
export async function audit(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, stderrIsTTY = false): Promise<{ code: number; stdout: string; stderr: string }> {
    const { main } = await import("../../src/cli/main");
    let stdout = "";
    let stderr = "";
    const code = await main(["audit", ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, stderrIsTTY });
    return { code, stdout, stderr };
}
