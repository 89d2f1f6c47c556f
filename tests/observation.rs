//! The core under every analysis: the pairing of a journey with its log, the one selection,
//! the mergeable partial states, and the parallel pass.

mod support;

use jiff::Timestamp;
use journey_map::analysis::{
    Accumulate, Attribute, ChainCounts, CheckConformance, ConformanceCounts, CustomerPath,
    DetectFriction, DropOffCounts, FollowsCounts, FrictionConfig, FrictionCounts, FrictionError,
    MetricsOptions, MetricsReport, Observation, ObservePaths, Selection, SelectionError,
    ShapeMismatch, ShapleyOptions, Tallies, TimeRange, TimeRangeMode, VariantCounts,
};
use journey_map::{
    Channel, CustomerIndex, Flow, InteractionLog, Journey, JourneyBuilder, Outcome, Persona, Stage,
    Touchpoint, TouchpointKind,
};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use support::bank;

/// A journey with as many touchpoints as the bank's (24) but one persona: before the pairing
/// was checked by fingerprint, the bank's log read with it indexed past its personas.
fn same_size_other_journey() -> Journey {
    let (bank, _) = bank();
    let n = bank.touchpoints().len();
    let mut builder = JourneyBuilder::new("Same size")
        .persona(Persona::new("only", "Only persona"))
        .stage(Stage::new("all", "All"));
    for i in 0..n {
        let mut touchpoint = Touchpoint::new(
            format!("t{i}"),
            format!("T{i}"),
            "all",
            Channel::Web,
            TouchpointKind::DigitalProduct,
        );
        if i == 0 {
            touchpoint = touchpoint.entry();
        }
        if i == n - 1 {
            touchpoint = touchpoint.goal();
        }
        builder = builder.touchpoint(touchpoint);
        if i > 0 {
            builder = builder.flow(Flow::new(format!("t{}", i - 1), format!("t{i}")));
        }
    }
    builder.build().unwrap()
}

fn is_mismatch(error: &SelectionError) -> bool {
    matches!(error, SelectionError::Journey(_))
}

#[test]
fn every_analysis_refuses_a_log_built_for_another_journey_of_the_same_size() {
    let (bank, log) = bank();
    let other = same_size_other_journey();
    assert_eq!(bank.touchpoints().len(), other.touchpoints().len());
    assert!(other.personas().len() < bank.personas().len());
    let all = Selection::all();

    let mismatch = Observation::new(&other, &log).unwrap_err();
    assert_eq!(mismatch.log, bank.fingerprint());
    assert_eq!(mismatch.journey, other.fingerprint());

    let metrics = MetricsReport::compute(&other, &log, &all, MetricsOptions::default());
    assert!(is_mismatch(&metrics.unwrap_err()));
    let tallies = Tallies::of_customers(&other, &log, 0..10, MetricsOptions::default());
    assert!(is_mismatch(&tallies.unwrap_err()));
    let friction = other.detect_friction(&log, &all, &FrictionConfig::default());
    assert!(matches!(
        friction,
        Err(FrictionError::Selection(SelectionError::Journey(_)))
    ));
    assert!(is_mismatch(
        &other.directly_follows(&log, &all).unwrap_err()
    ));
    assert!(is_mismatch(&other.variants(&log, &all, 5).unwrap_err()));
    assert!(is_mismatch(
        &other.drop_off_paths(&log, &all, 5).unwrap_err()
    ));
    assert!(is_mismatch(&other.conformance(&log, &all).unwrap_err()));
    assert!(is_mismatch(
        &other
            .customer_conformance(&log, CustomerIndex::from_u32(0))
            .unwrap_err()
    ));
    for result in [
        other.markov_chain(&log, &all).map(|_| ()),
        other.attribution(&log, &all).map(|_| ()),
        other
            .shapley_channels(&log, &all, ShapleyOptions::default())
            .map(|_| ()),
    ] {
        assert!(matches!(
            result,
            Err(journey_map::analysis::AttributionError::Selection(
                SelectionError::Journey(_)
            ))
        ));
    }

    // And the other way round: a log of the small journey read with the bank.
    let small_log = support::log_of(&other, &[(&["t0", "t1", "t23"], 3, "only")]);
    assert!(Observation::new(&bank, &small_log).is_err());
    assert!(is_mismatch(
        &MetricsReport::compute(&bank, &small_log, &all, MetricsOptions::default()).unwrap_err()
    ));
}

#[test]
fn partial_states_refuse_another_journey() {
    let (bank, log) = bank();
    let other = same_size_other_journey();
    let observation = Observation::new(&bank, &log).unwrap();
    let all = Selection::all();
    let ours = observation
        .accumulate_range(&all, 0..100, FollowsCounts::new(&bank))
        .unwrap();
    assert_eq!(ours.clone().finish(&other).unwrap_err(), ShapeMismatch);
    let mut ours_again = ours.clone();
    assert_eq!(
        ours_again.merge(FollowsCounts::new(&other)),
        Err(ShapeMismatch)
    );

    let scales = log.scales();
    let tallies = Tallies::new(&bank, scales, MetricsOptions::default());
    assert_eq!(tallies.clone().metrics(&other).unwrap_err(), ShapeMismatch);
    let mut mine = tallies;
    assert_eq!(
        mine.merge(Tallies::new(&other, scales, MetricsOptions::default())),
        Err(ShapeMismatch)
    );
    let friction = FrictionCounts::new(&bank, scales, &FrictionConfig::default()).unwrap();
    assert!(friction.clone().finish(&other).is_err());
    let stricter = FrictionConfig::default().min_sample(50);
    let mut friction_mine = friction;
    assert_eq!(
        friction_mine.merge(FrictionCounts::new(&bank, scales, &stricter).unwrap()),
        Err(ShapeMismatch)
    );
    assert!(FrictionCounts::new(&bank, scales, &FrictionConfig::default().max_q(2.0)).is_err());
    let mut variants = VariantCounts::new(&bank, 5);
    assert_eq!(
        variants.merge(VariantCounts::new(&bank, 6)),
        Err(ShapeMismatch)
    );
    let mut chain = ChainCounts::new(&bank);
    assert_eq!(chain.merge(ChainCounts::new(&other)), Err(ShapeMismatch));
    let mut conformance = ConformanceCounts::new(&bank);
    assert_eq!(
        conformance.merge(ConformanceCounts::new(&other)),
        Err(ShapeMismatch)
    );
    let mut drop_off = DropOffCounts::new(&bank, 3);
    assert_eq!(
        drop_off.merge(DropOffCounts::new(&other, 3)),
        Err(ShapeMismatch)
    );
}

/// Computes `make`'s analysis over the ranges cut at `cuts`, ships every part through JSON
/// (a self-describing format) or postcard (a format that is not: what is written must be
/// read back by the same shape), in turn, merges them last part first, and finishes.
fn split_and_merge<A, F>(observation: &Observation<'_>, cuts: &[usize], make: F) -> A::Output
where
    A: Accumulate + Serialize + DeserializeOwned,
    F: Fn() -> A,
{
    let n = observation.log().customers().len();
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (n + 1)).collect();
    bounds.extend([0, n]);
    bounds.sort_unstable();
    bounds.dedup();
    let mut parts: Vec<A> = bounds
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            let part = observation
                .accumulate_range(&Selection::all(), w[0]..w[1], make())
                .unwrap();
            if i % 2 == 0 {
                serde_json::from_str(&serde_json::to_string(&part).unwrap()).unwrap()
            } else {
                postcard::from_bytes(&postcard::to_stdvec(&part).unwrap()).unwrap()
            }
        })
        .collect();
    let mut whole = parts.pop().unwrap_or_else(&make);
    while let Some(part) = parts.pop() {
        whole.merge(part).unwrap();
    }
    whole.finish(observation.journey()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn every_analysis_split_shipped_and_merged_equals_one_pass(cuts in prop::collection::vec(0_usize..2_001, 0..6)) {
        let (journey, log) = bank();
        let observation = Observation::new(&journey, &log).unwrap();
        let all = Selection::all();
        let scales = log.scales();
        let options = MetricsOptions::default().conversion_window_seconds(3 * 86_400);
        let config = FrictionConfig::default();

        let one = observation.metrics(&all, options).unwrap();
        prop_assert_eq!(split_and_merge(&observation, &cuts, || Tallies::new(&journey, scales, options)), one);
        let one = observation.friction(&all, &config).unwrap();
        prop_assert_eq!(split_and_merge(&observation, &cuts, || FrictionCounts::new(&journey, scales, &config).unwrap()), one);
        let one = observation.directly_follows(&all).unwrap();
        prop_assert_eq!(split_and_merge(&observation, &cuts, || FollowsCounts::new(&journey)), one);
        let one = observation.variants(&all, 7).unwrap();
        prop_assert_eq!(split_and_merge(&observation, &cuts, || VariantCounts::new(&journey, 7)), one);
        let one = observation.drop_off_paths(&all, 3).unwrap();
        prop_assert_eq!(split_and_merge(&observation, &cuts, || DropOffCounts::new(&journey, 3)), one);
        let one = observation.conformance(&all).unwrap();
        prop_assert_eq!(split_and_merge(&observation, &cuts, || ConformanceCounts::new(&journey)), one);
        let one = observation.markov_chain(&all).unwrap();
        prop_assert_eq!(split_and_merge(&observation, &cuts, || ChainCounts::new(&journey)), one);
    }
}

#[test]
fn results_on_two_threads_equal_one_thread() {
    let (journey, log) = bank();
    let observation = Observation::new(&journey, &log).unwrap();
    let everything = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let all = Selection::all();
            (
                observation
                    .metrics(&all, MetricsOptions::default())
                    .unwrap(),
                observation
                    .friction(&all, &FrictionConfig::default())
                    .unwrap(),
                observation.directly_follows(&all).unwrap(),
                observation.variants(&all, 10).unwrap(),
                observation.drop_off_paths(&all, 3).unwrap(),
                observation.conformance(&all).unwrap(),
                observation.attribution(&all).unwrap(),
            )
        })
    };
    let one = everything(1);
    assert_eq!(everything(2), one);
    assert_eq!(everything(3), one);
    // One range on this thread, without rayon, gives the same again.
    let sequential = observation
        .accumulate_range(
            &Selection::all(),
            0..log.customers().len(),
            Tallies::new(&journey, log.scales(), MetricsOptions::default()),
        )
        .unwrap()
        .metrics(&journey)
        .unwrap();
    assert_eq!(sequential, one.0);
    // A range reaching past the log (every customer, as an engine asks) gives the same, for
    // the analyses that make room for the customers announced too.
    let past_the_end = observation
        .accumulate_range(
            &Selection::all(),
            0..usize::MAX,
            Tallies::new(&journey, log.scales(), MetricsOptions::default()),
        )
        .unwrap()
        .metrics(&journey)
        .unwrap();
    assert_eq!(past_the_end, one.0);
    let variants = observation
        .accumulate_range(
            &Selection::all(),
            0..usize::MAX,
            VariantCounts::new(&journey, 5),
        )
        .unwrap()
        .finish(&journey)
        .unwrap();
    assert_eq!(
        variants,
        observation.variants(&Selection::all(), 5).unwrap()
    );
    let none = observation
        .accumulate_range(
            &Selection::all(),
            usize::MAX - 1..usize::MAX,
            VariantCounts::new(&journey, 5),
        )
        .unwrap()
        .finish(&journey)
        .unwrap();
    assert_eq!(none.customers, 0);
    // The hint is only a hint: one beyond any memory is ignored.
    let mut hinted = VariantCounts::new(&journey, 5);
    hinted.reserve(usize::MAX, usize::MAX);
    let hinted = observation
        .accumulate_range(&Selection::all(), 0..usize::MAX, hinted)
        .unwrap()
        .finish(&journey)
        .unwrap();
    assert_eq!(hinted, variants);
}

/// An analysis written outside the crate, on the public API only: customers whose first
/// interaction failed, and how many of them still converted, per persona.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
struct Recovery {
    failed_first: Vec<u64>,
    recovered: Vec<u64>,
}

impl Accumulate for Recovery {
    type Output = Vec<(u64, u64)>;

    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        let row = path.persona().map_or(0, |p| p.index() + 1);
        if self.failed_first.len() <= row {
            self.failed_first.resize(row + 1, 0);
            self.recovered.resize(row + 1, 0);
        }
        if path
            .interaction(0)
            .is_some_and(|i| i.outcome() == Outcome::Failed)
        {
            self.failed_first[row] += 1;
            self.recovered[row] += u64::from(path.converted());
        }
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        let n = self.failed_first.len().max(other.failed_first.len());
        self.failed_first.resize(n, 0);
        self.recovered.resize(n, 0);
        for (i, (f, r)) in other.failed_first.iter().zip(&other.recovered).enumerate() {
            self.failed_first[i] += f;
            self.recovered[i] += r;
        }
        Ok(())
    }

    fn finish(self, _: &Journey) -> Result<Self::Output, ShapeMismatch> {
        Ok(self.failed_first.into_iter().zip(self.recovered).collect())
    }
}

#[test]
fn an_analysis_written_outside_the_crate_runs_on_the_public_api() {
    let (journey, log) = bank();
    let observation = Observation::new(&journey, &log).unwrap();
    let recovery = observation
        .run(&Selection::all(), Recovery::default)
        .unwrap();
    // The same figure counted directly from the log.
    let mut expected = vec![(0_u64, 0_u64); journey.personas().len() + 1];
    let goal: Vec<bool> = journey.touchpoints().iter().map(|t| t.is_goal).collect();
    for c in 0..log.customers().len() {
        let customer = CustomerIndex::from_u32(c as u32);
        let mut records = log.customer_interactions(customer);
        let Some(first) = records.next() else {
            continue;
        };
        if first.outcome() != Outcome::Failed {
            continue;
        }
        let row = log.persona_of(customer).map_or(0, |p| p.index() + 1);
        let converted =
            goal[first.touchpoint().index()] || records.any(|i| goal[i.touchpoint().index()]);
        expected[row].0 += 1;
        expected[row].1 += u64::from(converted);
    }
    let mut got = recovery;
    got.resize(expected.len(), (0, 0));
    assert_eq!(got, expected);
    assert!(expected.iter().map(|e| e.0).sum::<u64>() > 0);
}

#[test]
fn the_selection_narrows_metrics_and_friction_as_it_narrows_paths() {
    let (journey, log) = bank();
    let observation = Observation::new(&journey, &log).unwrap();
    let persona = journey.personas()[1].id.clone();
    let index = journey.persona_index(persona.as_str()).unwrap();
    let selection = Selection::all().persona(persona.clone());
    let customers = (0..log.customers().len())
        .filter(|&c| log.persona_of(CustomerIndex::from_u32(c as u32)) == Some(index))
        .count() as u64;
    let interactions = log
        .interactions()
        .filter(|i| i.persona() == Some(index))
        .count() as u64;
    let metrics = observation
        .metrics(&selection, MetricsOptions::default())
        .unwrap();
    assert_eq!(metrics.journey.customers, customers);
    let tallied: u64 = metrics
        .by_touchpoint
        .iter()
        .map(|t| t.metrics.interactions)
        .sum();
    assert_eq!(tallied, interactions);
    let friction = observation
        .friction(&selection, &FrictionConfig::default())
        .unwrap();
    assert_eq!(friction.customers, customers);
    assert_eq!(
        observation.directly_follows(&selection).unwrap().customers,
        customers
    );

    // A window cuts every analysis' interactions the same way.
    let first = log.interactions().map(|i| i.timestamp()).min().unwrap();
    let start = first
        .checked_add(jiff::SignedDuration::from_hours(12))
        .unwrap();
    let end = start
        .checked_add(jiff::SignedDuration::from_hours(24))
        .unwrap();
    let window = Selection::all().time(TimeRange::new(start, end));
    let inside = log
        .interactions()
        .filter(|i| i.timestamp() >= start && i.timestamp() < end)
        .count() as u64;
    let metrics = observation
        .metrics(&window, MetricsOptions::default())
        .unwrap();
    let tallied: u64 = metrics
        .by_touchpoint
        .iter()
        .map(|t| t.metrics.interactions)
        .sum();
    assert_eq!(tallied, inside);
    assert_eq!(
        observation.directly_follows(&window).unwrap().interactions,
        inside
    );
    assert!(inside > 0 && inside < log.len() as u64);
    let cohort = Selection::all().time(TimeRange::new(start, end).mode(TimeRangeMode::Started));
    let started = (0..log.customers().len())
        .filter(|&c| {
            let first = log
                .customer_interactions(CustomerIndex::from_u32(c as u32))
                .next()
                .map(|i| i.timestamp());
            first.is_some_and(|t| t >= start && t < end)
        })
        .count() as u64;
    assert_eq!(
        observation
            .friction(&cohort, &FrictionConfig::default())
            .unwrap()
            .customers,
        started
    );

    // Converted or not splits the customers in two.
    let converted = observation
        .metrics(&Selection::all().converted(true), MetricsOptions::default())
        .unwrap();
    let not = observation
        .metrics(
            &Selection::all().converted(false),
            MetricsOptions::default(),
        )
        .unwrap();
    assert_eq!(
        converted.journey.customers + not.journey.customers,
        log.customers().len() as u64
    );
    assert_eq!(
        converted.journey.goal_conversion.map(|r| r.value),
        Some(1.0)
    );
}

#[test]
fn a_bad_selection_is_a_typed_error_in_every_analysis() {
    let (journey, log) = bank();
    let observation = Observation::new(&journey, &log).unwrap();
    let unknown = Selection::all().persona("branch-loyalists");
    let later: Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
    let earlier: Timestamp = "2026-02-01T00:00:00Z".parse().unwrap();
    let backwards = Selection::all().time(TimeRange::new(later, earlier));
    for selection in [unknown, backwards] {
        let errors = [
            observation
                .metrics(&selection, MetricsOptions::default())
                .map(|_| ())
                .unwrap_err(),
            match observation.friction(&selection, &FrictionConfig::default()) {
                Err(FrictionError::Selection(e)) => e,
                other => panic!("{other:?}"),
            },
            observation
                .directly_follows(&selection)
                .map(|_| ())
                .unwrap_err(),
            observation.conformance(&selection).map(|_| ()).unwrap_err(),
            observation
                .markov_chain(&selection)
                .map(|_| ())
                .unwrap_err(),
        ];
        for error in errors {
            assert!(matches!(
                error,
                SelectionError::UnknownPersona(_) | SelectionError::TimeRange { .. }
            ));
        }
    }
    let error = observation
        .metrics(
            &Selection::all().persona("branch-loyalists"),
            MetricsOptions::default(),
        )
        .unwrap_err();
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("branch-loyalist"), "{source}");
}

#[test]
fn an_empty_log_gives_empty_results_everywhere() {
    let (journey, _) = bank();
    let log: InteractionLog = journey_map::LogBuilder::new(&journey, Default::default())
        .finish()
        .0;
    let observation = Observation::new(&journey, &log).unwrap();
    let all = Selection::all();
    assert_eq!(
        observation
            .metrics(&all, MetricsOptions::default())
            .unwrap()
            .journey
            .customers,
        0
    );
    assert!(
        observation
            .friction(&all, &FrictionConfig::default())
            .unwrap()
            .points
            .is_empty()
    );
    assert_eq!(observation.variants(&all, 3).unwrap().customers, 0);
    assert_eq!(observation.attribution(&all).unwrap().conversion, None);
}
