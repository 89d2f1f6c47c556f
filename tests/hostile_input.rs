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

// ---------------------------------------------------------------------------------------------
// Findings of the fuzzing and review round: each test failed before its fix.
// ---------------------------------------------------------------------------------------------

use std::time::{Duration, Instant};

use journey_map::interactions::RecordProblem;
#[cfg(feature = "simulator")]
use journey_map::sim::{Behaviour, Simulator};
use journey_map::stats::Mean;
use journey_map::{
    IngestError, IngestOptions, IngestWarning, LogBuilder, Mode, Problem, Scales, SettingsError,
};

fn bank() -> Journey {
    Journey::load("examples/data/retail_bank.ron").unwrap()
}

/// Runs `f`, failing when it takes longer than `limit`: a guard against inputs that used to
/// take many seconds (the limits are ten times what the fixed code needs in a debug build).
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = f();
    let took = start.elapsed();
    assert!(took < limit, "{what} took {took:?}");
    result
}

/// A journey of one stage whose touchpoints have the given ids, every one an entry and goal.
fn journey_of(ids: impl Iterator<Item = String>) -> Journey {
    let mut text =
        String::from("(name: \"many\", stages: [(id: \"s\", name: \"S\")], touchpoints: [");
    for id in ids {
        text.push_str(&format!(
            "(id: {id:?}, name: \"t\", stage: \"s\", channel: Web, kind: DigitalProduct, entry: true, goal: true),"
        ));
    }
    text.push_str("])");
    Journey::from_ron_str(&text).unwrap()
}

#[test]
fn a_misspelt_64000_character_id_is_suggested_in_linear_time() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let id: String = (0..64_000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let mut typo = id.clone();
    typo.replace_range(32_000..32_001, "#");
    let text = format!(
        "(name: \"x\", stages: [(id: {id:?}, name: \"S\")], touchpoints: [(id: \"t\", name: \"T\", stage: {typo:?}, channel: Web, kind: Billing, entry: true, goal: true)])"
    );
    let error = within(Duration::from_secs(2), "the 64,000-character typo", || {
        Journey::from_ron_str(&text).unwrap_err()
    });
    let problems = error.validation().unwrap().problems();
    assert!(
        matches!(&problems[0], Problem::UnknownReference { suggestion: Some(s), .. } if *s == id),
        "{:?}",
        &problems[0].to_string()[..200]
    );
    // A hundred misspelt 1,000-character references against a hundred such stages.
    let stages: Vec<String> = (0..100)
        .map(|s| format!("{s:03}{}", "x".repeat(997)))
        .collect();
    let mut text = String::from("(name: \"x\", stages: [");
    for stage in &stages {
        text.push_str(&format!("(id: {stage:?}, name: \"S\"),"));
    }
    text.push_str("], touchpoints: [");
    for (i, stage) in stages.iter().enumerate() {
        let typo = format!("{}y", &stage[..999]);
        text.push_str(&format!(
            "(id: \"t{i}\", name: \"T\", stage: {typo:?}, channel: Web, kind: Billing, entry: true, goal: true),"
        ));
    }
    text.push_str("])");
    let error = within(Duration::from_secs(3), "100 long typos", || {
        Journey::from_ron_str(&text).unwrap_err()
    });
    let problems = error.validation().unwrap().problems();
    assert_eq!(problems.len(), 100);
    let suggested = problems
        .iter()
        .filter(|p| {
            matches!(
                p,
                Problem::UnknownReference {
                    suggestion: Some(_),
                    ..
                }
            )
        })
        .count();
    assert_eq!(suggested, 100);
}

#[test]
fn distinct_unknown_ids_cost_no_scan_of_a_large_journey() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let journey = journey_of((0..100_000).map(|i| format!("touchpoint-{i:06}")));
    let mut csv = String::from("customer,touchpoint,timestamp,outcome\n");
    for i in 0..2_000 {
        csv.push_str(&format!(
            "c{i},touchpoint-x{i:05},2026-01-05T10:00:00Z,completed\n"
        ));
    }
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    within(Duration::from_secs(3), "2,000 unknown ids", || {
        builder.read_csv(csv.as_bytes()).unwrap()
    });
    let (log, report) = builder.finish();
    assert!(log.is_empty());
    assert_eq!(report.rejected_count(), 2_000);
    // The first distinct unknown ids carry a suggestion; later ones are reported without.
    let suggested = report
        .rejected
        .iter()
        .filter(
            |r| matches!(&r.problem, RecordProblem::UnknownTouchpoint(e) if e.suggestion.is_some()),
        )
        .count();
    assert!((1..=32).contains(&suggested), "{suggested} suggested");
}

#[test]
fn sentiment_scales_and_means_cannot_overflow() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    assert!(Scales::default().with_sentiment(-1e38, 1e38).is_none());
    assert!(Scales::default().with_sentiment(-1e6, 1e6).is_some());
    let error = ron::from_str::<Scales>("(sentiment_min: -1e38, sentiment_max: 1e38)").unwrap_err();
    assert!(error.to_string().contains("beyond ±1000000"), "{error}");
    let mut mean = Mean::default();
    assert!(!mean.push(1e38));
    assert!(mean.push(1e12) && mean.push(1e12));
    assert_eq!(mean.mean(), Some(1e12));
    // A sentiment the range allows is stored and averaged, never turned into infinity.
    let journey = bank();
    let scales = Scales::default().with_sentiment(-1e6, 1e6).unwrap();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().scales(scales));
    builder
        .read_csv(
            "customer,touchpoint,timestamp,outcome,sentiment\na,chatbot,2026-01-05T10:00:00Z,completed,1000000\nb,chatbot,2026-01-05T10:00:00Z,completed,1000000\n"
                .as_bytes(),
        )
        .unwrap();
    let (log, _) = builder.finish();
    assert!(log.interactions().all(|r| r.sentiment() == Some(1e6)));
}

#[cfg(feature = "simulator")]
#[test]
fn the_simulator_is_bounded_and_writes_only_what_its_log_accepts() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let journey = bank();
    let error = Simulator::new(
        &journey,
        &Behaviour::from_ron_str("(max_steps: 4294967295)", "b.ron").unwrap(),
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("max_steps is 4294967295, expected 1 to 10000"),
        "{error}"
    );
    let error = Simulator::new(
        &journey,
        &Behaviour::from_ron_str(
            "(default: (wait_seconds: (median: 1e9, spread: 0.5)))",
            "b.ron",
        )
        .unwrap(),
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("wait_seconds.median is 1000000000"),
        "{error}"
    );
    // Customers who always fail and always retry stop at max_steps.
    let behaviour = Behaviour::from_ron_str(
        "(default: (completed: 0.0, abandoned: 0.0, failed: 1.0, escalated: 0.0, retry: 1.0), max_steps: 10000)",
        "b.ron",
    )
    .unwrap();
    let start = "2026-01-05T00:00:00Z".parse().unwrap();
    let records = Simulator::new(&journey, &behaviour)
        .unwrap()
        .simulate(3, 7, start);
    assert!(
        (3..=3 * 10_000).contains(&records.len()),
        "{} interactions",
        records.len()
    );
    // A week's median with a wide spread samples past the 49 days a log stores: every record
    // is still one its own log accepts, strictly.
    let behaviour = Behaviour::from_ron_str(
        "(default: (wait_seconds: (median: 604800.0, spread: 3.0), handling_seconds: (median: 604800.0, spread: 3.0)), max_steps: 5)",
        "b.ron",
    )
    .unwrap();
    let records = Simulator::new(&journey, &behaviour)
        .unwrap()
        .simulate(200, 11, start);
    let longest = records
        .iter()
        .filter_map(|r| r.wait_seconds)
        .fold(0.0_f64, f64::max);
    assert!(
        longest > 49.0 * 86_400.0 * 0.99,
        "the spread never reached the cap: {longest}"
    );
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    assert_eq!(builder.finish().0.len(), records.len());
}

#[test]
fn lenient_ron_keeps_every_readable_record() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let journey = bank();
    let text = "[\n  (customer: \"a\", touchpoint: \"chatbot\", timestamp: \"2026-01-05T10:00:00Z\", outcome: Completed),\n  (customer: \"b\", touchpoint: \"chatbot\", timestamp: \"2026-01-05T10:00:00Z\", outcome: Done),\n  (customer: \"c\", touchpoint: \"chatbot\", timestamp: \"yesterday\", outcome: Completed),\n  // a comment, and a string with brackets: \"]),\"\n  (customer: \"d ]),\", touchpoint: \"chatbot\", timestamp: \"2026-01-05T10:00:00Z\", outcome: Completed),\n]";
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    builder.read_ron_str(text, "mixed.ron").unwrap();
    let (log, report) = builder.finish();
    assert_eq!(log.len(), 2);
    let found: Vec<(usize, String)> = report
        .rejected
        .iter()
        .map(|r| (r.row, r.to_string()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, 2);
    assert!(
        found[0].1.starts_with("row 2: line 3, column "),
        "{found:?}"
    );
    assert!(found[0].1.contains("Done"), "{found:?}");
    assert_eq!(found[1].0, 3);
    assert!(
        found[1]
            .1
            .contains("\"yesterday\" is not an RFC 3339 timestamp"),
        "{found:?}"
    );
    // Strict mode refuses the whole text at the first bad record, located in the file.
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder.read_ron_str(text, "mixed.ron").unwrap_err();
    assert!(
        matches!(&error, IngestError::Syntax { line: 3, .. }),
        "{error}"
    );
    assert!(builder.finish().0.is_empty());
    // A number where a time is expected says what is expected.
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder
        .read_ron_str(
            "[(customer: \"a\", touchpoint: \"chatbot\", timestamp: 17, outcome: Completed)]",
            "x.ron",
        )
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("expected an RFC 3339 timestamp in quotes"),
        "{error}"
    );
}

#[cfg(feature = "simulator")]
#[test]
fn repeated_keys_and_channels_are_refused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let error = Behaviour::from_ron_str(
        "(touchpoints: {\n  \"chatbot\": (abandoned: Some(0.9)),\n  \"chatbot\": (abandoned: Some(0.0)),\n})",
        "b.ron",
    )
    .unwrap_err();
    assert!(
        matches!(&error, SettingsError::Syntax { line: 3, .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("key \"chatbot\" appears twice"),
        "{error}"
    );
    let error = Behaviour::from_ron_str(
        "(flows: {\"chatbot\": {\"live-chat-agent\": 0.5, \"live-chat-agent\": 0.1}})",
        "b.ron",
    )
    .unwrap_err();
    assert!(error.to_string().contains("appears twice"), "{error}");
    let journey = |persona: &str| {
        Journey::from_ron_str(&format!(
            "(name: \"x\", personas: [{persona}], stages: [(id: \"s\", name: \"S\")], touchpoints: [(id: \"t\", name: \"T\", stage: \"s\", channel: Web, kind: Billing, entry: true, goal: true)])"
        ))
    };
    let error = journey("(id: \"p\", name: \"P\", attributes: {\"age\": \"18\", \"age\": \"65\"})")
        .unwrap_err();
    assert!(
        error.to_string().contains("key \"age\" appears twice"),
        "{error}"
    );
    let error =
        journey("(id: \"p\", name: \"P\", preferred_channels: [Web, Phone, Web])").unwrap_err();
    let problems = error.validation().unwrap().problems();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        "persona \"p\" lists channel web twice in `preferred_channels`"
    );
    let mapping =
        journey_map::interactions::Mapping::from_ron_str("(ignore: [\"note\", \"note\"])", "m.ron")
            .unwrap();
    let journey = bank();
    let Err(error) = LogBuilder::new(&journey, IngestOptions::default()).mapping(mapping) else {
        panic!("a column ignored twice was accepted");
    };
    let problems: Vec<String> = error.problems().iter().map(ToString::to_string).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("column \"note\" is ignored twice")),
        "{problems:?}"
    );
}

/// Prints what an input cost (`--nocapture` shows it; the README's memory table comes from
/// these lines) and fails when it is 5 times the input's size or more.
fn under_five_times(what: &str, input: usize, peak: usize, (units, unit): (usize, &str)) {
    println!(
        "{what}: {input} bytes in, {peak} at peak ({:.2}x, {:.0} bytes a {unit})",
        peak as f64 / input as f64,
        peak as f64 / units as f64
    );
    assert!(peak < 5 * input, "{what}: {input} bytes in, {peak} at peak");
}

/// Reads `csv` leniently against the bank's journey and returns the log's length, the rows
/// refused and the peak memory, next to the input's size.
fn csv_peak(csv: &str) -> (usize, usize, usize) {
    let journey = bank();
    let ((len, refused), peak) = peak_memory(|| {
        let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
        builder.read_csv(csv.as_bytes()).unwrap();
        let (log, report) = builder.finish();
        (log.len(), report.rejected_count())
    });
    (len, refused, peak)
}

#[test]
fn no_input_shape_costs_a_log_over_five_times_its_size() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    const ROWS: usize = 400_000;
    // The usual shape: customers with several rows, repeated needs, a few tags.
    let mut csv = String::from("customer,touchpoint,timestamp,outcome,need,tags\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "customer-{},chatbot,2026-01-05T10:{:02}:00Z,completed,need-{},web\n",
            i / 10,
            i % 60,
            i / 30
        ));
    }
    let (len, _, peak) = csv_peak(&csv);
    assert_eq!(len, ROWS);
    under_five_times("usual rows", csv.len(), peak, (ROWS, "row"));
    // Every row a new customer, a distinct need and two distinct tags.
    let mut csv = String::from("customer,touchpoint,timestamp,outcome,need,tags\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "c{i},chatbot,2026-01-05T10:00:00Z,completed,need-{i},tag-{i}|label-{i}\n"
        ));
    }
    let (len, _, peak) = csv_peak(&csv);
    assert_eq!(len, ROWS);
    under_five_times("distinct needs and tags", csv.len(), peak, (ROWS, "row"));
    // Every row a touchpoint the journey does not have, read leniently.
    let mut csv = String::from("customer,touchpoint,timestamp,outcome\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "c{i},retired-{i},2026-01-05T10:00:00Z,completed\n"
        ));
    }
    let (len, refused, peak) = csv_peak(&csv);
    assert_eq!((len, refused), (0, ROWS));
    under_five_times("unknown touchpoints", csv.len(), peak, (ROWS, "row"));
    // One row with a million tags.
    let mut csv = String::from(
        "customer,touchpoint,timestamp,outcome,tags\nc,chatbot,2026-01-05T10:00:00Z,completed,",
    );
    for i in 0..1_000_000 {
        csv.push_str(&format!("t{i}|"));
    }
    csv.push('\n');
    let (len, _, peak) = csv_peak(&csv);
    assert_eq!(len, 1);
    under_five_times("a million tags", csv.len(), peak, (1_000_000, "tag"));
}

#[test]
fn a_journey_of_many_short_touchpoints_costs_under_five_times_its_file() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = String::from("(name: \"n\", stages: [(id: \"s\", name: \"S\")], touchpoints: [");
    for i in 0..100_000 {
        text.push_str(&format!(
            "(id: \"t{i}\", name: \"T\", stage: \"s\", channel: Web, kind: Billing, entry: true, goal: true),"
        ));
    }
    text.push_str("])");
    let (journey, peak) = peak_memory(|| Journey::from_ron_str(&text));
    assert_eq!(journey.unwrap().touchpoints().len(), 100_000);
    under_five_times(
        "short touchpoints",
        text.len(),
        peak,
        (100_000, "touchpoint"),
    );
}

/// The error and its sources, as a printer that walks the chain shows them.
fn chain(error: &dyn std::error::Error) -> Vec<String> {
    let mut messages = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages
}

/// Reads `csv` strictly against the bank's journey; the error's chain.
fn csv_error(csv: &[u8], options: IngestOptions) -> Vec<String> {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, options);
    chain(&builder.read_csv(csv).unwrap_err())
}

#[test]
fn messages_say_what_is_wrong_in_the_users_words() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Journey files: no internal type names; a byte-order mark is fine; an empty file says so.
    for text in ["Journey(", "", "  // nothing\n", "[1, 2]"] {
        let error = Journey::from_ron_str(text).unwrap_err().to_string();
        assert!(!error.contains("DocumentIn"), "{text:?}: {error}");
    }
    assert!(
        Journey::from_ron_str("")
            .unwrap_err()
            .to_string()
            .contains("the file is empty")
    );
    let bank_text = std::fs::read_to_string("examples/data/retail_bank.ron").unwrap();
    assert!(Journey::from_ron_str(&format!("\u{feff}{bank_text}")).is_ok());
    // Settings files name their kind, and point at bytes that are not UTF-8.
    let dir = std::env::temp_dir().join(format!("journey-map-messages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, b"(min_sample:\n  \xff)").unwrap();
    let error = journey_map::analysis::FrictionConfig::load(&bad).unwrap_err();
    assert!(
        matches!(
            &error,
            SettingsError::Syntax {
                line: 2,
                column: 3,
                ..
            }
        ),
        "{error}"
    );
    let missing = journey_map::analysis::FrictionConfig::load(dir.join("nope.ron")).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("cannot read friction settings file"),
        "{missing}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    // Ids are quoted as ids, never as the Rust type around them.
    let id = journey_map::TouchpointId::new("chatbot");
    assert_eq!(format!("{id:?}"), "\"chatbot\"");

    // CSV: a score too large for any scale is out of its scale, said once in the chain.
    let messages = csv_error(
        b"customer,touchpoint,timestamp,outcome,csat\na,chatbot,2026-01-05T10:00:00Z,completed,255\n",
        IngestOptions::default(),
    );
    assert_eq!(
        messages,
        ["row 2, column csat: score 255 is outside the scale 1..=5"]
    );
    // A trailing comma in the header; a UTF-16 file.
    let messages = csv_error(
        b"customer,touchpoint,timestamp,outcome,\na,chatbot,2026-01-05T10:00:00Z,completed,\n",
        IngestOptions::default(),
    );
    assert!(
        messages[0].contains("column 5 of the header has no name (a trailing comma"),
        "{messages:?}"
    );
    let utf16: Vec<u8> = "\u{feff}customer,touchpoint,timestamp,outcome\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let messages = csv_error(&utf16, IngestOptions::default());
    assert!(messages[0].contains("the file is UTF-16"), "{messages:?}");
    // A quote never closed swallows the rest of the file: said so, with the lines.
    let mut text = String::from(
        "customer,touchpoint,timestamp,outcome\na,\"chatbot,2026-01-05T10:00:00Z,completed\n",
    );
    for i in 0..1_000 {
        text.push_str(&format!("c{i},chatbot,2026-01-05T10:00:00Z,completed\n"));
    }
    let messages = csv_error(text.as_bytes(), IngestOptions::default());
    assert!(
        messages[0].starts_with("row 2: ")
            && messages[0].contains("lines 2 to 1002")
            && messages[0].contains("quote"),
        "{messages:?}"
    );
    // Unix milliseconds read as seconds: the unit that would read them.
    let messages = csv_error(
        b"customer,touchpoint,timestamp,outcome\na,chatbot,1767607200000,completed\n",
        IngestOptions::default(),
    );
    assert_eq!(
        messages,
        [
            "row 2, column timestamp: \"1767607200000\" is out of range as Unix seconds; as milliseconds it is 2026-01-05T10:00:00Z: are the times Unix milliseconds (the Unix unit setting)?"
        ]
    );
    // A year-9999 time past the last instant a log holds.
    let messages = csv_error(
        b"customer,touchpoint,timestamp,outcome\na,chatbot,9999-12-31T23:59:59Z,completed\n",
        IngestOptions::default(),
    );
    assert!(
        messages[0].contains("beyond the range of times a log holds"),
        "{messages:?}"
    );
    assert!(!messages[0].contains("parameter"), "{messages:?}");
    // Unix seconds read as milliseconds date everything in January 1970: a warning.
    let mut text = String::from("customer,touchpoint,timestamp,outcome\n");
    for i in 0..30 {
        text.push_str(&format!("c{i},chatbot,{},completed\n", 1_767_607_200 + i));
    }
    let journey = bank();
    let mut builder = LogBuilder::new(
        &journey,
        IngestOptions::default().unix_unit(journey_map::UnixUnit::Milliseconds),
    );
    builder.read_csv(text.as_bytes()).unwrap();
    let (_, report) = builder.finish();
    assert!(
        report
            .warnings
            .contains(&IngestWarning::TimesIn1970 { interactions: 30 }),
        "{report}"
    );
}

#[test]
fn segments_and_mapping_problems_stay_bounded() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let journey = bank();
    // Each record names a new segment: past 64 names a log holds, records are refused, so no
    // journey grows a slot per record.
    let at = "2026-01-05T10:00:00Z".parse().unwrap();
    let records = (0..100).map(|i| {
        journey_map::Interaction::new(
            format!("c{i}"),
            "chatbot",
            at,
            journey_map::Outcome::Completed,
        )
        .with_segment(format!("segment-{i}"), "x")
    });
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    builder.extend(records).unwrap();
    let (log, report) = builder.finish();
    assert_eq!((log.len(), report.rejected_count()), (64, 36));
    assert_eq!(log.segments().len(), 64);
    assert_eq!(
        report.rejected[0].to_string(),
        "row 65: the record names a segment beyond the 64 segments a log holds"
    );
    assert_eq!(
        log.customers().len(),
        64,
        "a refused record leaves no customer behind"
    );
    // A segment written twice in one RON record is refused, not overwritten.
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder
        .read_ron_str(
            "[(customer: \"a\", touchpoint: \"chatbot\", timestamp: \"2026-01-05T10:00:00Z\", outcome: Completed, segments: {\"plan\": \"a\", \"plan\": \"b\"})]",
            "x.ron",
        )
        .unwrap_err();
    assert!(
        error.to_string().contains("key \"plan\" appears twice"),
        "{error}"
    );
    // A mapping of 20,000 unknown events: every problem located, in linear time.
    let mut text = String::from("(events: {\n");
    for i in 0..20_000 {
        text.push_str(&format!("  \"event-{i}\": \"nowhere-{i}\",\n"));
    }
    text.push_str("})");
    let mapping =
        journey_map::interactions::Mapping::from_ron_str(&text, "big.mapping.ron").unwrap();
    let error = within(
        Duration::from_secs(3),
        "20,000 mapping problems",
        || match LogBuilder::new(&journey, IngestOptions::default()).mapping(mapping) {
            Ok(_) => panic!("unknown events were accepted"),
            Err(error) => error,
        },
    );
    assert_eq!(error.problems().len(), 20_000);
    assert!(error.problems().iter().all(|p| p.location.is_some()));
    // Each problem at its own event's line.
    let lines: std::collections::BTreeSet<usize> = error
        .problems()
        .iter()
        .filter_map(|p| p.location)
        .map(|(line, _)| line)
        .collect();
    assert_eq!(lines.len(), 20_000);
}
