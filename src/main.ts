// Entry point: wires the modules to the client adapter, exposes the global OGRH and owns the
// slash commands.
import { createWowPlatform } from "./wow/adapter";
import { createWowToolkit } from "./wow/ui";
import { createApp } from "./app";
import { createBackend } from "./ui/backend";
import { installDataManagement } from "./ui/window";

const app = createApp(createWowPlatform());
installDataManagement(app, createWowToolkit(), createBackend(app));
