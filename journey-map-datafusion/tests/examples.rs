//! The examples run against the bundled samples and behave as documented.

use std::path::PathBuf;
use std::process::{Command, Output};

/// An example binary that `cargo test` built next to this test binary, run from the
/// repository's top folder.
fn example(name: &str) -> Command {
    let mut path: PathBuf = std::env::current_exe().expect("test binary path");
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    path.push("examples");
    path.push(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let mut command = Command::new(path);
    command.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    command
}

fn run(command: &mut Command) -> (Output, String, String) {
    let output = command.output().expect("example runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

#[test]
fn sql_reports_the_bank_sample_as_csv_and_as_its_export_through_the_mapping() {
    let (output, stdout, stderr) = run(example("sql").args([
        "examples/data/retail_bank.ron",
        "examples/data/retail_bank.interactions.csv",
    ]));
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("7461 rows: 7461 attached, 0 refused, 0 left out; 2000 customers"),
        "{stdout}"
    );
    assert!(stdout.contains(" 1. Customers typically wait"), "{stdout}");

    let (output, export, stderr) = run(example("sql").args([
        "examples/data/retail_bank.ron",
        "examples/data/retail_bank.export.csv",
        "examples/data/retail_bank.mapping.ron",
    ]));
    assert!(output.status.success(), "{stderr}");
    assert!(
        export.contains("7789 rows: 7461 attached, 0 refused, 328 left out; 2000 customers"),
        "{export}"
    );
    // The same friction, read from the export.
    let points = |s: &str| s.lines().skip(2).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(points(&export), points(&stdout));
}

#[test]
fn sql_exits_2_on_bad_arguments_and_1_on_bad_input() {
    let (output, _, stderr) = run(example("sql").arg("only-one"));
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("usage"), "{stderr}");

    let (output, _, stderr) = run(example("sql").args([
        "examples/data/retail_bank.ron",
        "examples/data/broadband.interactions.csv",
    ]));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("caused by: row"), "{stderr}");
}

#[test]
fn generated_parquet_gives_the_same_customers_on_every_path() {
    let dir = std::env::temp_dir().join(format!("journey-map-generate-{}", std::process::id()));
    let (output, stdout, stderr) = run(example("generate").args([dir.to_str().unwrap(), "1", "3"]));
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("of 20000 customers in 1 files"), "{stdout}");

    let (output, memory, stderr) = run(example("scale").args([dir.to_str().unwrap(), "memory"]));
    assert!(output.status.success(), "{stderr}");
    let (output, engine, stderr) = run(example("scale").args([
        dir.to_str().unwrap(),
        "datafusion",
        "--memory-limit",
        "0.5",
        "--buckets",
        "16",
    ]));
    assert!(output.status.success(), "{stderr}");
    let (output, cluster, stderr) =
        run(example("scale").args([dir.to_str().unwrap(), "ballista", "--buckets", "16"]));
    assert!(output.status.success(), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
    let customers = |s: &str, prefix: &str| -> u64 {
        let line = s.lines().find(|l| l.starts_with(prefix)).expect(prefix);
        let at = line.find(" customers").expect("customers");
        line[..at]
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(customers(&memory, "memory metrics"), 20_000, "{memory}");
    assert_eq!(customers(&engine, "datafusion metrics"), 20_000, "{engine}");
    assert_eq!(customers(&cluster, "ballista metrics"), 20_000, "{cluster}");
    assert!(engine.contains("peak memory: "), "{engine}");
}
