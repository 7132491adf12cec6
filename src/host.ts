/** The component provider host: the entry point of `PulumiPlugin.yaml`, started by the Pulumi CLI. */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { PACKAGE } from "./components/common";
import { COMPONENTS, PACKAGE_ROOT } from "./provider";

void componentProviderHost({ components: COMPONENTS, name: PACKAGE, dirname: PACKAGE_ROOT });
