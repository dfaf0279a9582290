// `node --import <this file> out/main/index.js`: resolves the bare specifier `electron` to the
// stand-in next to this file, so the built desktop entry runs in plain Node (no Electron binary).
import { register } from 'node:module';

register('./resolve-hook.mjs', import.meta.url);
