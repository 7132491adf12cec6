/**
 * The declarative program: the shares described in stack config, built with the alicloud-sharing components.
 * `pulumi up` deploys it; `npm start` previews it offline with the bundled stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { EncryptedShareRole, SharedImage, SharedSnapshot } from "../src";
import type { EncryptedShareRoleArgs, SharedImageArgs, SharedSnapshotArgs } from "../src";
import { readEntries } from "./config";

const config = new pulumi.Config();

const roles = readEntries(config, "shareRoles").map(({ name, ...args }) => new EncryptedShareRole(name, args as unknown as EncryptedShareRoleArgs));
const snapshots = readEntries(config, "snapshotShares").map(({ name, ...args }) => new SharedSnapshot(name, args as unknown as SharedSnapshotArgs));
const images = readEntries(config, "imageShares").map(({ name, ...args }) => new SharedImage(name, args as unknown as SharedImageArgs));

export const shareRoleNames = roles.map((r) => r.roleName);
export const snapshotShareIds = snapshots.map((s) => s.resourceShareId);
export const imageIdsByRegion = images.map((i) => i.imageIdsByRegion);
