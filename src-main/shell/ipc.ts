// The one module that touches ipcMain. Every renderer call arrives here as (operation, input) and goes
// to the dispatcher; nothing else is exposed.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { hostname } from 'node:os';
import type { Dispatch, DispatchResult } from '../dispatch/dispatcher.ts';
import { memorySlot, type SessionSlot } from '../dispatch/session.ts';
import { IPC_CHANNEL } from './channel.ts';
import { isTrustedSender } from './security.ts';

export function bindIpc(dispatch: Dispatch, isOurWindow: (webContentsId: number) => boolean): void {
  const slots = new Map<number, SessionSlot>();
  const workstation = hostname();
  ipcMain.handle(IPC_CHANNEL, async (event: IpcMainInvokeEvent, operation: unknown, input: unknown): Promise<DispatchResult> => {
    if (!isOurWindow(event.sender.id) || !isTrustedSender(event.senderFrame?.url) || event.senderFrame?.parent !== null) {
      return { ok: false, error: { code: 'forbidden', message: 'Afsenderen er ikke konsollens eget vindue.' } };
    }
    if (typeof operation !== 'string') {
      return { ok: false, error: { code: 'validation', message: 'Ukendt operation.' } };
    }
    let slot = slots.get(event.sender.id);
    if (!slot) {
      slot = memorySlot();
      slots.set(event.sender.id, slot);
      event.sender.once('destroyed', () => slots.delete(event.sender.id));
    }
    return dispatch(operation, input, { slot, workstation });
  });
}
