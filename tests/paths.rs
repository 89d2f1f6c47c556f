//! Observed paths and conformance: directly-follows graph, variants, filters, drop-off paths,
//! conformance, against an independent reference written from the definitions.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
mod support;
use support::bank;

use journey_map::analysis::{
    CheckConformance, ObservePaths, OffMapKind, Selection, SelectionError, TimeRange, TimeRangeMode,
};
use journey_map::{IngestOptions, Interaction, InteractionLog, Journey, LogBuilder, Outcome};

/// Each customer's path as (touchpoint id, milliseconds), read through the public API.
fn paths(journey: &Journey, log: &InteractionLog) -> Vec<Vec<(String, i64)>> {
    (0..log.customers().len())
        .map(|c| {
            let customer = log.customer_index(&log.customers()[c]).unwrap();
            log.customer_interactions(customer)
                .map(|i| {
                    let id = journey
                        .touchpoint_at(i.touchpoint())
                        .unwrap()
                        .id
                        .to_string();
                    (id, i.timestamp().as_millisecond())
                })
                .collect()
        })
        .collect()
}

/// Type-7 percentile of sorted values, in seconds.
fn percentile(sorted: &[i64], p: f64) -> f64 {
    let rank = p * (sorted.len() - 1) as f64;
    let below = rank.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    (sorted[below] as f64 + (rank - below as f64) * (sorted[above] - sorted[below]) as f64) / 1000.0
}

#[test]
fn directly_follows_counts_and_times_agree_with_the_definition() {
    let (journey, log) = bank();
    let graph = journey.directly_follows(&log, &Selection::all()).unwrap();
    let mut reference: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    let mut customers: BTreeMap<(String, String), BTreeSet<usize>> = BTreeMap::new();
    let (mut starts, mut ends) = (BTreeMap::new(), BTreeMap::new());
    for (c, path) in paths(&journey, &log).iter().enumerate() {
        *starts.entry(path[0].0.clone()).or_insert(0_u64) += 1;
        *ends.entry(path[path.len() - 1].0.clone()).or_insert(0_u64) += 1;
        for pair in path.windows(2) {
            let key = (pair[0].0.clone(), pair[1].0.clone());
            reference
                .entry(key.clone())
                .or_default()
                .push(pair[1].1 - pair[0].1);
            customers.entry(key).or_default().insert(c);
        }
    }
    assert_eq!(graph.edges.len(), reference.len());
    assert_eq!(graph.customers, log.customers().len() as u64);
    assert_eq!(graph.interactions, log.len() as u64);
    for edge in &graph.edges {
        let key = (edge.from.to_string(), edge.to.to_string());
        let mut gaps = reference[&key].clone();
        gaps.sort_unstable();
        assert_eq!(edge.count, gaps.len() as u64, "{key:?}");
        assert_eq!(edge.customers, customers[&key].len() as u64);
        let mean = gaps.iter().sum::<i64>() as f64 / gaps.len() as f64 / 1000.0;
        assert!((edge.time.unwrap().mean - mean).abs() < 1e-9, "{key:?}");
        assert_eq!(edge.time.unwrap().median, percentile(&gaps, 0.5), "{key:?}");
        assert_eq!(edge.time.unwrap().p90, percentile(&gaps, 0.9), "{key:?}");
        let designed = journey
            .flows()
            .iter()
            .any(|f| f.from.as_str() == key.0 && f.to.as_str() == key.1);
        assert_eq!(edge.designed, designed);
    }
    assert!(graph.edges.windows(2).all(|w| w[0].count >= w[1].count));
    let got: BTreeMap<String, u64> = graph
        .starts
        .iter()
        .map(|e| (e.touchpoint.to_string(), e.customers))
        .collect();
    assert_eq!(got, starts);
    let got: BTreeMap<String, u64> = graph
        .ends
        .iter()
        .map(|e| (e.touchpoint.to_string(), e.customers))
        .collect();
    assert_eq!(got, ends);
    let edge = &graph.edges[0];
    assert_eq!(graph.edge(edge.from.as_str(), edge.to.as_str()), Some(edge));
}

#[test]
fn variants_agree_with_the_definition() {
    let (journey, log) = bank();
    let mut reference: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for path in paths(&journey, &log) {
        *reference
            .entry(path.into_iter().map(|p| p.0).collect())
            .or_default() += 1;
    }
    let all = journey
        .variants(&log, &Selection::all(), usize::MAX)
        .unwrap();
    assert_eq!(all.distinct, reference.len() as u64);
    assert_eq!(all.top.len(), reference.len());
    assert_eq!(all.tail.customers, 0);
    for v in &all.top {
        let key: Vec<String> = v.touchpoints.iter().map(|t| t.to_string()).collect();
        assert_eq!(v.customers, reference[&key]);
        assert!((v.share - v.customers as f64 / 2000.0).abs() < 1e-12);
    }
    let top = journey.variants(&log, &Selection::all(), 10).unwrap();
    assert_eq!(top.top, all.top[..10].to_vec());
    let tail: Vec<_> = all.top[10..].to_vec();
    assert_eq!(top.tail.variants, tail.len() as u64);
    assert_eq!(
        top.tail.customers,
        tail.iter().map(|v| v.customers).sum::<u64>()
    );
    assert_eq!(
        top.tail.converted,
        tail.iter().map(|v| v.converted).sum::<u64>()
    );
    assert_eq!(
        top.tail.singletons,
        tail.iter().filter(|v| v.customers == 1).count() as u64
    );
    let mut counts: Vec<u64> = reference.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(
        top.top.iter().map(|v| v.customers).collect::<Vec<_>>(),
        counts[..10]
    );
}

fn small() -> Journey {
    Journey::from_ron_str(
        r#"(
        name: "Small",
        personas: [(id: "a", name: "A"), (id: "b", name: "B")],
        stages: [(id: "one", name: "One"), (id: "two", name: "Two"), (id: "three", name: "Three")],
        touchpoints: [
            (id: "start", name: "Start", stage: "one", channel: Web, kind: DigitalProduct, entry: true),
            (id: "form", name: "Form", stage: "two", channel: Web, kind: DigitalProduct),
            (id: "help", name: "Help", stage: "two", channel: Phone, kind: HumanService),
            (id: "done", name: "Done", stage: "three", channel: Web, kind: DigitalProduct, goal: true),
        ],
        flows: [(from: "start", to: "form"), (from: "form", to: "done"), (from: "form", to: "help"), (from: "help", to: "form")],
    )"#,
    )
    .unwrap()
}

fn at(minutes: i64) -> Timestamp {
    Timestamp::from_second(1_767_225_600 + minutes * 60).unwrap()
}

/// A customer: id, persona and (touchpoint, minute, outcome) steps.
type Customer<'a> = (&'a str, &'a str, &'a [(&'a str, i64, Outcome)]);

/// Customers with (touchpoint, minute, outcome) steps; persona on the first record.
fn log_of(journey: &Journey, customers: &[Customer<'_>]) -> InteractionLog {
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    for (id, persona, steps) in customers {
        for (i, (tp, minute, outcome)) in steps.iter().enumerate() {
            let mut r = Interaction::new(*id, *tp, at(*minute), *outcome);
            if i == 0 {
                r = r.with_persona(*persona);
            }
            builder.push(r).unwrap();
        }
    }
    builder.finish().0
}

use Outcome::{Abandoned as A, Completed as C, Failed as F};

fn hand_log(journey: &Journey) -> InteractionLog {
    log_of(
        journey,
        &[
            // Designed all the way.
            (
                "c1",
                "a",
                &[("start", 0, C), ("form", 10, C), ("done", 20, C)],
            ),
            // Skips stage two (off the map), then goes back to form, repeats it.
            (
                "c2",
                "a",
                &[
                    ("start", 0, C),
                    ("done", 5, C),
                    ("form", 9, C),
                    ("form", 12, C),
                ],
            ),
            // Abandons the form, calls help (another channel), leaves.
            (
                "c3",
                "b",
                &[("start", 100, C), ("form", 110, A), ("help", 111, F)],
            ),
            // One record, started late.
            ("c4", "b", &[("start", 1_000, C)]),
            // Identical timestamps: input order kept.
            (
                "c5",
                "b",
                &[("start", 50, C), ("form", 50, C), ("done", 50, C)],
            ),
        ],
    )
}

#[test]
fn conformance_counts_fitness_skips_moves_back_and_rework() {
    let journey = small();
    let log = hand_log(&journey);
    let report = journey.conformance(&log, &Selection::all()).unwrap();
    // Transitions: c1 2, c2 2 (form->form is a repeat), c3 2, c4 0, c5 2.
    assert_eq!(report.customers, 5);
    assert_eq!(report.transitions, 8);
    assert_eq!(report.designed, 6);
    assert_eq!(report.fitness, Some(6.0 / 8.0));
    let spread = report.customer_fitness.unwrap();
    assert_eq!(spread.customers, 4);
    assert_eq!(spread.perfect, 3);
    assert!((spread.mean - (1.0 + 0.0 + 1.0 + 1.0) / 4.0).abs() < 1e-12);
    let moves: Vec<_> = report
        .off_map
        .iter()
        .map(|m| (m.from.as_str(), m.to.as_str(), m.kind, m.count, m.customers))
        .collect();
    assert_eq!(
        moves,
        [
            ("start", "done", OffMapKind::SkipsStages, 1, 1),
            ("done", "form", OffMapKind::MovesBack, 1, 1)
        ]
    );
    assert_eq!(
        (
            report.skips.moves,
            report.skips.off_map,
            report.skips.customers
        ),
        (1, 1, 1)
    );
    assert_eq!(report.skipped_stages.len(), 1);
    assert_eq!(report.skipped_stages[0].stage.as_str(), "two");
    assert_eq!(
        (report.moves_back.moves, report.moves_back.customers),
        (1, 1)
    );
    assert_eq!(report.rework.len(), 1);
    assert_eq!(report.rework[0].touchpoint.as_str(), "form");
    assert_eq!(
        (report.rework[0].customers, report.rework[0].repeats),
        (1, 1)
    );

    let c2 = log.customer_index("c2").unwrap();
    let one = journey.customer_conformance(&log, c2).unwrap();
    assert_eq!(
        (one.transitions, one.designed, one.fitness),
        (2, 0, Some(0.0))
    );
    assert_eq!(
        (one.off_map, one.skips, one.moves_back, one.rework),
        (2, 1, 1, 1)
    );
    let c4 = log.customer_index("c4").unwrap();
    assert_eq!(
        journey.customer_conformance(&log, c4).unwrap().fitness,
        None
    );
}

#[test]
fn filters_select_personas_time_ranges_and_conversion() {
    let journey = small();
    let log = hand_log(&journey);
    let count = |filter: Selection| journey.variants(&log, &filter, 10).unwrap().customers;
    assert_eq!(count(Selection::all().persona("a")), 2);
    assert_eq!(count(Selection::all().persona("b")), 3);
    assert_eq!(count(Selection::all().converted(true)), 3);
    assert_eq!(count(Selection::all().converted(false)), 2);
    assert_eq!(count(Selection::all().persona("b").converted(true)), 1);
    // Interactions in minutes 0..10: c1 and c2 cut to their first records; c3, c4, c5 later.
    let window = TimeRange::new(at(0), at(10));
    let cut = journey
        .variants(&log, &Selection::all().time(window), 10)
        .unwrap();
    assert_eq!(cut.customers, 2);
    let cut_c2: Vec<&str> = cut
        .top
        .iter()
        .find(|v| {
            v.touchpoints.len() == 3
                && v.touchpoints[1].as_str() == "done"
                && v.touchpoints[2].as_str() == "form"
        })
        .map(|v| v.touchpoints.iter().map(|t| t.as_str()).collect())
        .unwrap();
    assert_eq!(cut_c2, ["start", "done", "form"]);
    // Cohort: customers who started in minutes 0..60 keep their whole path.
    let cohort = journey
        .variants(
            &log,
            &Selection::all().time(window.mode(TimeRangeMode::Started)),
            10,
        )
        .unwrap();
    assert_eq!(cohort.customers, 2);
    let cohort = journey
        .variants(
            &log,
            &Selection::all().time(TimeRange::new(at(0), at(60)).mode(TimeRangeMode::Started)),
            10,
        )
        .unwrap();
    assert_eq!(cohort.customers, 3);
    assert!(cohort.top.iter().any(|v| v.touchpoints.len() == 4));
    // A window cutting the goal off makes a converted customer a non-converted one.
    let early = Selection::all()
        .time(TimeRange::new(at(0), at(15)))
        .converted(false);
    assert_eq!(count(early), 1);
}

#[test]
fn identical_timestamps_keep_input_order() {
    let journey = small();
    let log = hand_log(&journey);
    let graph = journey
        .directly_follows(&log, &Selection::all().persona("b").converted(true))
        .unwrap();
    assert_eq!(graph.customers, 1);
    let edges: Vec<_> = graph
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.time.unwrap().max))
        .collect();
    assert_eq!(edges, [("start", "form", 0.0), ("form", "done", 0.0)]);
}

#[test]
fn drop_off_paths_show_last_touchpoints_and_where_customers_went_instead() {
    let journey = small();
    let log = hand_log(&journey);
    let report = journey.drop_off_paths(&log, &Selection::all(), 5).unwrap();
    assert_eq!((report.customers, report.not_converted), (5, 2));
    let last: Vec<_> = report
        .last_touchpoints
        .iter()
        .map(|l| (l.touchpoint.as_str(), l.customers, l.share))
        .collect();
    assert_eq!(last, [("start", 1, 0.5), ("help", 1, 0.5)]);
    let help = &report.last_touchpoints[1];
    let path: Vec<&str> = help.paths[0]
        .touchpoints
        .iter()
        .map(|t| t.as_str())
        .collect();
    assert_eq!(path, ["start", "form", "help"]);
    // c3 abandoned the form and went to help, on the phone; then failed at help and left.
    let departures: Vec<_> = report
        .departures
        .iter()
        .map(|d| (d.touchpoint.as_str(), d.left, d.to_other_channel, d.gone))
        .collect();
    assert_eq!(departures, [("form", 1, 1, 0), ("help", 1, 0, 1)]);
    let form = &report.departures[0].next[0];
    assert_eq!(form.touchpoint.as_ref().map(|t| t.as_str()), Some("help"));
    assert!(form.other_channel);
    assert_eq!(report.departures[1].next[0].touchpoint, None);
}

#[test]
fn bad_filters_and_foreign_logs_are_typed_errors_with_suggestions() {
    let journey = small();
    let log = hand_log(&journey);
    let (bank, bank_log) = bank();
    let err = bank
        .variants(&bank_log, &Selection::all().persona("branch-loyalists"), 3)
        .unwrap_err();
    let SelectionError::UnknownPersona(unknown) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(unknown.suggestion.as_deref(), Some("branch-loyalist"));
    let backwards = TimeRange::new(at(10), at(0));
    let err = journey
        .directly_follows(&log, &Selection::all().time(backwards))
        .unwrap_err();
    assert!(matches!(err, SelectionError::TimeRange { .. }));
    assert!(err.to_string().starts_with("the time range ends"));
    assert!(matches!(
        journey.conformance(&bank_log, &Selection::all()),
        Err(SelectionError::Journey(_))
    ));
    assert!(matches!(
        bank.drop_off_paths(&log, &Selection::all(), 1),
        Err(SelectionError::Journey(_))
    ));
}

#[test]
fn empty_selections_and_single_records_give_defined_results() {
    let journey = small();
    let log = hand_log(&journey);
    let nobody = Selection::all().time(TimeRange::new(at(5_000), at(6_000)));
    let graph = journey.directly_follows(&log, &nobody).unwrap();
    assert_eq!(
        (graph.customers, graph.edges.len(), graph.starts.len()),
        (0, 0, 0)
    );
    let variants = journey.variants(&log, &nobody, 3).unwrap();
    assert_eq!((variants.customers, variants.tail.share), (0, 0.0));
    let conformance = journey.conformance(&log, &nobody).unwrap();
    assert_eq!(
        (conformance.fitness, conformance.customer_fitness),
        (None, None)
    );
    let drop = journey.drop_off_paths(&log, &nobody, 3).unwrap();
    assert!(drop.last_touchpoints.is_empty());
    // A customer with one record: a start and an end, no move.
    let single = Selection::all().time(TimeRange::new(at(1_000), at(1_001)));
    let graph = journey.directly_follows(&log, &single).unwrap();
    assert_eq!((graph.customers, graph.edges.len()), (1, 0));
    assert_eq!(graph.starts, graph.ends);
    let report = journey.conformance(&log, &single).unwrap();
    assert_eq!((report.transitions, report.fitness), (0, None));
}

#[test]
fn reports_serialize_to_json_and_back() {
    let (journey, log) = bank();
    let graph = journey.directly_follows(&log, &Selection::all()).unwrap();
    let text = serde_json::to_string(&graph).unwrap();
    assert_eq!(
        serde_json::from_str::<journey_map::analysis::DirectlyFollowsGraph>(&text).unwrap(),
        graph
    );
    let report = journey.conformance(&log, &Selection::all()).unwrap();
    let text = serde_json::to_string(&report).unwrap();
    assert_eq!(
        serde_json::from_str::<journey_map::analysis::ConformanceReport>(&text).unwrap(),
        report
    );
}

/// Customers whose last interaction is still in progress (an open ticket) have not dropped off:
/// neither the drop-off paths nor the Markov chain count them as gone.
#[test]
fn customers_still_in_progress_are_not_drop_offs() {
    use journey_map::analysis::Attribute;
    let journey = small();
    let steps_open: &[(&str, i64, Outcome)] = &[("start", 0, C), ("form", 10, Outcome::InProgress)];
    let steps_left: &[(&str, i64, Outcome)] = &[("start", 0, C), ("form", 10, C)];
    let steps_done: &[(&str, i64, Outcome)] = &[("start", 0, C), ("form", 10, C), ("done", 20, C)];
    let customers: Vec<Customer<'_>> = vec![
        ("open", "a", steps_open),
        ("left", "a", steps_left),
        ("done", "b", steps_done),
    ];
    let log = log_of(&journey, &customers);
    let drop_off = journey.drop_off_paths(&log, &Selection::all(), 5).unwrap();
    assert_eq!((drop_off.customers, drop_off.not_converted), (3, 1));
    let chain = journey.markov_chain(&log, &Selection::all()).unwrap();
    // Of the customers who ended, one in two converted: the open one is still on the way.
    let conversion = chain.conversion().unwrap();
    assert!((conversion - 0.5).abs() < 1e-9, "{conversion}");
}
