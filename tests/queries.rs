//! Questions the journey graph answers: lookups, neighbours, personas, paths, dead ends,
//! unreachable touchpoints, backward flows, empty stages and structural warnings.

use journey_map::{
    Channel, Flow, ItemKind, Journey, JourneyBuilder, PathLimits, Persona, Stage,
    StructuralWarning, Touchpoint, TouchpointIndex, TouchpointKind,
};

fn tp(id: &str, stage: &str, channel: Channel) -> Touchpoint {
    Touchpoint::new(
        id,
        id.to_uppercase(),
        stage,
        channel,
        TouchpointKind::DigitalProduct,
    )
}

/// ```text
/// stage a: ad(entry)  web
/// stage b: form  form-retry(self loop)  help(phone)  orphan
/// stage c: done(goal)  leak
/// stage d: (empty)
/// ad -> form -> done; form -> form; form -> help -> form; help -> leak; done -> form (back)
/// ```
fn small() -> Journey {
    JourneyBuilder::new("Small")
        .persona(Persona::new("p1", "One").with_uses("help").with_uses("ad"))
        .persona(Persona::new("p2", "Two").with_uses("help"))
        .stages([
            Stage::new("a", "A"),
            Stage::new("b", "B"),
            Stage::new("c", "C"),
            Stage::new("d", "D"),
        ])
        .touchpoints([
            tp("ad", "a", Channel::Social).entry(),
            tp("form", "b", Channel::Web),
            tp("help", "b", Channel::Phone),
            tp("orphan", "b", Channel::Web),
            tp("done", "c", Channel::Email).goal(),
            tp("leak", "c", Channel::Email),
        ])
        .flows([
            Flow::new("ad", "form"),
            Flow::new("form", "form").with_label("retry"),
            Flow::new("form", "help"),
            Flow::new("help", "form"),
            Flow::new("form", "done"),
            Flow::new("help", "leak"),
            Flow::new("done", "form").with_label("back"),
            Flow::new("orphan", "done"),
        ])
        .build()
        .unwrap()
}

fn ids<T, F: Fn(&T) -> &str>(items: &[T], id: F) -> Vec<&str> {
    items.iter().map(id).collect()
}

#[test]
fn lookups_by_id_and_by_index_agree() {
    let journey = small();
    for (i, touchpoint) in journey.touchpoints().iter().enumerate() {
        let ix = journey.touchpoint_index(&touchpoint.id).unwrap();
        assert_eq!(ix.index(), i);
        assert_eq!(journey.touchpoint_at(ix), Some(touchpoint));
        assert_eq!(journey.touchpoint(touchpoint.id.as_str()), Some(touchpoint));
    }
    assert_eq!(journey.stage_index("c").map(|s| s.index()), Some(2));
    assert_eq!(journey.persona_index("p2").map(|p| p.index()), Some(1));
    assert_eq!(journey.persona("p1").map(|p| p.name.as_str()), Some("One"));
    assert_eq!(journey.stage("d").map(|s| s.name.as_str()), Some("D"));
    assert!(journey.touchpoint("nope").is_none());
    assert!(
        journey
            .touchpoint_at(TouchpointIndex::from_u32(99))
            .is_none()
    );
    assert_eq!(
        journey
            .stage_index_of(TouchpointIndex::from_u32(4))
            .map(|s| s.index()),
        Some(2)
    );
    assert_eq!(
        ids(&journey.entries().collect::<Vec<_>>(), |t| t.id.as_str()),
        ["ad"]
    );
    assert_eq!(
        ids(&journey.goals().collect::<Vec<_>>(), |t| t.id.as_str()),
        ["done"]
    );
}

#[test]
fn touchpoints_and_channels_of_a_stage() {
    let journey = small();
    assert_eq!(
        ids(&journey.touchpoints_in_stage("b").unwrap(), |t| t
            .id
            .as_str()),
        ["form", "help", "orphan"]
    );
    assert!(journey.touchpoints_in_stage("d").unwrap().is_empty());
    assert_eq!(
        journey.channels_in_stage("b").unwrap(),
        [&Channel::Web, &Channel::Phone]
    );
    assert_eq!(journey.stage_of("leak").unwrap().id, "c");
}

#[test]
fn next_and_previous_touchpoints_follow_flows_only() {
    let journey = small();
    assert_eq!(
        ids(&journey.next_touchpoints("form").unwrap(), |t| t
            .id
            .as_str()),
        ["form", "help", "done"]
    );
    assert_eq!(
        ids(&journey.previous_touchpoints("form").unwrap(), |t| t
            .id
            .as_str()),
        ["ad", "form", "help", "done"]
    );
    assert!(journey.next_touchpoints("leak").unwrap().is_empty());
    assert!(journey.previous_touchpoints("ad").unwrap().is_empty());
    let out: Vec<(&str, Option<&str>)> = journey
        .flows_from("form")
        .unwrap()
        .iter()
        .map(|f| (f.to.as_str(), f.label.as_deref()))
        .collect();
    assert_eq!(
        out,
        [("form", Some("retry")), ("help", None), ("done", None)]
    );
    assert_eq!(journey.flows_into("done").unwrap().len(), 2);
}

#[test]
fn personas_and_their_touchpoints() {
    let journey = small();
    assert_eq!(
        ids(&journey.touchpoints_used_by("p1").unwrap(), |t| t
            .id
            .as_str()),
        ["ad", "help"]
    );
    assert_eq!(
        ids(&journey.personas_using("help").unwrap(), |p| p.id.as_str()),
        ["p1", "p2"]
    );
    assert!(journey.personas_using("form").unwrap().is_empty());
}

#[test]
fn unknown_ids_are_errors_with_suggestions() {
    let journey = small();
    let error = journey.touchpoints_in_stage("e").unwrap_err();
    assert_eq!((error.kind, error.id.as_str()), (ItemKind::Stage, "e"));
    let error = journey.next_touchpoints("from").unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown touchpoint \"from\" (did you mean \"form\"?)"
    );
    assert_eq!(
        journey
            .previous_touchpoints("hepl")
            .unwrap_err()
            .suggestion
            .as_deref(),
        Some("help")
    );
    assert!(journey.stage_of("xyz").is_err());
    assert!(journey.channels_in_stage("zz").is_err());
    assert!(journey.flows_from("zz").is_err());
    assert!(journey.flows_into("zz").is_err());
    assert!(journey.personas_using("zz").is_err());
    let error = journey.touchpoints_used_by("p3").unwrap_err();
    assert_eq!(error.kind, ItemKind::Persona);
}

#[test]
fn simple_paths_from_entries_to_goals_are_bounded() {
    let journey = small();
    let found = journey.paths_to_goals(PathLimits::default());
    assert!(found.complete);
    let paths: Vec<Vec<&str>> = found
        .paths
        .iter()
        .map(|p| p.iter().map(|id| id.as_str()).collect())
        .collect();
    // ad -> form -> help -> form -> done repeats `form`, so it is not a simple path.
    assert_eq!(paths, [vec!["ad", "form", "done"]]);

    let short = journey.paths_to_goals(PathLimits::default().max_touchpoints(2));
    assert!(short.paths.is_empty() && short.complete);
    let exactly = journey.paths_to_goals(PathLimits::default().max_paths(1));
    assert_eq!(exactly.paths.len(), 1);
    assert!(exactly.complete, "the only path fits the limit");
    assert!(
        journey
            .paths_to_goals(PathLimits::default().max_touchpoints(0))
            .paths
            .is_empty()
    );
}

#[test]
fn an_entry_that_is_a_goal_is_a_path_of_one() {
    let journey = JourneyBuilder::new("One")
        .stage(Stage::new("s", "S"))
        .touchpoint(tp("only", "s", Channel::Web).entry().goal())
        .build()
        .unwrap();
    let found = journey.paths_to_goals(PathLimits::default());
    assert_eq!(found.paths, [vec![journey_map::TouchpointId::new("only")]]);
    assert!(journey.warnings().is_empty());
}

#[test]
fn paths_with_a_detour_are_found_once_each() {
    // ad -> a -> goal, ad -> b -> goal, ad -> a -> b -> goal
    let journey = JourneyBuilder::new("Diamond")
        .stage(Stage::new("s", "S"))
        .touchpoints([
            tp("ad", "s", Channel::Web).entry(),
            tp("a", "s", Channel::Web),
            tp("b", "s", Channel::Web),
            tp("goal", "s", Channel::Web).goal(),
        ])
        .flows([
            Flow::new("ad", "a"),
            Flow::new("ad", "b"),
            Flow::new("a", "goal"),
            Flow::new("b", "goal"),
            Flow::new("a", "b"),
            Flow::new("b", "a"),
        ])
        .build()
        .unwrap();
    let mut paths: Vec<String> = journey
        .paths_to_goals(PathLimits::default())
        .paths
        .iter()
        .map(|p| p.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(">"))
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        ["ad>a>b>goal", "ad>a>goal", "ad>b>a>goal", "ad>b>goal"]
    );
    let bounded = journey.paths_to_goals(PathLimits::default().max_touchpoints(3));
    assert_eq!(bounded.paths.len(), 2);
    let capped = journey.paths_to_goals(PathLimits::default().max_paths(3));
    assert_eq!(capped.paths.len(), 3);
    assert!(!capped.complete);
}

#[test]
fn dead_ends_unreachable_backward_flows_and_empty_stages() {
    let journey = small();
    assert_eq!(ids(&journey.dead_ends(), |t| t.id.as_str()), ["leak"]);
    assert_eq!(
        ids(&journey.unreachable_touchpoints(), |t| t.id.as_str()),
        ["orphan"]
    );
    let back: Vec<(&str, &str)> = journey
        .backward_flows()
        .iter()
        .map(|f| (f.from.as_str(), f.to.as_str()))
        .collect();
    assert_eq!(back, [("done", "form")]);
    assert_eq!(ids(&journey.empty_stages(), |s| s.id.as_str()), ["d"]);
    assert_eq!(
        journey.warnings(),
        [
            StructuralWarning::Unreachable {
                touchpoint: "orphan".into()
            },
            StructuralWarning::DeadEnd {
                touchpoint: "leak".into()
            },
            StructuralWarning::EmptyStage { stage: "d".into() },
        ]
    );
    assert_eq!(
        journey.warnings()[0].to_string(),
        "touchpoint \"orphan\" is unreachable: no entry leads to it"
    );
}

#[test]
fn the_samples_are_realistic_and_clean_where_intended() {
    for path in [
        "examples/data/retail_bank.ron",
        "examples/data/broadband.ron",
    ] {
        let journey = Journey::load(path).unwrap();
        assert!(journey.personas().len() >= 3, "{path}");
        assert!(journey.stages().len() >= 5, "{path}");
        assert!(journey.touchpoints().len() >= 20, "{path}");
        let mut channels: Vec<&Channel> =
            journey.touchpoints().iter().map(|t| &t.channel).collect();
        channels.sort();
        channels.dedup();
        assert!(channels.len() >= 6, "{path}");
        assert!(
            journey.touchpoints().iter().any(|t| t.kind.is_human()),
            "{path}"
        );
        assert!(
            journey
                .touchpoints()
                .iter()
                .any(|t| t.kind == TouchpointKind::DigitalProduct),
            "{path}"
        );
        assert!(
            journey.flows().iter().any(|f| f.is_self_loop()),
            "{path}: a retry"
        );
        assert!(
            journey
                .flows()
                .iter()
                .any(|f| f.label.as_deref().is_some_and(|l| l.contains("escalate"))),
            "{path}"
        );
        assert!(
            journey
                .flows()
                .iter()
                .any(|f| f.label.as_deref().is_some_and(|l| l.contains("call"))),
            "{path}"
        );
        assert!(
            journey
                .paths_to_goals(PathLimits::default().max_touchpoints(6))
                .paths
                .len()
                > 3,
            "{path}"
        );
    }
    let bank = Journey::load("examples/data/retail_bank.ron").unwrap();
    assert!(bank.warnings().is_empty());
    assert!(!bank.backward_flows().is_empty());
    let broadband = Journey::load("examples/data/broadband.ron").unwrap();
    assert_eq!(broadband.warnings().len(), 2);
}

#[test]
fn queries_scale_linearly_on_a_large_generated_journey() {
    #[path = "support/mod.rs"]
    mod support;
    // 20,000 touchpoints and 100,000 flows: a quadratic query would take minutes here.
    let journey = support::generated(20_000, 5, 50, 0).build().unwrap();
    assert!(journey.dead_ends().is_empty());
    assert!(journey.unreachable_touchpoints().is_empty());
    assert!(journey.empty_stages().is_empty());
    assert!(journey.warnings().is_empty());
    assert_eq!(journey.touchpoints_in_stage("stage-7").unwrap().len(), 400);
    assert!(!journey.backward_flows().is_empty());
    let found = journey.paths_to_goals(PathLimits::default().max_touchpoints(8).max_paths(50));
    assert_eq!(found.paths.len(), 50);
    assert!(!found.complete);
    // The pruning never drops a path: with room for them all, every path has a goal at its end.
    let all = journey.paths_to_goals(
        PathLimits::default()
            .max_touchpoints(8)
            .max_paths(usize::MAX),
    );
    assert!(all.complete && all.paths.len() > 50);
    assert!(all.paths.iter().all(|p| {
        p.len() <= 8
            && journey
                .touchpoint(&p[p.len() - 1])
                .is_some_and(|t| t.is_goal)
    }));
}

#[test]
fn a_journey_can_be_rebuilt_from_its_parts() {
    let journey = small();
    assert_eq!(journey.to_builder().build().unwrap(), journey);
    assert_eq!(journey.clone().into_builder().build().unwrap(), journey);
    let bigger = journey
        .to_builder()
        .stage(Stage::new("e", "E"))
        .build()
        .unwrap();
    assert_ne!(bigger, journey);
    assert_eq!(bigger.empty_stages().len(), 2);
}

mod path_property {
    use super::*;
    use petgraph::graph::{DiGraph, NodeIndex};
    use proptest::prelude::*;

    /// The definition, straight from petgraph: every simple path from each entry to each goal,
    /// one search per pair.
    fn reference(
        n: usize,
        flows: &[(usize, usize)],
        entries: &[bool],
        goals: &[bool],
        max_len: usize,
    ) -> Vec<Vec<String>> {
        let mut graph = DiGraph::<usize, ()>::new();
        let nodes: Vec<NodeIndex> = (0..n).map(|i| graph.add_node(i)).collect();
        for &(a, b) in flows {
            graph.add_edge(nodes[a], nodes[b], ());
        }
        let mut paths = Vec::new();
        for e in (0..n).filter(|&e| entries[e]) {
            for g in (0..n).filter(|&g| goals[g]) {
                if e == g {
                    if max_len >= 1 {
                        paths.push(vec![format!("t{e}")]);
                    }
                } else if max_len >= 2 {
                    for path in petgraph::algo::all_simple_paths::<
                        Vec<NodeIndex>,
                        _,
                        std::hash::RandomState,
                    >(
                        &graph, nodes[e], nodes[g], 0, Some(max_len - 2)
                    ) {
                        paths.push(path.iter().map(|n| format!("t{}", n.index())).collect());
                    }
                }
            }
        }
        paths.sort();
        paths
    }

    proptest! {
        #[test]
        fn paths_to_goals_match_the_definition(
            n in 1..8_usize,
            raw_flows in proptest::collection::vec((0..8_usize, 0..8_usize), 0..24),
            flags in proptest::collection::vec((any::<bool>(), any::<bool>()), 8),
            max_len in 0..7_usize,
        ) {
            let mut flows: Vec<(usize, usize)> = raw_flows.into_iter().map(|(a, b)| (a % n, b % n)).collect();
            flows.sort_unstable();
            flows.dedup();
            let mut entries: Vec<bool> = flags.iter().take(n).map(|f| f.0).collect();
            let mut goals: Vec<bool> = flags.iter().take(n).map(|f| f.1).collect();
            entries[0] = true;
            goals[n - 1] = true;
            let journey = JourneyBuilder::new("Random")
                .stage(Stage::new("s", "S"))
                .touchpoints((0..n).map(|i| {
                    let mut t = tp(&format!("t{i}"), "s", Channel::Web);
                    t.is_entry = entries[i];
                    t.is_goal = goals[i];
                    t
                }))
                .flows(flows.iter().map(|&(a, b)| Flow::new(format!("t{a}"), format!("t{b}"))))
                .build()
                .unwrap();
            let found = journey.paths_to_goals(PathLimits::default().max_touchpoints(max_len).max_paths(usize::MAX));
            prop_assert!(found.complete);
            let mut ours: Vec<Vec<String>> = found.paths.iter().map(|p| p.iter().map(|id| id.to_string()).collect()).collect();
            ours.sort();
            prop_assert_eq!(ours, reference(n, &flows, &entries, &goals, max_len));

            // Reachability by the definition: grow the reached sets until nothing changes.
            let mut reached = entries.clone();
            let mut reaches_goal = goals.clone();
            for _ in 0..n {
                for &(a, b) in &flows {
                    reached[b] |= reached[a];
                    reaches_goal[a] |= reaches_goal[b];
                }
            }
            let unreachable: Vec<String> = (0..n).filter(|&i| !reached[i]).map(|i| format!("t{i}")).collect();
            let dead: Vec<String> = (0..n).filter(|&i| !reaches_goal[i]).map(|i| format!("t{i}")).collect();
            let found_unreachable = journey.unreachable_touchpoints();
            let found_dead = journey.dead_ends();
            prop_assert_eq!(ids(&found_unreachable, |t| t.id.as_str()), unreachable);
            prop_assert_eq!(ids(&found_dead, |t| t.id.as_str()), dead);
        }
    }
}
