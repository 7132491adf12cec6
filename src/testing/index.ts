/**
 * alicloud-sharing/testing: the policy runner (validation arguments built exactly as the policy server builds them, a
 * runner that treats a policy's exceptions as the server does, assertions on the exact set of violations), the
 * emulator of the Alibaba Cloud APIs the audit reads, and its fixtures. For teams that test their own policies and
 * programs too.
 */
export * from "../policy/run";
export * from "./emulator";
export { DEMO_ACCOUNT_ID, DEMO_PERMISSION_ACCOUNTS, DEMO_PREVIEW_FILE, demoAccount, demoPreview, demoSnapshots, loadDemo } from "./demo";
export {
    ANALYTICS_ACCOUNT_ID,
    ORGANIZATION_DIRECTORY_ID,
    ORGANIZATION_ROOT_FOLDER_ID,
    PAYMENTS_ACCOUNT_ID,
    RECOVERY_ACCOUNT_ID,
    SANDBOX_ACCOUNT_ID,
    loadOrganization,
    organizationDirectory,
    organizationMembers,
} from "./organization";
