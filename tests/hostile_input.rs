//! Hostile input never panics, never overflows the stack and stays within bounded memory:
//! megabytes of random bytes, nesting 100,000 deep, and a 50 MB valid file.
//!
//! A counting allocator measures the peak memory of each load. The tests in this file take a
//! lock so that one measurement is not disturbed by another test's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use journey_map::{Journey, LoadError};

#[path = "support/mod.rs"]
mod support;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `f` and returns its result with the most memory it had allocated at once, beyond what
/// was allocated before it started.
fn peak_memory<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = f();
    (result, PEAK.load(Ordering::Relaxed).saturating_sub(before))
}

/// A small seeded generator, so that the random inputs are the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const MB: usize = 1 << 20;

#[test]
fn ten_megabytes_of_random_bytes_are_an_error() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let bytes: Vec<u8> = (0..10 * MB).map(|_| rng.next() as u8).collect();
    let (result, peak) = peak_memory(|| Journey::from_ron_bytes(&bytes, "random.bin"));
    assert!(
        matches!(result, Err(LoadError::Syntax { .. })),
        "{result:?}"
    );
    assert!(peak < 2 * MB, "random bytes used {peak} bytes");
}

#[test]
fn ten_megabytes_of_random_ron_tokens_are_an_error() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Valid UTF-8 made of RON's own punctuation, so that the parser gets further than the
    // first byte.
    let alphabet = b"()[]{}:,\"' aZ09._-/\\\n#!";
    for seed in 1..=5_u64 {
        let mut rng = XorShift(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let mut text: Vec<u8> = b"(name: \"x\", stages: [".to_vec();
        text.extend((0..2 * MB).map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize]));
        let (result, peak) = peak_memory(|| Journey::from_ron_bytes(&text, "tokens.ron"));
        assert!(
            matches!(result, Err(LoadError::Syntax { .. })),
            "seed {seed}: {result:?}"
        );
        assert!(
            peak < 8 * MB,
            "seed {seed}: random tokens used {peak} bytes"
        );
    }
}

#[test]
fn nesting_100000_deep_is_an_error_not_a_stack_overflow() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    const DEPTH: usize = 100_000;
    let cases = [
        // Nested lists where a list of stages is expected.
        format!(
            "(name: \"x\", stages: {}{})",
            "[".repeat(DEPTH),
            "]".repeat(DEPTH)
        ),
        // Nested tuples where a journey is expected.
        format!("{}{}", "(".repeat(DEPTH), ")".repeat(DEPTH)),
        // Nested options under the implicit_some extension.
        format!(
            "(name: \"x\", description: {}\"d\"{})",
            "Some(".repeat(DEPTH),
            ")".repeat(DEPTH)
        ),
        // Nested maps inside persona attributes.
        format!(
            "(name: \"x\", personas: [(id: \"p\", name: \"P\", attributes: {}{})])",
            "{\"k\": ".repeat(DEPTH),
            "}".repeat(DEPTH)
        ),
        // Nested enum payloads.
        format!(
            "(name: \"x\", touchpoints: [(id: \"t\", name: \"T\", stage: \"s\", channel: {}\"c\"{}, kind: Billing)])",
            "Other(".repeat(DEPTH),
            ")".repeat(DEPTH)
        ),
        // Deep nesting only opened, never closed.
        format!("(name: \"x\", stages: {}", "[".repeat(DEPTH)),
    ];
    for (i, text) in cases.iter().enumerate() {
        let (result, peak) = peak_memory(|| Journey::from_ron_str(text));
        assert!(
            matches!(result, Err(LoadError::Syntax { .. })),
            "case {i}: {result:?}"
        );
        assert!(peak < 4 * MB, "case {i} used {peak} bytes");
    }
}

#[test]
fn a_fifty_megabyte_valid_file_loads_in_bounded_memory() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 60,000 touchpoints with 600-byte descriptions and 240,000 flows.
    let text = support::generated(60_000, 4, 200, 600)
        .build()
        .unwrap()
        .to_ron_string()
        .unwrap();
    assert!(text.len() >= 50 * MB, "the file is {} bytes", text.len());
    let (journey, peak) = peak_memory(|| Journey::from_ron_str(&text));
    let journey = journey.unwrap();
    assert_eq!(journey.touchpoints().len(), 60_000);
    assert_eq!(journey.flows().len(), 240_000);
    // The journey holds the file's strings once, plus indices and the graph: a small multiple
    // of the file's size, never more.
    assert!(
        peak < 2 * text.len(),
        "a {} byte file used {peak} bytes at peak",
        text.len()
    );
}

#[test]
fn a_fifty_megabyte_invalid_file_reports_every_problem_in_bounded_memory() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let valid = support::generated(60_000, 4, 200, 600)
        .build()
        .unwrap()
        .to_ron_string()
        .unwrap();
    // Every flow now names a touchpoint that does not exist.
    let text = valid.replace("to: \"tp-", "to: \"tq-");
    let (result, peak) = peak_memory(|| Journey::from_ron_str(&text));
    let problems = result.unwrap_err().validation().map(|v| v.problems().len());
    assert_eq!(problems, Some(240_000));
    // Each problem names its item and the missing id: linear in the number of problems.
    assert!(
        peak < 3 * text.len(),
        "a {} byte file used {peak} bytes at peak",
        text.len()
    );
}
