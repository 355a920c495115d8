// One operation on a core as a signed-in caller would send it, for the sync benchmark and its new console:
// the answer's data, or an error naming the operation and the console's error code.
import type { Core } from '../../src-main/composition/core.ts';
import type { memorySlot } from '../../src-main/dispatch/session.ts';
import type { OpInput, OpName, OpOutput } from '../../shared/operations/index.ts';

export type Caller = { slot: ReturnType<typeof memorySlot>; workstation: string };

export async function call<N extends OpName>(core: Core, name: N, input: OpInput<N>, who: Caller): Promise<OpOutput<N>> {
  const r = await core.dispatch(name, input, who);
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.data as OpOutput<N>;
}
