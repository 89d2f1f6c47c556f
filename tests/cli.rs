//! The `journey-map` command line, run as an analyst would (feature `cli`): every
//! subcommand on the bundled sample, its exit status, and bad input.
#![cfg(feature = "cli")]

use std::process::{Command, Output};

const JOURNEY: &str = "examples/data/retail_bank.ron";
const LOG: &str = "examples/data/retail_bank.interactions.csv";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journey-map"))
        .args(args)
        .output()
        .unwrap()
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn status(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn scratch(name: &str) -> std::path::PathBuf {
    // Cargo's folder for integration tests' files, inside `target`: nothing left in the
    // system's temporary folder.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// No panic, no backtrace, one `error:` line first.
fn assert_clean_error(stderr: &str) {
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

#[test]
fn help_teaches_every_subcommand_with_examples() {
    let output = run(&["--help"]);
    assert_eq!(status(&output), 0);
    let (stdout, _) = text(&output);
    for command in ["check", "report", "paths", "render", "simulate"] {
        assert!(
            stdout.contains(&format!("  {command} ")),
            "{command} in {stdout}"
        );
    }
    assert!(stdout.contains("Examples, on the bundled sample:") && stdout.contains("Exit status"));
    let output = run(&["render", "--help"]);
    assert_eq!(status(&output), 0);
    assert!(text(&output).0.contains("--format <FORMAT>"));
}

#[test]
fn check_reports_a_valid_journey_every_problem_of_a_bad_one_and_unreadable_files() {
    let output = run(&["check", JOURNEY]);
    assert_eq!(status(&output), 0);
    assert!(text(&output).0.starts_with(
        "examples/data/retail_bank.ron: a valid journey, \"Retail bank current account\": 3 personas, 6 stages, 24 touchpoints, 47 flows"
    ));
    let bad = scratch("typos.ron");
    std::fs::write(
        &bad,
        r#"(name: "Typos", stages: [(id: "buy", name: "Buy")],
            touchpoints: [(id: "shop", name: "Shop", stage: "by", channel: Web, kind: DigitalProduct, entry: true, goal: true)],
            flows: [(from: "shop", to: "shpo")])"#,
    )
    .unwrap();
    let output = run(&["check", bad.to_str().unwrap()]);
    assert_eq!(status(&output), 1);
    let (_, stderr) = text(&output);
    assert_clean_error(&stderr);
    assert!(
        stderr.contains("(did you mean \"buy\"?)") && stderr.contains("(did you mean \"shop\"?)"),
        "{stderr}"
    );
    let output = run(&["check", "no-such-journey.ron"]);
    assert_eq!(status(&output), 2);
    assert_clean_error(&text(&output).1);
    // A log checked against the journey.
    let output = run(&["check", JOURNEY, LOG]);
    assert_eq!(status(&output), 0);
    assert!(text(&output).0.contains("rows read: 7461, attached: 7461"));
}

#[test]
fn report_ranks_friction_prints_health_and_writes_json_and_html() {
    let output = run(&["report", JOURNEY, LOG]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    let (stdout, _) = text(&output);
    assert!(stdout.contains("   1. long wait              Customers typically wait 85.6 min at Verification callback"), "{stdout}");
    assert!(stdout.contains("reached a goal: 25.7%"));
    let output = run(&["report", JOURNEY, LOG, "--json"]);
    assert_eq!(status(&output), 0);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["friction"]["points"][0]["kind"], "LongWait");
    assert_eq!(json["metrics"]["journey"]["customers"], 2000);
    let html = scratch("report.html");
    let output = run(&["report", JOURNEY, LOG, "--html", html.to_str().unwrap()]);
    assert_eq!(status(&output), 0);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html>")
            && page.contains("<svg")
            && page.contains("Most walked paths")
    );
    // Incidents by month: printed, and with the trends in the HTML report.
    let output = run(&[
        "report",
        JOURNEY,
        LOG,
        "--by",
        "month",
        "--html",
        html.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    let (stdout, _) = text(&output);
    assert!(stdout.contains("Incidents by month\n  From 2026-03-01 to 2026-03-31 (1 month): Fee comparison tool fails for "), "{stdout}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<section id=\"incidents\">") && page.contains("<section id=\"trends\">")
    );
    let output = run(&["report", JOURNEY, LOG, "--by", "fortnight"]);
    assert_eq!(status(&output), 1);
    // One persona, one window, one segment-free mapping export.
    let output = run(&[
        "report",
        JOURNEY,
        LOG,
        "--persona",
        "digital-native",
        "--from",
        "2026-02-01",
        "--to",
        "2026-04-01",
    ]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    let output = run(&[
        "report",
        JOURNEY,
        "examples/data/retail_bank.export.csv",
        "--mapping",
        "examples/data/retail_bank.mapping.ron",
    ]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    assert!(text(&output).0.contains("1. long wait"));
}

#[test]
fn render_writes_every_format() {
    let svg = scratch("map.svg");
    let output = run(&["render", JOURNEY, LOG, "-o", svg.to_str().unwrap()]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(picture.starts_with("<svg") && picture.contains("median wait 87.2 min"));
    let output = run(&["render", JOURNEY, "--format", "dot"]);
    assert!(text(&output).0.starts_with("digraph journey {"));
    let output = run(&[
        "render", JOURNEY, "--format", "mermaid", "--lanes", "persona",
    ]);
    assert!(text(&output).0.starts_with("flowchart LR"));
    let html = scratch("map.html");
    let output = run(&[
        "render",
        JOURNEY,
        LOG,
        "-o",
        html.to_str().unwrap(),
        "--persona",
        "branch-loyalist",
    ]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("Persona: Branch loyalist")
    );
}

#[test]
fn paths_and_simulate() {
    let output = run(&["paths", JOURNEY, LOG, "--top", "3"]);
    assert_eq!(status(&output), 0);
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("Most walked paths (2000 customers") && stdout.contains("Fit with the map")
    );
    let output = run(&["paths", JOURNEY, LOG, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["variants"]["customers"], 2000);
    let log = scratch("simulated.csv");
    let output = run(&[
        "simulate",
        JOURNEY,
        "examples/data/retail_bank.behaviour.ron",
        "-n",
        "300",
        "--seed",
        "7",
        "-o",
        log.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    assert!(text(&output).0.contains("of 300 customers (seed 7)"));
    let output = run(&["report", JOURNEY, log.to_str().unwrap()]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
}

#[test]
fn bad_input_exits_1_and_unwritable_output_2_without_a_backtrace() {
    // Bad arguments.
    let output = run(&["report", JOURNEY]);
    assert_eq!(status(&output), 1);
    let output = run(&["render", JOURNEY, "--format", "png"]);
    assert_eq!(status(&output), 1);
    let output = run(&["report", JOURNEY, LOG, "--from", "March"]);
    assert_eq!(status(&output), 1);
    assert!(
        text(&output)
            .1
            .contains("expected an RFC 3339 date or date-time")
    );
    // An unknown persona, with a suggestion.
    let output = run(&["report", JOURNEY, LOG, "--persona", "digital-nativ"]);
    assert_eq!(status(&output), 1);
    let (_, stderr) = text(&output);
    assert_clean_error(&stderr);
    assert!(
        stderr.contains("did you mean \"digital-native\""),
        "{stderr}"
    );
    // A log written for another journey: mostly refused, summarised, exit 1.
    let output = run(&[
        "report",
        JOURNEY,
        "examples/data/broadband.interactions.csv",
    ]);
    assert_eq!(status(&output), 1);
    let (stdout, stderr) = text(&output);
    assert!(stdout.contains("refused"), "{stdout}");
    assert_clean_error(&stderr);
    assert!(stderr.contains("is the file written for this journey?"));
    // Missing data: unreadable.
    let output = run(&["report", JOURNEY, "no-such-log.csv"]);
    assert_eq!(status(&output), 2);
    assert_clean_error(&text(&output).1);
    // An output that cannot be written.
    let output = run(&["render", JOURNEY, "-o", "/no/such/dir/map.svg"]);
    assert_eq!(status(&output), 2);
    let (_, stderr) = text(&output);
    assert_clean_error(&stderr);
    assert!(stderr.contains("cannot write /no/such/dir/map.svg"));
}

#[test]
fn friction_settings_files_shape_the_report_and_the_map() {
    let settings = scratch("friction.ron");
    std::fs::write(&settings, "(skip: [LongWait])").unwrap();
    let output = run(&[
        "report",
        JOURNEY,
        LOG,
        "--settings",
        settings.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    let (stdout, _) = text(&output);
    assert!(
        !stdout.contains(" long wait ") && stdout.contains("slow handoff"),
        "{stdout}"
    );
    let svg = scratch("no-waits.svg");
    let output = run(&[
        "render",
        JOURNEY,
        LOG,
        "--settings",
        settings.to_str().unwrap(),
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 0, "{}", text(&output).1);
    assert!(
        !std::fs::read_to_string(&svg)
            .unwrap()
            .contains("long wait (")
    );
    // A bad settings file: located, exit 1; a missing one: exit 2.
    std::fs::write(&settings, "(max_q: 0.1,\n min_sampel: 5)").unwrap();
    let output = run(&[
        "report",
        JOURNEY,
        LOG,
        "--settings",
        settings.to_str().unwrap(),
    ]);
    assert_eq!(status(&output), 1);
    let (_, stderr) = text(&output);
    assert_clean_error(&stderr);
    assert!(stderr.contains("friction.ron:2:"), "{stderr}");
    let output = run(&["report", JOURNEY, LOG, "--settings", "no-such-settings.ron"]);
    assert_eq!(status(&output), 2);
}
