/** The ids a preview makes up for what the stack would create: the mock runtime gives them, the audit reads them back from a preview's report. */
import { createHash } from "crypto";
import { TYPES } from "./resourceTypes";

/** Ids shaped as Alibaba Cloud shapes them where the rules look at the shape (images, snapshots), else `<name>-id`. */
export function mockId(type: string, name: string): string {
    const hash = createHash("sha1").update(name).digest("hex").slice(0, 20);
    switch (type) {
        case TYPES.imageCopy:
        case TYPES.image:
            return `m-${hash}`;
        case TYPES.ecsSnapshot:
        case TYPES.snapshot:
            return `s-${hash}`;
        default:
            return `${name}-id`;
    }
}

