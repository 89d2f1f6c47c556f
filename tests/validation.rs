//! Semantic validation: every problem of a journey is reported at once, naming the item, by the
//! builder and by the file loader alike.

use journey_map::{
    Channel, Flow, ItemKind, Journey, JourneyBuilder, Persona, Problem, Stage, Touchpoint,
    TouchpointKind,
};

fn tp(id: &str, stage: &str) -> Touchpoint {
    Touchpoint::new(id, id, stage, Channel::Web, TouchpointKind::DigitalProduct)
}

fn valid() -> JourneyBuilder {
    JourneyBuilder::new("Valid")
        .stage(Stage::new("buy", "Buy"))
        .touchpoint(tp("shop", "buy").entry())
        .touchpoint(tp("pay", "buy").goal())
        .flow(Flow::new("shop", "pay"))
}

fn problems(builder: JourneyBuilder) -> Vec<Problem> {
    builder
        .build()
        .expect_err("journey must be invalid")
        .into_problems()
}

#[test]
fn a_valid_journey_builds() {
    let journey = valid().build().unwrap();
    assert_eq!(journey.touchpoints().len(), 2);
}

#[test]
fn empty_ids_are_reported_for_every_kind() {
    let found = problems(
        valid()
            .persona(Persona::new("", "Nobody"))
            .stage(Stage::new("  ", "Blank"))
            .touchpoint(tp("", "buy")),
    );
    let empty: Vec<(ItemKind, usize)> = found
        .iter()
        .filter_map(|p| match p {
            Problem::EmptyId { item } => Some((item.kind, item.position)),
            _ => None,
        })
        .collect();
    assert_eq!(
        empty,
        [
            (ItemKind::Persona, 0),
            (ItemKind::Stage, 1),
            (ItemKind::Touchpoint, 2)
        ]
    );
    assert_eq!(found[0].to_string(), "persona #1 has an empty id");
}

#[test]
fn duplicate_ids_name_both_positions() {
    let found = problems(
        valid()
            .persona(Persona::new("p", "P"))
            .persona(Persona::new("p", "P again"))
            .stage(Stage::new("buy", "Buy again"))
            .touchpoint(tp("shop", "buy")),
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(
        found[0].to_string(),
        "duplicate persona id \"p\": items #1 and #2"
    );
    assert_eq!(
        found[1].to_string(),
        "duplicate stage id \"buy\": items #1 and #2"
    );
    assert_eq!(
        found[2].to_string(),
        "duplicate touchpoint id \"shop\": items #1 and #3"
    );
}

#[test]
fn unknown_references_name_the_item_the_field_and_the_closest_id() {
    let found = problems(
        valid()
            .touchpoint(tp("refund", "by"))
            .persona(
                Persona::new("p", "P")
                    .with_uses("shp")
                    .with_uses("zzzzzzzz"),
            )
            .flow(Flow::new("refnd", "pay")),
    );
    assert_eq!(
        found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "touchpoint \"refund\" names unknown stage \"by\" in `stage` (did you mean \"buy\"?)",
            "persona \"p\" names unknown touchpoint \"shp\" in `uses` (did you mean \"shop\"?)",
            "persona \"p\" names unknown touchpoint \"zzzzzzzz\" in `uses`",
            "flow #2 (\"refnd -> pay\") names unknown touchpoint \"refnd\" in `from` (did you mean \"refund\"?)",
        ]
    );
    match &found[0] {
        Problem::UnknownReference {
            item,
            field,
            target,
            id,
            suggestion,
        } => {
            assert_eq!(
                (item.kind, item.id.as_str()),
                (ItemKind::Touchpoint, "refund")
            );
            assert_eq!(
                (field.as_str(), *target, id.as_str()),
                ("stage", ItemKind::Stage, "by")
            );
            assert_eq!(suggestion.as_deref(), Some("buy"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn unknown_flow_ends_are_both_reported() {
    let found = problems(valid().flow(Flow::new("nowhere", "elsewhere")));
    assert_eq!(found.len(), 2);
    assert!(matches!(&found[0], Problem::UnknownReference { field, .. } if field == "from"));
    assert!(matches!(&found[1], Problem::UnknownReference { field, .. } if field == "to"));
}

#[test]
fn repeated_uses_and_duplicate_flows_are_reported() {
    let found = problems(
        valid()
            .persona(Persona::new("p", "P").with_uses("shop").with_uses("shop"))
            .flow(Flow::new("shop", "pay").with_label("again")),
    );
    assert_eq!(
        found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "persona \"p\" lists touchpoint \"shop\" twice in `uses`",
            "flow #2 (\"shop -> pay\") repeats flow #1 between the same touchpoints",
        ]
    );
}

#[test]
fn a_self_loop_is_a_valid_retry() {
    let journey = valid()
        .flow(Flow::new("shop", "shop").with_label("retry"))
        .build()
        .unwrap();
    assert!(journey.flows()[1].is_self_loop());
}

#[test]
fn shares_must_lie_in_0_to_1_and_sum_to_at_most_1() {
    let found = problems(
        valid()
            .touchpoint(tp("help", "buy"))
            .flow(Flow::new("shop", "help").with_expected_share(f64::NAN))
            .flow(Flow::new("help", "pay").with_expected_share(-0.1))
            .flow(Flow::new("help", "shop").with_expected_share(1.5))
            .flow(Flow::new("pay", "shop").with_expected_share(0.7))
            .flow(Flow::new("pay", "help").with_expected_share(0.4))
            .flow(Flow::new("pay", "pay").with_expected_share(f64::INFINITY)),
    );
    assert_eq!(
        found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "flow #2 (\"shop -> help\") has expected share NaN, outside 0..=1",
            "flow #3 (\"help -> pay\") has expected share -0.1, outside 0..=1",
            "flow #4 (\"help -> shop\") has expected share 1.5, outside 0..=1",
            "flow #7 (\"pay -> pay\") has expected share inf, outside 0..=1",
            "the expected shares of the flows leaving touchpoint \"pay\" sum to 1.1, above 1",
        ]
    );
    // Shares that sum to exactly 1, give or take rounding, are fine.
    let thirds = valid()
        .touchpoint(tp("a", "buy"))
        .touchpoint(tp("b", "buy"))
        .flow(Flow::new("a", "b").with_expected_share(1.0 / 3.0))
        .flow(Flow::new("a", "pay").with_expected_share(1.0 / 3.0))
        .flow(Flow::new("a", "shop").with_expected_share(1.0 / 3.0))
        .flow(Flow::new("b", "pay").with_expected_share(0.0))
        .flow(Flow::new("shop", "a").with_expected_share(1.0 - 0.7 - 0.2 - 0.1));
    thirds.build().unwrap();
}

#[test]
fn a_journey_needs_stages_touchpoints_an_entry_and_a_goal() {
    assert_eq!(
        problems(JourneyBuilder::new("Empty")),
        [Problem::NoStage, Problem::NoTouchpoint]
    );
    let found = problems(
        JourneyBuilder::new("Flat")
            .stage(Stage::new("s", "S"))
            .touchpoint(tp("t", "s")),
    );
    assert_eq!(found, [Problem::NoEntry, Problem::NoGoal]);
    assert_eq!(
        found[0].to_string(),
        "no touchpoint is marked as an entry (`entry: true`)"
    );
    assert_eq!(
        found[1].to_string(),
        "no touchpoint is marked as a goal (`goal: true`)"
    );
    assert_eq!(
        problems(JourneyBuilder::new("No stage")),
        [Problem::NoStage, Problem::NoTouchpoint]
    );
}

#[test]
fn all_problems_come_at_once_and_display_together() {
    let error = JourneyBuilder::new("Many")
        .stage(Stage::new("s", "S"))
        .stage(Stage::new("s", "S"))
        .touchpoint(tp("t", "x"))
        .build()
        .unwrap_err();
    assert_eq!(error.problems().len(), 4);
    assert_eq!(
        error.to_string(),
        "4 problems: duplicate stage id \"s\": items #1 and #2; touchpoint \"t\" names unknown stage \"x\" in `stage`; \
         no touchpoint is marked as an entry (`entry: true`); no touchpoint is marked as a goal (`goal: true`)"
    );
}

#[test]
fn a_long_list_of_problems_is_cut_in_display_but_complete_in_the_value() {
    let mut builder = valid();
    for i in 0..250 {
        builder = builder.flow(Flow::new(format!("missing-{i}"), "pay"));
    }
    let error = builder.build().unwrap_err();
    assert_eq!(error.problems().len(), 250);
    assert!(error.to_string().ends_with("; and 230 more"));
    // Suggestions are bounded so that a huge bad file still validates in linear time.
    let suggested = error
        .problems()
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
    assert!(suggested <= 100);
}

/// The builder and the loader find the same problems in the same journey.
#[test]
fn files_and_the_builder_validate_alike() {
    let text = r#"(
        name: "Broken",
        personas: [(id: "p", name: "P", uses: ["shp", "shop", "shop"])],
        stages: [(id: "buy", name: "Buy"), (id: "buy", name: "Again"), (id: "", name: "Empty")],
        touchpoints: [
            (id: "shop", name: "shop", stage: "bye", channel: Web, kind: DigitalProduct, entry: true),
            (id: "pay", name: "pay", stage: "buy", channel: Web, kind: DigitalProduct),
        ],
        flows: [
            (from: "shop", to: "pay", expected_share: 0.7),
            (from: "shop", to: "pya", expected_share: 0.6),
            (from: "shop", to: "pay"),
            (from: "pay", to: "shop", expected_share: NaN),
        ],
    )"#;
    let from_file = Journey::from_ron_str(text).unwrap_err();
    let from_file = from_file
        .validation()
        .expect("a validation error")
        .problems()
        .to_vec();

    let from_code = problems(
        JourneyBuilder::new("Broken")
            .persona(
                Persona::new("p", "P")
                    .with_uses("shp")
                    .with_uses("shop")
                    .with_uses("shop"),
            )
            .stages([
                Stage::new("buy", "Buy"),
                Stage::new("buy", "Again"),
                Stage::new("", "Empty"),
            ])
            .touchpoint(tp("shop", "bye").entry())
            .touchpoint(tp("pay", "buy"))
            .flows([
                Flow::new("shop", "pay").with_expected_share(0.7),
                Flow::new("shop", "pya").with_expected_share(0.6),
                Flow::new("shop", "pay"),
                Flow::new("pay", "shop").with_expected_share(f64::NAN),
            ]),
    );
    // NaN != NaN, so compare the messages, which name every item and value.
    let messages = |found: &[Problem]| found.iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(messages(&from_file), messages(&from_code));
    assert_eq!(from_file.len(), 10, "{:#?}", messages(&from_file));
}

#[test]
fn service_levels_out_of_range_twice_or_for_an_unused_channel_are_all_reported() {
    use journey_map::{ChannelServiceLevel, ServiceLevel, ServiceLevelOwner, Within};
    let bad = ServiceLevel::default()
        .with_answer(Within::new(0.0, 1.5))
        .with_min_csat(f64::NAN);
    let found = problems(
        valid()
            .touchpoint(tp("help", "buy").with_service_level(bad))
            .service_level(ChannelServiceLevel::new(
                Channel::Web,
                ServiceLevel::default().with_max_abandonment(-0.1),
            ))
            .service_level(ChannelServiceLevel::new(
                Channel::Web,
                ServiceLevel::default(),
            ))
            .service_level(ChannelServiceLevel::new(
                Channel::Phone,
                ServiceLevel::default(),
            )),
    );
    let text: Vec<String> = found.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        text,
        [
            "the service level of touchpoint \"help\" has answer.seconds 0, expected positive, finite seconds",
            "the service level of touchpoint \"help\" has answer.share 1.5, expected a share in 0..=1",
            "the service level of touchpoint \"help\" has min_csat NaN, expected a share in 0..=1",
            "the service level of channel Web has max_abandonment -0.1, expected a share in 0..=1",
            "service level #2 is for channel Web, like service level #1",
            "a service level is set for channel Phone, which no touchpoint uses",
        ],
        "{text:#?}"
    );
    assert!(matches!(
        &found[0],
        Problem::ServiceLevelOutOfRange { owner: ServiceLevelOwner::Touchpoint(item), .. }
            if item.kind == ItemKind::Touchpoint && item.id == "help"
    ));
}

#[test]
fn a_misspelt_channel_of_a_service_level_gets_a_suggestion() {
    let text = r#"(
        name: "Typo",
        stages: [(id: "s", name: "S")],
        touchpoints: [
            (id: "a", name: "A", stage: "s", channel: Other("kiosk"), kind: DigitalProduct, entry: true, goal: true),
        ],
        service_levels: [(channel: Other("kiosks"), level: (min_csat: Some(0.8)))],
    )"#;
    let error = Journey::from_ron_str(text).unwrap_err();
    let problems = error.validation().expect("a validation error").problems();
    let message = problems[0].to_string();
    assert!(
        message.contains("did you mean Other(\"kiosk\")?"),
        "{message}"
    );
}

#[test]
fn a_touchpoint_takes_its_channel_service_level_target_by_target() {
    use journey_map::{ChannelServiceLevel, ServiceLevel, Within};
    let journey = valid()
        .touchpoint(
            Touchpoint::new(
                "line",
                "Line",
                "buy",
                Channel::Phone,
                TouchpointKind::HumanService,
            )
            .with_service_level(ServiceLevel::default().with_answer(Within::new(30.0, 0.9))),
        )
        .flow(Flow::new("shop", "line"))
        .service_level(ChannelServiceLevel::new(
            Channel::Phone,
            ServiceLevel::default()
                .with_answer(Within::new(20.0, 0.8))
                .with_max_abandonment(0.05),
        ))
        .build()
        .unwrap();
    let line = journey.touchpoint_index("line").unwrap();
    let level = journey.service_level(line).unwrap();
    assert_eq!(level.answer, Some(Within::new(30.0, 0.9)), "its own");
    assert_eq!(level.max_abandonment, Some(0.05), "its channel's");
    let shop = journey.touchpoint_index("shop").unwrap();
    assert!(journey.service_level(shop).unwrap().is_empty());
}
