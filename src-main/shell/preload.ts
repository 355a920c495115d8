// Bundled to one CommonJS file for the sandboxed renderer. It exposes exactly one function.
import { contextBridge, ipcRenderer } from 'electron';

const IPC_CHANNEL = 'lia:invoke';

contextBridge.exposeInMainWorld('lokalIdp', {
  invoke: (operation: string, input: unknown) => ipcRenderer.invoke(IPC_CHANNEL, String(operation), input),
});
