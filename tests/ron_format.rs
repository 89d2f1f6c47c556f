//! Journey files in RON: loading, saving, errors with file, line and column, and serde.

use journey_map::{Channel, Journey, LoadError, SaveError, TouchpointKind};

const MINIMAL: &str = r#"(
    name: "Minimal",
    stages: [(id: "buy", name: "Buy")],
    touchpoints: [(id: "shop", name: "Shop", stage: "buy", channel: Web, kind: DigitalProduct, entry: true, goal: true)],
)"#;

fn syntax(error: LoadError) -> (String, usize, usize, String) {
    match error {
        LoadError::Syntax {
            origin,
            line,
            column,
            message,
        } => (origin, line, column, message),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn samples_load_save_and_load_to_an_equal_journey() {
    for path in [
        "examples/data/retail_bank.ron",
        "examples/data/broadband.ron",
    ] {
        let journey = Journey::load(path).unwrap();
        let text = journey.to_ron_string().unwrap();
        let again = Journey::from_ron_str(&text).unwrap();
        assert_eq!(again, journey, "{path}");
        assert_eq!(again.to_ron_string().unwrap(), text, "saving is stable");
    }
}

#[test]
fn save_writes_a_file_that_loads_back() {
    let journey = Journey::load("examples/data/broadband.ron").unwrap();
    let path = std::env::temp_dir().join(format!("journey-map-save-{}.ron", std::process::id()));
    journey.save(&path).unwrap();
    assert_eq!(Journey::load(&path).unwrap(), journey);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn saved_files_use_bare_optionals_and_leave_defaults_out() {
    let journey = Journey::from_ron_str(MINIMAL).unwrap();
    let text = journey.to_ron_string().unwrap();
    assert!(text.starts_with("#![enable(implicit_some)]\n("), "{text}");
    assert!(!text.contains("Some("), "{text}");
    assert!(
        !text.contains("personas"),
        "empty lists are left out: {text}"
    );
    assert!(!text.contains("flows"), "{text}");
    assert!(text.contains("entry: true"), "{text}");
    assert!(!text.contains("owner"), "{text}");
}

#[test]
fn optionals_may_be_bare_or_wrapped_in_some() {
    let bare = MINIMAL.replace("entry: true", "owner: \"Sales\", entry: true");
    let wrapped = MINIMAL.replace("entry: true", "owner: Some(\"Sales\"), entry: true");
    let a = Journey::from_ron_str(&bare).unwrap();
    let b = Journey::from_ron_str(&wrapped).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a.touchpoint("shop").unwrap().owner.as_deref(),
        Some("Sales")
    );
    let none = MINIMAL.replace("entry: true", "owner: None, entry: true");
    assert_eq!(
        Journey::from_ron_str(&none)
            .unwrap()
            .touchpoint("shop")
            .unwrap()
            .owner,
        None
    );
}

#[test]
fn other_channels_and_kinds_are_named() {
    let text = MINIMAL.replace(
        "channel: Web, kind: DigitalProduct",
        "channel: Other(\"kiosk\"), kind: Other(\"vending\")",
    );
    let journey = Journey::from_ron_str(&text).unwrap();
    let shop = journey.touchpoint("shop").unwrap();
    assert_eq!(shop.channel, Channel::Other("kiosk".into()));
    assert_eq!(shop.kind, TouchpointKind::Other("vending".into()));
    assert_eq!(
        Journey::from_ron_str(&journey.to_ron_string().unwrap()).unwrap(),
        journey
    );
}

#[test]
fn unknown_fields_are_errors_with_line_and_column() {
    let text = MINIMAL.replace(
        "kind: DigitalProduct,",
        "kind: DigitalProduct, colour: Red,",
    );
    let (origin, line, column, message) = syntax(Journey::from_ron_str(&text).unwrap_err());
    assert_eq!((origin.as_str(), line, column), ("<string>", 4, 96));
    assert!(
        message.starts_with("unexpected field named `colour` in `Touchpoint`"),
        "{message}"
    );
    assert!(
        message.contains("expected one of `id`, `name`, `stage`"),
        "{message}"
    );

    let top = MINIMAL.replace("name: \"Minimal\",", "name: \"Minimal\", version: 2,");
    let (_, line, column, message) = syntax(Journey::from_ron_str(&top).unwrap_err());
    assert_eq!((line, column), (2, 22));
    assert!(message.contains("`version`"), "{message}");
}

#[test]
fn malformed_text_names_line_column_and_what_was_expected() {
    let (_, line, column, message) =
        syntax(Journey::from_ron_str("(\n  name: \"x\"\n  stages: [],\n)").unwrap_err());
    assert_eq!((line, column, message.as_str()), (3, 3, "expected comma"));

    let (_, line, column, message) =
        syntax(Journey::from_ron_str("(\n  name: \"unterminated,\n)").unwrap_err());
    assert_eq!((line, column), (2, 9), "where the string starts");
    assert!(message.contains("string"), "{message}");

    let (_, _, _, message) = syntax(Journey::from_ron_str("(stages: [])").unwrap_err());
    assert!(message.contains("missing field named `name`"), "{message}");

    let wrong_type = MINIMAL.replace("entry: true", "entry: \"yes\"");
    let (_, line, _, message) = syntax(Journey::from_ron_str(&wrong_type).unwrap_err());
    assert_eq!(line, 4);
    assert!(message.contains("expected boolean"), "{message}");

    let bad_channel = MINIMAL.replace("channel: Web", "channel: Fax");
    let (_, _, _, message) = syntax(Journey::from_ron_str(&bad_channel).unwrap_err());
    assert!(
        message.contains("unexpected variant named `Fax` in enum `Channel`"),
        "{message}"
    );
    assert!(message.contains("`LiveChat`"), "{message}");

    let (_, line, column, _) = syntax(Journey::from_ron_str("").unwrap_err());
    assert_eq!((line, column), (1, 1));
    assert!(Journey::from_ron_str(&format!("{MINIMAL} trailing")).is_err());
}

#[test]
fn errors_from_files_name_the_file() {
    let dir = std::env::temp_dir().join(format!("journey-map-ron-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.ron");
    std::fs::write(
        &path,
        "(\n  name: \"x\",\n  stages: [(id: \"a\" name: \"A\")],\n)",
    )
    .unwrap();
    let error = Journey::load(&path).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{}:3:21: expected comma", path.display())
    );

    std::fs::write(&path, "(name: \"x\")").unwrap();
    let error = Journey::load(&path).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{} is not a valid journey", path.display())
    );
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert_eq!(
        source,
        "2 problems: the journey has no stage; the journey has no touchpoint"
    );
    assert_eq!(error.validation().unwrap().problems().len(), 2);

    let error = Journey::load(dir.join("missing.ron")).unwrap_err();
    assert!(
        matches!(&error, LoadError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    );
    assert!(error.to_string().starts_with("cannot read journey file "));
    assert!(
        std::error::Error::source(&error).is_some(),
        "the io error is chained"
    );

    let error = Journey::load(&dir).unwrap_err();
    assert!(
        matches!(error, LoadError::Read { .. }),
        "a directory is unreadable as a file"
    );

    let journey = Journey::from_ron_str(MINIMAL).unwrap();
    let error = journey
        .save(dir.join("no-such-dir").join("out.ron"))
        .unwrap_err();
    assert!(matches!(&error, SaveError::Write { .. }));
    assert!(error.to_string().starts_with("cannot write journey file "));
    assert!(std::error::Error::source(&error).is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bytes_that_are_not_utf8_are_a_syntax_error_with_a_position() {
    let (origin, line, column, message) =
        syntax(Journey::from_ron_bytes(b"(\n  name: \"caf\xe9\",\n)", "upload.ron").unwrap_err());
    assert_eq!(origin, "upload.ron");
    assert_eq!((line, column), (2, 13), "the column of the first bad byte");
    assert!(message.contains("utf-8"), "{message}");
}

#[test]
fn journeys_parse_with_from_str() {
    let journey: Journey = MINIMAL.parse().unwrap();
    assert_eq!(journey.name(), "Minimal");
    assert!("(".parse::<Journey>().is_err());
}

#[test]
fn journeys_serialize_with_serde_in_other_formats() {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let json = serde_json::to_string(&journey).unwrap();
    assert!(
        json.contains("\"touchpoints\":["),
        "the document structure, not the graph"
    );
    assert!(!json.contains("node"), "no petgraph internals");
    let back: Journey = serde_json::from_str(&json).unwrap();
    assert_eq!(back, journey);

    // Deserializing validates, and reports every problem.
    let invalid = json.replace("\"stage\":\"apply\"", "\"stage\":\"aply\"");
    let error = serde_json::from_str::<Journey>(&invalid)
        .unwrap_err()
        .to_string();
    assert!(error.contains("4 problems"), "{error}");
    assert!(
        error.contains("did you mean \\\"apply\\\"") || error.contains("did you mean \"apply\""),
        "{error}"
    );
}

#[test]
fn the_annotated_journey_in_the_readme_is_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let journey_block = readme
        .find("```ron\n#![enable")
        .or_else(|| readme.find("```ron\n// "))
        .unwrap_or_else(|| {
            readme
                .match_indices("```ron\n")
                .map(|(i, _)| i)
                .find(|&i| readme[i..].contains("Home insurance claim"))
                .expect("the journey's RON block in the README")
        });
    let start = journey_block + "```ron\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let journey = Journey::from_ron_str(&readme[start..end]).unwrap();
    assert_eq!(journey.name(), "Home insurance claim");
    assert!(journey.warnings().is_empty(), "{:?}", journey.warnings());
    let form = journey.touchpoint("claim-form").unwrap();
    assert_eq!(form.owner.as_deref(), Some("Claims digital"));
    assert!(form.is_entry);
    assert_eq!(journey.personas()[0].attributes.len(), 2);
    assert_eq!(
        Journey::from_ron_str(&journey.to_ron_string().unwrap()).unwrap(),
        journey
    );
}
