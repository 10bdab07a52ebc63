// Entry point: wires the modules to the client adapter, exposes the global OGRH and owns the
// slash commands.
import { createWowPlatform } from "./wow/adapter";
import { createApp } from "./app";

createApp(createWowPlatform());
