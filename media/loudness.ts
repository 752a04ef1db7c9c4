// EBU R128 integrated loudness from the `ebur128` Rust crate (a port of
// libebur128), as the ebur128-wasm package ships it compiled to WebAssembly. The package's own
// JavaScript is written for bundlers (`import * as wasm from './…wasm'`), which Node cannot load;
// this module instantiates the same .wasm itself with the four functions it imports (the Rust
// panic hook's). Each measurement gets its own instance, so the memory a long track needed is
// given back when it is done (a WebAssembly memory never shrinks).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Ebur128Exports {
  memory: WebAssembly.Memory;
  ebur128_integrated_mono(sampleRate: number, ptr: number, len: number): number;
  ebur128_integrated_stereo(sampleRate: number, leftPtr: number, leftLen: number, rightPtr: number, rightLen: number): number;
  __wbindgen_malloc(size: number, align?: number): number;
  __wbindgen_free(ptr: number, size: number, align?: number): void;
}

let compiled: WebAssembly.Module | undefined;

function wasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(createRequire(import.meta.url).resolve('ebur128-wasm/ebur128_wasm_bg.wasm')));
  return compiled;
}

/** A fresh instance; its panic hook's message becomes the error a panic throws. */
function instance(): { api: Ebur128Exports; panic: () => string | undefined } {
  const objects: unknown[] = [];
  let message: string | undefined;
  // The imports are called only once the instance exists.
  const self = {} as { api: Ebur128Exports };
  const text = (ptr: number, len: number) => new TextDecoder().decode(new Uint8Array(self.api.memory.buffer, ptr, len));
  const imports: Record<string, (...args: number[]) => unknown> = {};
  for (const { module, name } of WebAssembly.Module.imports(wasmModule())) {
    if (name.startsWith('__wbg_new_')) imports[name] = () => objects.push(new Error()) - 1;
    else if (name.startsWith('__wbg_stack_')) {
      imports[name] = (retPtr: number) => {
        // An empty stack: the panic message below says what went wrong.
        new Int32Array(self.api.memory.buffer, retPtr, 2).set([self.api.__wbindgen_malloc(1), 0]);
      };
    } else if (name.startsWith('__wbg_error_')) {
      imports[name] = (ptr: number, len: number) => {
        message = text(ptr, len);
        self.api.__wbindgen_free(ptr, len);
      };
    } else if (name === '__wbindgen_object_drop_ref') imports[name] = () => undefined;
    else throw new Error(`ebur128-wasm imports ${module}.${name}, which this loader does not provide`);
  }
  const moduleName = WebAssembly.Module.imports(wasmModule())[0]?.module ?? './ebur128_wasm_bg.js';
  self.api = new WebAssembly.Instance(wasmModule(), { [moduleName]: imports }).exports as unknown as Ebur128Exports;
  return { api: self.api, panic: () => message };
}

/** Copies samples into the instance's memory; the Rust side takes the Vec and frees it. */
function pass(api: Ebur128Exports, samples: Float32Array): [number, number] {
  const ptr = api.__wbindgen_malloc(samples.length * 4, 4);
  new Float32Array(api.memory.buffer, ptr, samples.length).set(samples);
  return [ptr, samples.length];
}

function run<T>(measure: (api: Ebur128Exports) => T): T {
  const { api, panic } = instance();
  try {
    return measure(api);
  } catch (error) {
    throw new Error(`EBU R128 measurement failed: ${panic() ?? (error instanceof Error ? error.message : String(error))}`, { cause: error });
  }
}

/**
 * Integrated loudness (EBU R128 / ITU-R BS.1770), LUFS, of one or two channels (more: the first
 * two, left and right), floats in −1…1 at `sampleRate`; null for silence (below the absolute
 * gate). The package's true-peak functions answer 0 for any signal, so LibreLog measures the
 * sample peak itself (domain/audio-measures.ts).
 */
export function integratedLoudness(channels: readonly Float32Array[], sampleRate: number): number | null {
  const [left, right] = channels;
  if (!left) throw new Error('No channels to measure');
  const integrated = run((api) => (right ? api.ebur128_integrated_stereo(sampleRate, ...pass(api, left), ...pass(api, right)) : api.ebur128_integrated_mono(sampleRate, ...pass(api, left))));
  return Number.isFinite(integrated) ? integrated : null;
}
