// Bundled to one CommonJS file for the sandboxed renderer. It exposes exactly one function.
import { contextBridge, ipcRenderer } from 'electron';
import type { PreloadBridge } from '../../shared/bridge.ts';
import { IPC_CHANNEL } from './channel.ts';

const bridge: PreloadBridge = {
  invoke: (operation, input) => ipcRenderer.invoke(IPC_CHANNEL, String(operation), input),
};

contextBridge.exposeInMainWorld('lokalIdp', bridge);
