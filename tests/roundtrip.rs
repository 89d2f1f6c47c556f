//! Property: any valid journey saved as RON loads back equal, and saving again gives the same
//! text. Journeys are generated with arbitrary Unicode in every string, every channel and kind,
//! optional fields present and absent, and arbitrary shares.

use std::collections::BTreeMap;

use journey_map::{
    Channel, ChannelServiceLevel, Flow, Journey, JourneyBuilder, Persona, ServiceLevel, Stage,
    Touchpoint, TouchpointKind, Within,
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

fn within() -> impl Strategy<Value = Within> {
    (0.001..1e7_f64, 0.0..=1.0_f64).prop_map(|(seconds, share)| Within::new(seconds, share))
}

fn service_level() -> impl Strategy<Value = ServiceLevel> {
    (
        proptest::option::of(within()),
        proptest::option::of(0.0..=1.0_f64),
        proptest::option::of(0.0..=1.0_f64),
        proptest::option::of(within()),
    )
        .prop_map(|(answer, abandonment, csat, resolution)| {
            let mut level = ServiceLevel::default();
            level.answer = answer;
            level.max_abandonment = abandonment;
            level.min_csat = csat;
            level.resolution = resolution;
            level
        })
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
        levels in proptest::collection::vec(proptest::option::of(service_level()), 0..12),
        channel_levels in proptest::collection::vec((any::<usize>(), service_level()), 0..3),
    ) -> Journey {
        let journey = assemble(name, description, prefixes, stages, touchpoints, flows, personas);
        with_service_levels(journey, levels, channel_levels)
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
        // Each channel once: a channel preferred twice is a validation problem.
        let mut channels: Vec<Channel> = Vec::new();
        for channel in preferred {
            if !channels.contains(&channel) {
                channels.push(channel);
            }
        }
        persona.preferred_channels = channels;
        let mut used: Vec<usize> = uses.into_iter().map(|u| u % n).collect();
        used.sort_unstable();
        used.dedup();
        persona.uses = used.into_iter().map(|u| touchpoint_id(u).into()).collect();
        builder = builder.persona(persona);
    }
    builder.build().expect("generated journeys are valid")
}

/// The journey with touchpoint `i` given `levels[i]`, and each channel level given to the
/// channel of touchpoint `j` (the first level for a channel wins).
fn with_service_levels(
    journey: Journey,
    levels: Vec<Option<ServiceLevel>>,
    channel_levels: Vec<(usize, ServiceLevel)>,
) -> Journey {
    let touchpoints: Vec<Touchpoint> = journey
        .touchpoints()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut t = t.clone();
            t.service_level = levels.get(i).copied().flatten();
            t
        })
        .collect();
    let mut rebuilt = JourneyBuilder::new(journey.name());
    if let Some(d) = journey.description() {
        rebuilt = rebuilt.description(d);
    }
    rebuilt = rebuilt
        .personas(journey.personas().iter().cloned())
        .stages(journey.stages().iter().cloned())
        .touchpoints(touchpoints)
        .flows(journey.flows().iter().cloned());
    let mut channels: Vec<Channel> = Vec::new();
    for (j, level) in channel_levels {
        let channel = journey.touchpoints()[j % journey.touchpoints().len()]
            .channel
            .clone();
        if !channels.contains(&channel) {
            channels.push(channel.clone());
            rebuilt = rebuilt.service_level(ChannelServiceLevel::new(channel, level));
        }
    }
    rebuilt.build().expect("generated service levels are valid")
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
