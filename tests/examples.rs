//! The examples run against the bundled sample files and behave as documented.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The path of an example binary that `cargo test` has built next to this test binary.
fn example(name: &str) -> Command {
    let mut path: PathBuf = std::env::current_exe().expect("test binary path");
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.push("examples");
    path.push(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let mut command = Command::new(path);
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

fn run(mut command: Command) -> (Output, String, String) {
    let output = command.output().expect("example runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

#[test]
fn quickstart_builds_and_queries_a_journey() {
    let (output, stdout, stderr) = run(example("quickstart"));
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("Online shop: 6 touchpoints in 3 stages"),
        "{stdout}"
    );
    assert!(
        stdout.contains("after checkout: checkout, chatbot, delivered"),
        "{stdout}"
    );
    assert!(
        stdout.contains("social-ad -> app-basket -> checkout -> delivered"),
        "{stdout}"
    );
    assert!(stdout.contains("did you mean \"checkout\"?"), "{stdout}");
    // The RON it prints is itself a valid journey.
    let ron = &stdout[stdout.find("#![enable").expect("RON printed")..];
    let journey = journey_map::Journey::from_ron_str(ron).expect("printed RON loads");
    assert_eq!(journey.name(), "Online shop");
}

#[test]
fn validate_summarises_a_valid_journey_with_warnings() {
    let mut command = example("validate");
    command.arg("examples/data/broadband.ron");
    let (output, stdout, stderr) = run(command);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("valid journey \"Home broadband\""),
        "{stdout}"
    );
    assert!(stdout.contains("27 touchpoints"), "{stdout}");
    assert!(stdout.contains("touchpoints per channel"), "{stdout}");
    assert!(stdout.contains("\n2 warnings"), "{stdout}");
    assert!(
        stdout.contains("\"fax-order-form\" is unreachable"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\"cancellation\" is a dead end"),
        "{stdout}"
    );
}

#[test]
fn validate_accepts_the_bank_sample_without_warnings() {
    let mut command = example("validate");
    command.arg("examples/data/retail_bank.ron");
    let (output, stdout, stderr) = run(command);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("\n0 warnings"), "{stdout}");
}

#[test]
fn validate_lists_every_problem_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("journey-map-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("invalid.ron");
    std::fs::write(
        &path,
        r#"(name: "Broken", stages: [(id: "buy", name: "Buy")],
            touchpoints: [(id: "shop", name: "Shop", stage: "bye", channel: Web, kind: Billing, entry: true)],
            flows: [(from: "shop", to: "shpo")])"#,
    )
    .unwrap();
    let mut command = example("validate");
    command.arg(&path);
    let (output, _, stderr) = run(command);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("3 problem(s)"), "{stderr}");
    assert!(
        stderr.contains("unknown stage \"bye\" in `stage` (did you mean \"buy\"?)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown touchpoint \"shpo\" in `to` (did you mean \"shop\"?)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("no touchpoint is marked as a goal"),
        "{stderr}"
    );

    std::fs::write(
        &path,
        "(name: \"Broken\",\n stages: [(id: \"a\" name: \"A\")])",
    )
    .unwrap();
    let mut command = example("validate");
    command.arg(&path);
    let (output, _, stderr) = run(command);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("invalid.ron:2:20: expected comma"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn validate_exits_2_when_the_file_is_unreadable_or_missing() {
    let mut command = example("validate");
    command.arg("examples/data/no-such-file.ron");
    let (output, _, stderr) = run(command);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("cannot read journey file examples/data/no-such-file.ron"),
        "{stderr}"
    );

    let (output, _, stderr) = run(example("validate"));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("usage: validate JOURNEY.ron"), "{stderr}");
}

#[test]
#[cfg(feature = "simulator")]
fn simulate_writes_the_sample_logs_and_checks_its_inputs() {
    let dir = std::env::temp_dir().join(format!("journey-map-simulate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("bank.csv");
    let mut command = example("simulate");
    command
        .args([
            "examples/data/retail_bank.ron",
            "examples/data/retail_bank.behaviour.ron",
            "2000",
            "42",
        ])
        .arg(&out);
    let (output, stdout, stderr) = run(command);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("interactions of 2000 customers (seed 42)"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read("examples/data/retail_bank.interactions.csv").unwrap()
    );

    let bad = dir.join("bad.behaviour.ron");
    std::fs::write(&bad, "(touchpoints: {\"chatbt\": (failed: Some(1.0))})").unwrap();
    let mut command = example("simulate");
    command
        .arg("examples/data/retail_bank.ron")
        .arg(&bad)
        .args(["10", "1"])
        .arg(&out);
    let (output, _, stderr) = run(command);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("did you mean \"chatbot\"?"), "{stderr}");

    let (output, _, stderr) = run(example("simulate"));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("usage: simulate"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn friction_report_ranks_the_planted_friction_of_the_sample() {
    let (output, stdout, stderr) = run(example("friction_report"));
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("Friction report: Retail bank current account"),
        "{stdout}"
    );
    // The frictions planted by retail_bank.behaviour.ron, where the sample is big enough. The
    // id-upload failure was planted for digital natives, but only 2 other customers reach that
    // touchpoint: too few to show they are spared, so it is everyone's (with the breakdown by
    // persona in its evidence, see the JSON test).
    // Rows compared with their spaces collapsed: column widths follow the widest value.
    let rows: Vec<String> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for line in [
        "long wait verification-callback everyone",
        "slow handoff verification-email -> address-proof-letter everyone",
        "missed service level verification-callback everyone",
        "abandonment online-application everyone",
        "failure id-upload everyone",
        "escalation chatbot everyone",
    ] {
        assert!(
            rows.iter().any(|r| r.contains(line)),
            "missing {line:?} in\n{stdout}"
        );
    }
    assert!(stdout.contains("Journey health"), "{stdout}");
    assert!(stdout.contains("conversion to a goal: 25.7%"), "{stdout}");
    // The breakdown shows whom the id-upload failure hits.
    let mut command = example("friction_report");
    command.arg("--json");
    let (_, json, _) = run(command);
    let json: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let failure = json["friction"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "Failure")
        .unwrap();
    let by_persona = failure["evidence"]["by_persona"].as_array().unwrap();
    let natives = by_persona
        .iter()
        .find(|m| m["persona"] == "digital-native")
        .unwrap();
    assert!(
        natives["sample_size"].as_u64().unwrap() > 200,
        "{by_persona:?}"
    );
    assert!(
        natives["observed"].as_f64().unwrap() > 0.4,
        "{by_persona:?}"
    );
    assert!(
        by_persona
            .iter()
            .filter(|m| m["persona"] != "digital-native")
            .all(|m| m["sample_size"].as_u64().unwrap() < 30),
        "{by_persona:?}"
    );
}

#[test]
fn friction_report_writes_json_and_takes_other_files_and_a_persona() {
    let mut command = example("friction_report");
    command.args([
        "examples/data/broadband.ron",
        "examples/data/broadband.interactions.csv",
        "--persona",
        "remote-worker",
        "--json",
    ]);
    let (output, stdout, stderr) = run(command);
    assert!(output.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(json["journey"], "Home broadband");
    assert_eq!(json["persona"], "remote-worker");
    assert_eq!(json["ingest"]["rejected"], 0);
    assert!(json["metrics"]["by_touchpoint"].is_array());
    assert!(json["friction"]["tests"].as_u64().unwrap() > 0);
    let points = json["friction"]["points"].as_array().unwrap();
    // Only the persona's own friction and everyone's.
    assert!(
        points
            .iter()
            .all(|p| p["persona"].is_null() || p["persona"] == "remote-worker")
    );
    // broadband keeps an unreachable touchpoint and a dead end on purpose: listed apart.
    let structural = json["friction"]["structural"].as_array().unwrap();
    assert!(
        structural.iter().any(|p| p["kind"] == "Unreachable"),
        "{stdout}"
    );
    assert!(
        structural.iter().any(|p| p["kind"] == "DeadEnd"),
        "{stdout}"
    );
    assert!(
        points
            .iter()
            .all(|p| p["kind"] != "DeadEnd" && p["kind"] != "Unreachable")
    );
    // The JSON is the library's report, which reads back.
    let report: journey_map::analysis::FrictionReport =
        serde_json::from_value(json["friction"].clone()).expect("a FrictionReport");
    assert_eq!(report.points.len(), points.len());
    // The health figures are the persona's own: its customers, its conversion.
    let journey = journey_map::Journey::load("examples/data/broadband.ron").unwrap();
    let mut builder = journey_map::LogBuilder::new(&journey, Default::default());
    builder
        .read_csv_path("examples/data/broadband.interactions.csv")
        .unwrap();
    let (log, _) = builder.finish();
    let persona = journey.persona_index("remote-worker").unwrap();
    let goal: Vec<bool> = journey.touchpoints().iter().map(|t| t.is_goal).collect();
    let (mut customers, mut converted) = (0_u64, 0_u64);
    for c in 0..log.customers().len() {
        let c = journey_map::CustomerIndex::from_u32(c as u32);
        if log.persona_of(c) == Some(persona) {
            customers += 1;
            converted += u64::from(
                log.customer_interactions(c)
                    .any(|i| goal[i.touchpoint().index()]),
            );
        }
    }
    let health = &json["metrics"]["journey"];
    assert_eq!(health["customers"], customers);
    assert!(customers < report.customers);
    assert_eq!(health["goal_conversion"]["successes"], converted);
}

#[test]
fn friction_report_exits_1_on_bad_input() {
    let empty = std::env::temp_dir().join(format!("journey-map-empty-{}.csv", std::process::id()));
    std::fs::write(&empty, "customer,touchpoint,timestamp,outcome\n").unwrap();
    let empty = empty.display().to_string();
    for (args, expected) in [
        (
            vec!["--persona", "digtal-native"],
            "did you mean \"digital-native\"",
        ),
        (vec!["no/such.ron", "no/such.csv"], "no/such.ron"),
        (
            vec!["examples/data/retail_bank.ron", "no/such.csv"],
            "no/such.csv",
        ),
        (vec!["examples/data/retail_bank.ron"], "give both"),
        (vec!["--colour"], "unknown option --colour"),
        (
            vec!["examples/data/retail_bank.ron", empty.as_str()],
            "no interactions",
        ),
    ] {
        let mut command = example("friction_report");
        command.args(&args);
        let (output, stdout, stderr) = run(command);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    std::fs::remove_file(&empty).unwrap();
}

#[test]
fn a_log_for_another_journey_is_refused_after_its_summary() {
    // The broadband log read against the bank's journey: nearly every row names a touchpoint
    // the bank does not have. More than half refused: exit 1, with the summary on stdout.
    for name in ["friction_report", "paths"] {
        let mut command = example(name);
        command.args([
            "examples/data/retail_bank.ron",
            "examples/data/broadband.interactions.csv",
        ]);
        let (output, stdout, stderr) = run(command);
        assert_eq!(output.status.code(), Some(1), "{name}: {stdout}{stderr}");
        assert!(stdout.contains("refused: 9356"), "{name}: {stdout}");
        assert!(
            stderr.contains("9356 of 9372 rows were refused (99.8%), more than the 50% allowed"),
            "{name}: {stderr}"
        );
        let mut command = example(name);
        command.args([
            "examples/data/retail_bank.ron",
            "examples/data/broadband.interactions.csv",
            "--max-rejected",
            "2",
        ]);
        let (output, _, stderr) = run(command);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains("--max-rejected needs a share from 0 to 1"),
            "{stderr}"
        );
    }
}

#[test]
fn friction_report_lists_skipped_rows() {
    let mut command = example("friction_report");
    command.args([
        "examples/data/retail_bank.ron",
        "examples/data/broadband.interactions.csv",
        "--max-rejected",
        "1",
    ]);
    let (output, stdout, _) = run(command);
    assert!(output.status.success());
    // The summary is on stdout, with each reason counted and the first rows located.
    assert!(stdout.contains("refused: 9356"), "{stdout}");
    assert!(
        stdout.contains("refused: touchpoint: unknown touchpoint ("),
        "{stdout}"
    );
    assert!(
        stdout.contains("  row 2, column touchpoint: unknown touchpoint"),
        "{stdout}"
    );
}

#[test]
fn paths_prints_variants_conformance_drop_off_attribution_and_a_what_if() {
    let (output, stdout, stderr) = run(example("paths"));
    assert!(output.status.success(), "{stderr}");
    for section in [
        "Top 5 of 445 variants",
        "Busiest moves (directly follows)",
        "Conformance\n  fitness 99.1% of 4992 transitions",
        "Drop-off: 1487 of 2000 customers did not convert",
        "conversion 25.7% (513 of 2000)",
        "removal effects:",
        "Shapley over channels (exact, 1024 coalitions)",
        "What if drop-out at online-application were halved",
    ] {
        assert!(stdout.contains(section), "{section}: {stdout}");
    }
    let mut command = example("paths");
    command.args(["--persona", "branch-loyalist", "--top", "2"]);
    let (output, stdout, stderr) = run(command);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("persona branch-loyalist: 40.8% of 336 customers"),
        "{stdout}"
    );
    assert!(!stdout.contains("persona digital-native"), "{stdout}");
}

#[test]
fn paths_exits_1_on_bad_input() {
    for (args, expected) in [
        (
            vec!["--persona", "digtal-native"],
            "did you mean \"digital-native\"",
        ),
        (vec!["examples/data/retail_bank.ron"], "give both"),
        (vec!["no/such.ron", "no/such.csv"], "no/such.ron"),
        (vec!["--top", "many"], "--top needs a whole number"),
        (vec!["--colour"], "unknown option --colour"),
    ] {
        let mut command = example("paths");
        command.args(&args);
        let (output, stdout, stderr) = run(command);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn friction_report_covers_a_window_compares_it_and_finds_the_sample_incident() {
    // March 2026 against February: the comparison tool's outage appeared.
    let mut command = example("friction_report");
    command.args([
        "--from",
        "2026-03-01",
        "--to",
        "2026-04-01",
        "--against",
        "2026-02-01..2026-03-01",
    ]);
    let (output, stdout, stderr) = run(command);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("Window: 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z"),
        "{stdout}"
    );
    assert!(stdout.contains("Compared with February 2026:"), "{stdout}");
    assert!(
        stdout.contains("Failures at Fee comparison tool rose from "),
        "{stdout}"
    );
    assert!(
        stdout.contains(" between February 2026 and March 2026."),
        "{stdout}"
    );

    // Monthly trend and incidents over the whole sample.
    let mut command = example("friction_report");
    command.args(["--by", "month", "--incidents"]);
    let (output, stdout, stderr) = run(command);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("Trend by month:"), "{stdout}");
    assert!(stdout.contains("  2026-03-01 "), "{stdout}");
    assert!(stdout.contains("Incidents ("), "{stdout}");
    assert!(stdout.contains("failure at comparison-tool"), "{stdout}");
    assert!(
        stdout.contains("From 2026-03-01 to 2026-03-31 (1 month): Fee comparison tool fails for "),
        "{stdout}"
    );

    // The JSON gains incidents, comparison and trends when asked for.
    let mut command = example("friction_report");
    command.args([
        "--json",
        "--incidents",
        "--by",
        "month",
        "--against",
        "2026-02-01..2026-03-01",
    ]);
    let (output, json, stderr) = run(command);
    assert!(output.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let incidents = json["incidents"].as_array().expect("incidents");
    let outage = incidents
        .iter()
        .find(|i| i["location"]["Touchpoint"]["touchpoint"] == "comparison-tool")
        .expect("the outage");
    assert_eq!(outage["kind"], "Failure");
    assert_eq!(outage["start"], "2026-03-01T00:00:00Z");
    assert_eq!(outage["end"], "2026-04-01T00:00:00Z");
    assert!(outage["persona"].is_null());
    for field in [
        "observed",
        "baseline",
        "customers_affected",
        "lost_conversions",
        "summary",
    ] {
        assert!(!outage[field].is_null(), "{field}");
    }
    assert!(json["comparison"]["changes"].is_array());
    assert_eq!(json["trends"]["granularity"], "Month");
    assert!(json["trends"]["series"].as_array().unwrap().len() > 100);
    // Without the options, none of the three.
    let mut command = example("friction_report");
    command.arg("--json");
    let (_, json, _) = run(command);
    let json: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert!(json.get("incidents").is_none() && json.get("comparison").is_none());
}

#[test]
fn friction_report_explains_bad_windows_and_dates() {
    for (args, expected) in [
        (
            vec!["--from", "March"],
            "--from needs an RFC 3339 date or date-time",
        ),
        (
            vec!["--from", "2026-04-01", "--to", "2026-03-01"],
            "is not before --to",
        ),
        (vec!["--from", "2030-01-01"], "no interaction between"),
        (vec!["--against", "2026-02-01"], "--against needs FROM..TO"),
        (
            vec!["--against", "2026-03-01..2026-02-01"],
            "ends before it starts",
        ),
        (
            vec!["--by", "fortnight"],
            "unknown bucket size \"fortnight\"",
        ),
        (vec!["--by"], "--by needs a value"),
        (
            vec![
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-15",
                "--by",
                "month",
                "--incidents",
            ],
            "1 bucket(s) of time in the window, at least 3 needed",
        ),
        (
            vec!["--against", "2025-01-01..2025-02-01"],
            "no interaction in period January 2025",
        ),
    ] {
        let mut command = example("friction_report");
        command.args(&args);
        let (output, stdout, stderr) = run(command);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn friction_report_warns_about_likely_mistakes_in_the_data() {
    // A log whose customers each have two rows at one time: dates without times.
    let dir = std::env::temp_dir().join(format!("journey-map-warn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("dates.csv");
    let mut csv = String::from("customer,touchpoint,timestamp,outcome\n");
    for c in 0..40 {
        let day = 5 + c % 20;
        csv.push_str(&format!(
            "c{c},search-ad,2026-01-{day:02}T00:00:00Z,completed\nc{c},product-page,2026-01-{day:02}T00:00:00Z,completed\n"
        ));
    }
    std::fs::write(&path, csv).unwrap();
    let mut command = example("friction_report");
    command.args(["examples/data/retail_bank.ron", path.to_str().unwrap()]);
    let (output, stdout, stderr) = run(command);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("warning: ") && stdout.contains("do the timestamps lack the time of day?"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn paths_reads_aggregated_paths() {
    // examples/data/retail_bank.paths.csv: the sample's customers as aggregated paths, each
    // cut before its first goal (the conversion comes after the path).
    let mut command = example("paths");
    command.args([
        "examples/data/retail_bank.ron",
        "--aggregated",
        "examples/data/retail_bank.paths.csv",
    ]);
    let (output, stdout, stderr) = run(command);
    assert!(output.status.success(), "{stderr}");
    for section in [
        "Aggregated paths: 266 distinct paths, 2000 customers",
        "Busiest moves (no times in aggregated paths)",
        "search-ad -> product-page",
        "Markov attribution: conversion 25.7% (513 of 2000)",
        "Shapley over channels:",
    ] {
        assert!(stdout.contains(section), "{section}: {stdout}");
    }
    for (args, expected) in [
        (
            vec![
                "examples/data/retail_bank.ron",
                "--aggregated",
                "no/such.csv",
            ],
            "no/such.csv",
        ),
        (
            vec!["--aggregated", "examples/data/retail_bank.paths.csv"],
            "give the journey file alone",
        ),
        (
            vec![
                "examples/data/retail_bank.ron",
                "--aggregated",
                "examples/data/retail_bank.paths.csv",
                "--separator",
                "|",
            ],
            "unknown touchpoint",
        ),
    ] {
        let mut command = example("paths");
        command.args(&args);
        let (output, _, stderr) = run(command);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn ingest_prints_what_the_sample_mapping_did() {
    let (output, stdout, stderr) = run(example("ingest"));
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for expected in [
        "Mapping: examples/data/retail_bank.mapping.ron",
        "rows read: 7789, attached: 7461, left out on purpose: 328, refused: 0",
        "customers: 2000, journeys: 2000",
        "left out: skipped event \"Page ping\" (187 rows)",
        "left out: marker \"Upload rejected\" applied (141 rows)",
        "personas carried by journeys: digital-native (1003), branch-loyalist (336), small-business-owner (661)",
    ] {
        assert!(stdout.contains(expected), "{expected}\n{stdout}");
    }
}

#[test]
fn ingest_splits_journeys_and_exits_1_on_a_bad_mapping_or_refused_rows() {
    let mut command = example("ingest");
    command.args([
        "examples/data/retail_bank.ron",
        "examples/data/retail_bank.export.csv",
        "--mapping",
        "examples/data/retail_bank.mapping.ron",
        "--gap",
        "86400",
    ]);
    let (output, stdout, _) = run(command);
    assert_eq!(output.status.code(), Some(0));
    let journeys: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("customers: 2000, journeys: "))
        .and_then(|n| n.parse().ok())
        .expect("journeys printed");
    assert!(
        journeys > 2000,
        "a day's gap splits some histories: {stdout}"
    );

    let dir = std::env::temp_dir().join(format!("journey-map-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.mapping.ron");
    std::fs::write(
        &bad,
        "(\n  events: { \"Call\": \"suport-line\" },\n  time: (zone: \"Europe/Londn\"),\n)\n",
    )
    .unwrap();
    let mut command = example("ingest");
    command.args([
        "examples/data/retail_bank.ron",
        "examples/data/retail_bank.export.csv",
        "--mapping",
        bad.to_str().unwrap(),
    ]);
    let (output, _, stderr) = run(command);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("is not a valid mapping for this journey:\n2 problems"),
        "{stderr}"
    );
    assert!(stderr.contains("2:21: event \"Call\": unknown touchpoint \"suport-line\" (did you mean \"support-line\"?)"), "{stderr}");
    assert!(
        stderr
            .contains("3:16: unknown time zone \"Europe/Londn\" (did you mean \"Europe/London\"?)"),
        "{stderr}"
    );

    // The export read without its mapping: every column is unknown.
    let mut command = example("ingest");
    command.args([
        "examples/data/retail_bank.ron",
        "examples/data/retail_bank.export.csv",
    ]);
    let (output, _, stderr) = run(command);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("unknown column \"Case Ref\""), "{stderr}");

    // Refused rows: exit 1, each located.
    let data = dir.join("rows.csv");
    std::fs::write(&data, "customer,touchpoint,timestamp,outcome\na,chatbot,2026-01-05T10:00:00Z,completed\nb,chatbto,2026-01-05T10:00:00Z,completed\n").unwrap();
    let mut command = example("ingest");
    command.args(["examples/data/retail_bank.ron", data.to_str().unwrap()]);
    let (output, stdout, _) = run(command);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout.contains("refused: touchpoint: unknown touchpoint (1 rows)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "row 3, column touchpoint: unknown touchpoint \"chatbto\" (did you mean \"chatbot\"?)"
        ),
        "{stdout}"
    );
    let mut command = example("ingest");
    command.arg("--gap");
    let (output, _, stderr) = run(command);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("usage: ingest"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn friction_report_and_paths_read_the_export_through_its_mapping_as_the_sample() {
    let json = |extra: &[&str]| {
        let mut command = example("friction_report");
        command
            .arg("examples/data/retail_bank.ron")
            .args(extra)
            .arg("--json");
        let (output, stdout, stderr) = run(command);
        assert!(output.status.success(), "{stderr}");
        let mut document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        document["ingest"] = serde_json::Value::Null;
        document
    };
    let sample = json(&["examples/data/retail_bank.interactions.csv"]);
    let mapped = json(&[
        "examples/data/retail_bank.export.csv",
        "--mapping",
        "examples/data/retail_bank.mapping.ron",
    ]);
    assert_eq!(sample, mapped);

    let paths = |extra: &[&str]| {
        let mut command = example("paths");
        command.arg("examples/data/retail_bank.ron").args(extra);
        let (output, stdout, stderr) = run(command);
        assert!(output.status.success(), "{stderr}");
        stdout[stdout.find("\n\n").unwrap()..].to_owned()
    };
    assert_eq!(
        paths(&["examples/data/retail_bank.interactions.csv"]),
        paths(&[
            "examples/data/retail_bank.export.csv",
            "--mapping",
            "examples/data/retail_bank.mapping.ron"
        ])
    );
}

#[test]
fn friction_report_selects_and_breaks_down_by_segments_the_log_has() {
    let dir = std::env::temp_dir().join(format!("journey-map-lens-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The sample's export with a platform column, read through its mapping plus a segment.
    let export = std::fs::read_to_string("examples/data/retail_bank.export.csv").unwrap();
    let mut lines = export.lines();
    let mut csv = format!("{},Platform\n", lines.next().unwrap());
    for (i, line) in lines.enumerate() {
        csv.push_str(&format!("{line},{}\n", ["ios", "android", "web"][i % 3]));
    }
    let data = dir.join("export.csv");
    std::fs::write(&data, csv).unwrap();
    let mapping = std::fs::read_to_string("examples/data/retail_bank.mapping.ron").unwrap();
    let mapping = mapping.replacen(
        "    ignore: [\"Agent Team\"],",
        "    ignore: [\"Agent Team\"],\n    segments: { \"platform\": \"Platform\" },",
        1,
    );
    let mapping_path = dir.join("mapping.ron");
    std::fs::write(&mapping_path, mapping).unwrap();
    let args = |extra: &[&str]| {
        let mut command = example("friction_report");
        command
            .arg("examples/data/retail_bank.ron")
            .arg(&data)
            .arg("--mapping")
            .arg(&mapping_path)
            .args(extra);
        run(command)
    };
    let (output, stdout, stderr) = args(&["--lens", "platform", "--segment", "platform=ios"]);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("Friction report"), "{stdout}");
    let (output, _, stderr) = args(&["--lens", "platfrom"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("did you mean \"platform\"?"), "{stderr}");
    let (output, _, stderr) = args(&["--segment", "platform=iOS"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains(
            "no journey carries \"iOS\" for segment \"platform\" (did you mean \"ios\"?)"
        ),
        "{stderr}"
    );
    let (output, _, stderr) = args(&["--segment", "platform"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("--segment needs NAME=VALUE"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
