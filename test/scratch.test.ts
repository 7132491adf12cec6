import { installMocks, valueOf } from "./support/mocks";
const rec = installMocks();
import { EncryptedShareRole } from "../src/components/encryptedShareRole";
test("scratch", async () => {
    const role = new EncryptedShareRole("r", { resourceKind: "snapshot", kmsKeyId: "key-abcdefgh12345678", accountIds: ["2222222222222222"] });
    console.log(await valueOf(role.kmsPolicy));
    await rec.settle();
    console.log(JSON.stringify(rec.registrations, null, 1));
});
