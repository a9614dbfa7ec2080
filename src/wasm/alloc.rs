//! The heap allocator of the wasm builds: talc (single-threaded, grows linear memory on demand)
//! instead of std's dlmalloc, for size (BENCHMARKS.md row 3).

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
