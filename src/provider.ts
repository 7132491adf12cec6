/**
 * The components as a Pulumi component package, for Pulumi YAML and the other languages: the schema is built from
 * this package's TypeScript source (JSDoc becomes the descriptions), and `construct` builds the components from the
 * plain inputs those languages send.
 */
import * as path from "path";
import { ComponentProvider, ComponentResourceConstructor } from "@pulumi/pulumi/provider/experimental";
import { PACKAGE } from "./components/common";
import { EncryptedShareRole } from "./components/encryptedShareRole";
import { SharedImage } from "./components/sharedImage";
import { SharedSnapshot } from "./components/sharedSnapshot";
import { SharedSnapshotDisk, ShareeImageAccess } from "./components/sharee";
import { ShareAcceptance, SnapshotCopy } from "./components/shareeSteps";

/** The components the package serves. */
export const COMPONENTS: ComponentResourceConstructor[] = [SharedSnapshot, SharedImage, EncryptedShareRole, SharedSnapshotDisk, ShareeImageAccess, ShareAcceptance, SnapshotCopy];

/** The package's root: it holds package.json and the tsconfig.json that lists the source. */
export const PACKAGE_ROOT = path.join(__dirname, "..");

/** The component provider, as the multi-language host serves it. */
export function componentProvider(): ComponentProvider {
    return new ComponentProvider({ components: COMPONENTS, name: PACKAGE, dirname: PACKAGE_ROOT });
}
