//! Property: any valid journey saved as RON loads back equal, and saving again gives the same
//! text. Journeys are generated with arbitrary Unicode in every string, every channel and kind,
//! optional fields present and absent, and arbitrary shares.

use std::collections::BTreeMap;

use journey_map::{
    Channel, Flow, Journey, JourneyBuilder, Persona, Stage, Touchpoint, TouchpointKind,
};
use proptest::prelude::*;

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![
        Just(Channel::Web),
        Just(Channel::MobileApp),
        Just(Channel::Email),
        Just(Channel::Sms),
        Just(Channel::Phone),
        Just(Channel::LiveChat),
        Just(Channel::Chatbot),
        Just(Channel::Social),
        Just(Channel::Store),
        Just(Channel::Post),
        any::<String>().prop_map(Channel::Other),
    ]
}

fn kind() -> impl Strategy<Value = TouchpointKind> {
    prop_oneof![
        Just(TouchpointKind::Marketing),
        Just(TouchpointKind::DigitalProduct),
        Just(TouchpointKind::HumanService),
        Just(TouchpointKind::AutomatedService),
        Just(TouchpointKind::PhysicalProduct),
        Just(TouchpointKind::Billing),
        any::<String>().prop_map(TouchpointKind::Other),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-zA-Z ,.'\"\\\\-]{0,20}"]
}

type StageParts = (String, Option<String>);
type TouchpointParts = (
    String,
    usize,
    Channel,
    TouchpointKind,
    Option<String>,
    Option<String>,
    bool,
    bool,
);
type FlowParts = (usize, usize, Option<String>, Option<f64>);
type PersonaParts = (
    String,
    Option<String>,
    BTreeMap<String, String>,
    Vec<Channel>,
    Vec<usize>,
);

prop_compose! {
    fn journey()(
        name in text(),
        description in proptest::option::of(text()),
        prefixes in (text(), text(), text()),
        stages in proptest::collection::vec((text(), proptest::option::of(text())), 1..5),
        touchpoints in proptest::collection::vec(
            (text(), any::<usize>(), channel(), kind(), proptest::option::of(text()), proptest::option::of(text()), any::<bool>(), any::<bool>()),
            1..12,
        ),
        flows in proptest::collection::vec(
            (any::<usize>(), any::<usize>(), proptest::option::of(text()), proptest::option::of(0.0..=1.0_f64)),
            0..30,
        ),
        personas in proptest::collection::vec(
            (
                text(),
                proptest::option::of(text()),
                proptest::collection::btree_map(text(), text(), 0..3),
                proptest::collection::vec(channel(), 0..3),
                proptest::collection::vec(any::<usize>(), 0..5),
            ),
            0..4,
        ),
    ) -> Journey {
        assemble(name, description, prefixes, stages, touchpoints, flows, personas)
    }
}

fn assemble(
    name: String,
    description: Option<String>,
    (stage_prefix, touchpoint_prefix, persona_prefix): (String, String, String),
    stages: Vec<StageParts>,
    touchpoints: Vec<TouchpointParts>,
    flows: Vec<FlowParts>,
    personas: Vec<PersonaParts>,
) -> Journey {
    let stage_id = |i: usize| format!("{stage_prefix}{i}");
    let touchpoint_id = |i: usize| format!("{touchpoint_prefix}{i}");
    let n = touchpoints.len();
    let mut builder = JourneyBuilder::new(name);
    if let Some(description) = description {
        builder = builder.description(description);
    }
    for (i, (name, description)) in stages.iter().enumerate() {
        let mut stage = Stage::new(stage_id(i), name.clone());
        stage.description = description.clone();
        builder = builder.stage(stage);
    }
    for (i, (name, stage, channel, kind, owner, description, entry, goal)) in
        touchpoints.into_iter().enumerate()
    {
        let mut touchpoint = Touchpoint::new(
            touchpoint_id(i),
            name,
            stage_id(stage % stages.len()),
            channel,
            kind,
        );
        touchpoint.owner = owner;
        touchpoint.description = description;
        touchpoint.is_entry = entry || i == 0;
        touchpoint.is_goal = goal || i == n - 1;
        builder = builder.touchpoint(touchpoint);
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut kept: Vec<FlowParts> = Vec::new();
    for (from, to, label, share) in flows {
        let pair = (from % n, to % n);
        if !pairs.contains(&pair) {
            pairs.push(pair);
            kept.push((pair.0, pair.1, label, share));
        }
    }
    for (from, to, label, share) in kept {
        let leaving = pairs.iter().filter(|(f, _)| *f == from).count() as f64;
        let mut flow = Flow::new(touchpoint_id(from), touchpoint_id(to));
        flow.label = label;
        flow.expected_share = share.map(|s| s / leaving);
        builder = builder.flow(flow);
    }
    for (i, (name, description, attributes, preferred, uses)) in personas.into_iter().enumerate() {
        let mut persona = Persona::new(format!("{persona_prefix}{i}"), name);
        persona.description = description;
        persona.attributes = attributes;
        persona.preferred_channels = preferred;
        let mut used: Vec<usize> = uses.into_iter().map(|u| u % n).collect();
        used.sort_unstable();
        used.dedup();
        persona.uses = used.into_iter().map(|u| touchpoint_id(u).into()).collect();
        builder = builder.persona(persona);
    }
    builder.build().expect("generated journeys are valid")
}

proptest! {
    #[test]
    fn save_then_load_gives_an_equal_journey(journey in journey()) {
        let text = journey.to_ron_string().unwrap();
        let loaded = Journey::from_ron_str(&text).unwrap();
        prop_assert_eq!(&loaded, &journey);
        prop_assert_eq!(loaded.to_ron_string().unwrap(), text);
    }

    #[test]
    fn json_round_trips_too(journey in journey()) {
        let json = serde_json::to_string(&journey).unwrap();
        let loaded: Journey = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(loaded, journey);
    }

    #[test]
    fn rebuilding_from_parts_gives_an_equal_journey(journey in journey()) {
        prop_assert_eq!(journey.to_builder().build().unwrap(), journey);
    }
}
