// candle's engine (the fallback) allocates and frees large temporary tensors on every layer;
// mimalloc keeps them instead of returning pages to the OS each time (measured: +20-60 % on
// that engine). The native engine reuses its buffers and does not depend on it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(plurum::doors::cli::run());
}
