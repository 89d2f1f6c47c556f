//! Markov attribution: a hand-solved four-touchpoint chain, removal effects against direct
//! solves, Shapley values (exact and sampled), and edge cases.

mod support;
use support::{bank, four, log_of};

use journey_map::analysis::{
    Attribute, AttributionError, Change, Selection, ShapleyOptions, attribution::ShapleyMethod,
};
use journey_map::{Channel, InteractionLog, Journey};

/// 4 x A B D, 2 x A C D, 2 x A B, 2 x A C: P(A->B) = 0.6, P(B->D) = 2/3, P(C->D) = 1/2.
fn hand_log(journey: &Journey) -> InteractionLog {
    log_of(
        journey,
        &[
            (&["a", "b", "d"], 4, "p"),
            (&["a", "c", "d"], 2, "q"),
            (&["a", "b"], 2, "p"),
            (&["a", "c"], 2, "q"),
        ],
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn the_four_touchpoint_chain_matches_the_hand_solution() {
    let journey = four();
    let log = hand_log(&journey);
    let report = journey.attribution(&log, &Selection::all()).unwrap();
    // x_D = 1, x_B = 2/3, x_C = 1/2, x_A = 0.6 * 2/3 + 0.4 * 1/2 = 0.6.
    assert!(close(report.conversion.unwrap(), 0.6));
    assert_eq!((report.customers, report.conversions), (10, 6));
    // Without A or D nobody converts; without B: 0.4 * 1/2 = 0.2; without C: 0.6 * 2/3 = 0.4.
    let effects: Vec<(&str, f64, f64)> = report
        .removal_effects
        .iter()
        .map(|r| (r.touchpoint.as_str(), r.conversion_without, r.effect))
        .collect();
    let expected = [
        ("a", 0.0, 1.0),
        ("d", 0.0, 1.0),
        ("b", 0.2, 2.0 / 3.0),
        ("c", 0.4, 1.0 / 3.0),
    ];
    assert_eq!(effects.len(), 4);
    for ((id, without, effect), (eid, ewithout, eeffect)) in effects.iter().zip(expected) {
        assert_eq!(*id, eid);
        assert!(
            close(*without, ewithout) && close(*effect, eeffect),
            "{effects:?}"
        );
    }
    // The goal D takes no credit: the effects of A, B and C sum to 2, so the six conversions
    // are shared 3, 2 and 1.
    let attributed: Vec<f64> = report
        .removal_effects
        .iter()
        .map(|r| r.attributed_conversions)
        .collect();
    for (got, want) in attributed.iter().zip([3.0, 0.0, 2.0, 1.0]) {
        assert!(close(*got, want), "{attributed:?}");
    }
    // Expected visits: A 1, B 0.6, C 0.4, D 0.6; every converting path has three steps.
    let steps = report.expected_steps.unwrap();
    assert!(
        close(steps.all, 2.6) && close(steps.to_goal.unwrap(), 3.0),
        "{steps:?}"
    );
    // Per persona: p converts 4 of 6 (2/3), q 2 of 4.
    let personas: Vec<_> = report
        .personas
        .iter()
        .map(|p| {
            (
                p.persona.as_str(),
                p.customers,
                p.conversions,
                p.conversion.unwrap(),
            )
        })
        .collect();
    assert_eq!(personas.len(), 2);
    assert!(personas[0].0 == "p" && personas[0].1 == 6 && close(personas[0].3, 4.0 / 6.0));
    assert!(personas[1].0 == "q" && personas[1].2 == 2 && close(personas[1].3, 0.5));
    assert_eq!(report.entries.len(), 1);
    assert!(close(report.entries[0].conversion, 0.6));
    let chain = journey.markov_chain(&log, &Selection::all()).unwrap();
    assert!(close(chain.transition("a", "b").unwrap(), 0.6));
    assert_eq!(chain.transition("a", "zz"), None);
}

#[test]
fn shapley_values_match_the_hand_solution_and_sum_to_the_conversions() {
    let journey = four();
    let log = hand_log(&journey);
    // Coalition worths (10 customers x conversion): {web, phone} 4, {web, chat} 2, all 6,
    // anything without web 0. Shapley: web 3, phone 2, chat 1.
    let exact = journey
        .shapley_channels(&log, &Selection::all(), ShapleyOptions::default())
        .unwrap();
    assert_eq!(exact.method, ShapleyMethod::Exact { coalitions: 8 });
    assert!(close(exact.conversions, 6.0));
    let values: Vec<(Channel, f64)> = exact
        .channels
        .iter()
        .map(|c| (c.channel.clone(), c.conversions))
        .collect();
    let expected = [
        (Channel::Web, 3.0),
        (Channel::Phone, 2.0),
        (Channel::LiveChat, 1.0),
    ];
    for ((channel, value), (echannel, evalue)) in values.iter().zip(expected.iter()) {
        assert_eq!(channel, echannel);
        assert!(close(*value, *evalue), "{values:?}");
    }
    assert!(exact.channels.iter().all(|c| c.standard_error.is_none()));
    // Sampled (forced): within four standard errors of the exact values, sum still exact.
    let forced = ShapleyOptions::default()
        .exact_up_to(0)
        .permutations(600)
        .seed(3);
    let sampled = journey
        .shapley_channels(&log, &Selection::all(), forced)
        .unwrap();
    assert_eq!(sampled.method, ShapleyMethod::Sampled { permutations: 600 });
    let sum: f64 = sampled.channels.iter().map(|c| c.conversions).sum();
    assert!((sum - 6.0).abs() < 1e-9);
    for c in &sampled.channels {
        let truth = expected.iter().find(|e| e.0 == c.channel).unwrap().1;
        let se = c.standard_error.unwrap();
        assert!(
            se > 0.0 && (c.conversions - truth).abs() <= 4.0 * se,
            "{c:?}"
        );
    }
    let again = journey
        .shapley_channels(&log, &Selection::all(), forced)
        .unwrap();
    assert_eq!(again, sampled);
}

/// ad (Social, entry), mail (Email, entry), buy (Web, goal): one customer goes ad -> buy, one
/// visits mail only.
#[test]
fn goals_take_no_credit_on_the_smallest_journey() {
    let journey = Journey::from_ron_str(
        r#"(
        name: "Credit",
        stages: [(id: "s", name: "S")],
        touchpoints: [
            (id: "ad", name: "Ad", stage: "s", channel: Social, kind: Marketing, entry: true),
            (id: "mail", name: "Mail", stage: "s", channel: Email, kind: Marketing, entry: true),
            (id: "buy", name: "Buy", stage: "s", channel: Web, kind: DigitalProduct, goal: true),
        ],
        flows: [(from: "ad", to: "buy"), (from: "mail", to: "buy")],
    )"#,
    )
    .unwrap();
    let log = log_of(&journey, &[(&["ad", "buy"], 1, ""), (&["mail"], 1, "")]);
    let report = journey.attribution(&log, &Selection::all()).unwrap();
    assert_eq!((report.customers, report.conversions), (2, 1));
    let credit = |id: &str| {
        let r = report
            .removal_effects
            .iter()
            .find(|r| r.touchpoint == id)
            .unwrap();
        (r.effect, r.attributed_conversions)
    };
    // ad's removal loses the only conversion: it gets it all; the goal gets none.
    assert_eq!(credit("ad"), (1.0, 1.0));
    assert_eq!(credit("mail"), (0.0, 0.0));
    assert_eq!(credit("buy"), (1.0, 0.0));
    let shapley = journey
        .shapley_channels(&log, &Selection::all(), ShapleyOptions::default())
        .unwrap();
    let values: Vec<(Channel, f64)> = shapley
        .channels
        .iter()
        .map(|c| (c.channel.clone(), c.conversions))
        .collect();
    // Web holds only the goal: not a player.
    assert_eq!(values, [(Channel::Social, 1.0), (Channel::Email, 0.0)]);
    assert_eq!((shapley.conversions, shapley.uncredited), (1.0, 0.0));

    // A customer who starts at the goal converts with no channel's help: uncredited.
    let log = log_of(
        &journey,
        &[
            (&["ad", "buy"], 1, ""),
            (&["mail"], 1, ""),
            (&["buy"], 2, ""),
        ],
    );
    let shapley = journey
        .shapley_channels(&log, &Selection::all(), ShapleyOptions::default())
        .unwrap();
    let credited: f64 = shapley.channels.iter().map(|c| c.conversions).sum();
    assert!(close(shapley.conversions, 3.0) && close(shapley.uncredited, 2.0));
    assert!(close(credited, 1.0), "{shapley:?}");
}

#[test]
fn shapley_options_are_checked() {
    let journey = four();
    let log = hand_log(&journey);
    let err = journey
        .shapley_channels(
            &log,
            &Selection::all(),
            ShapleyOptions::default().exact_up_to(21),
        )
        .unwrap_err();
    assert_eq!(
        err,
        AttributionError::ExactLimit {
            requested: 21,
            max: 20
        }
    );
    let err = journey
        .shapley_channels(
            &log,
            &Selection::all(),
            ShapleyOptions::default().exact_up_to(0).permutations(0),
        )
        .unwrap_err();
    assert_eq!(err, AttributionError::NoPermutations);
    assert_eq!(
        err.to_string(),
        "sampled shapley values need at least one permutation"
    );
}

#[test]
fn removal_effects_agree_with_solving_each_removal_directly() {
    let (journey, log) = bank();
    for filter in [
        Selection::all(),
        Selection::all().persona("small-business-owner"),
    ] {
        let chain = journey.markov_chain(&log, &filter).unwrap();
        let observed = chain.conversions() as f64 / chain.customers() as f64;
        assert!((chain.conversion().unwrap() - observed).abs() < 1e-12);
        let effects = chain.removal_effects().unwrap();
        assert_eq!(effects.len(), chain.touchpoints().len());
        for effect in &effects {
            let direct = chain
                .predict(
                    &journey,
                    &[Change::RemoveTouchpoint {
                        touchpoint: effect.touchpoint.clone(),
                    }],
                )
                .unwrap();
            assert!(
                (direct.predicted - effect.conversion_without).abs() < 1e-10,
                "{}: {} vs {}",
                effect.touchpoint,
                direct.predicted,
                effect.conversion_without
            );
        }
        let total: f64 = effects.iter().map(|e| e.attributed_conversions).sum();
        assert!((total - chain.conversions() as f64).abs() < 1e-6);
    }
}

#[test]
fn shapley_on_the_sample_sums_to_the_conversions() {
    let (journey, log) = bank();
    let report = journey
        .shapley_channels(&log, &Selection::all(), ShapleyOptions::default())
        .unwrap();
    assert!(matches!(report.method, ShapleyMethod::Exact { .. }));
    let sum: f64 = report.channels.iter().map(|c| c.conversions).sum();
    let conversions = journey
        .attribution(&log, &Selection::all())
        .unwrap()
        .conversions as f64;
    assert!((sum - conversions).abs() < 1e-6 && (report.conversions - conversions).abs() < 1e-6);
}

#[test]
fn logs_without_conversions_single_customers_and_one_touchpoint_journeys_are_defined() {
    let journey = four();
    // Nobody converts.
    let log = log_of(&journey, &[(&["a", "b"], 3, "p"), (&["a"], 2, "q")]);
    let report = journey.attribution(&log, &Selection::all()).unwrap();
    assert_eq!(report.conversion, Some(0.0));
    assert!(report.removal_effects.is_empty());
    assert_eq!(report.expected_steps.unwrap().to_goal, None);
    assert!(close(report.expected_steps.unwrap().all, 1.6));
    let shapley = journey
        .shapley_channels(&log, &Selection::all(), ShapleyOptions::default())
        .unwrap();
    assert!(
        shapley
            .channels
            .iter()
            .all(|c| c.conversions == 0.0 && c.share == 0.0)
    );
    // A single customer who converts.
    let log = log_of(&journey, &[(&["a", "c", "d"], 1, "p")]);
    let report = journey.attribution(&log, &Selection::all()).unwrap();
    assert_eq!(report.conversion, Some(1.0));
    assert!(report.removal_effects.iter().all(|r| r.effect == 1.0));
    // Nobody selected.
    let report = journey
        .attribution(&log, &Selection::all().persona("q"))
        .unwrap();
    assert_eq!(
        (report.customers, report.conversion, report.expected_steps),
        (0, None, None)
    );
    assert!(report.removal_effects.is_empty() && report.entries.is_empty());
    let shapley = journey
        .shapley_channels(
            &log,
            &Selection::all().persona("q"),
            ShapleyOptions::default(),
        )
        .unwrap();
    assert!(shapley.channels.is_empty() && shapley.conversions == 0.0);
    // A journey of one touchpoint, entry and goal.
    let one = Journey::from_ron_str(
        r#"(name: "One", stages: [(id: "s", name: "S")],
            touchpoints: [(id: "only", name: "Only", stage: "s", channel: Web, kind: DigitalProduct, entry: true, goal: true)])"#,
    )
    .unwrap();
    let log = log_of(&one, &[(&["only"], 3, "")]);
    let report = one.attribution(&log, &Selection::all()).unwrap();
    assert_eq!(report.conversion, Some(1.0));
    assert_eq!(report.removal_effects.len(), 1);
    assert_eq!(report.removal_effects[0].effect, 1.0);
    for value in [
        report.expected_steps.unwrap().all,
        report.expected_steps.unwrap().to_goal.unwrap(),
    ] {
        assert!(value.is_finite() && close(value, 1.0));
    }
}

#[test]
fn a_foreign_log_is_a_typed_error() {
    let journey = four();
    let (_, bank_log) = bank();
    assert!(matches!(
        journey.attribution(&bank_log, &Selection::all()),
        Err(AttributionError::Selection(_))
    ));
}

/// Aggregated paths (the usual input of attribution tools) give the chain, the report, the
/// Shapley values and the variants that the same customers give one by one.
#[test]
fn aggregated_paths_equal_the_same_customers_one_by_one() {
    use journey_map::AggregatedPaths;
    use journey_map::analysis::{MarkovChain, ObservePaths, Variants};
    let journey = four();
    let log = hand_log(&journey);
    let csv = "path,nulls,conversions\n\
               a > b > d,0,4\n\
               a > c > d,0,2\n\
               a > b,2,0\n\
               a > c,2,0\n";
    let paths = AggregatedPaths::read_csv(&journey, csv.as_bytes(), " > ").unwrap();
    assert_eq!(paths.customers(), 10);
    let from_paths = MarkovChain::from_paths(&journey, &paths).unwrap();
    let from_log = journey.markov_chain(&log, &Selection::all()).unwrap();
    assert_eq!(from_paths, from_log);
    let report = from_paths.report().unwrap();
    let direct = journey.attribution(&log, &Selection::all()).unwrap();
    assert_eq!(report.removal_effects, direct.removal_effects);
    assert_eq!(report.conversion, direct.conversion);
    assert_eq!(
        from_paths
            .shapley_channels(ShapleyOptions::default())
            .unwrap(),
        journey
            .shapley_channels(&log, &Selection::all(), ShapleyOptions::default())
            .unwrap()
    );
    let variants = Variants::from_paths(&journey, &paths, 10).unwrap();
    let direct = journey.variants(&log, &Selection::all(), 10).unwrap();
    assert_eq!(variants, direct);
    // The directly-follows graph: the same moves, counts and customers; no times.
    let graph = journey_map::analysis::DirectlyFollowsGraph::from_paths(&journey, &paths).unwrap();
    let direct = journey.directly_follows(&log, &Selection::all()).unwrap();
    let moves = |g: &journey_map::analysis::DirectlyFollowsGraph| {
        g.edges
            .iter()
            .map(|e| {
                (
                    e.from.clone(),
                    e.to.clone(),
                    e.count,
                    e.customers,
                    e.designed,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(moves(&graph), moves(&direct));
    assert!(graph.edges.iter().all(|e| e.time.is_none()));
    assert!(direct.edges.iter().all(|e| e.time.is_some()));
    assert_eq!(
        (graph.customers, graph.interactions),
        (direct.customers, direct.interactions)
    );
    assert_eq!(graph.starts, direct.starts);
    assert_eq!(graph.ends, direct.ends);
}

#[test]
fn aggregated_paths_report_every_problem_with_its_place() {
    use journey_map::AggregatedPaths;
    use journey_map::analysis::MarkovChain;
    let journey = four();
    let read = |csv: &str| {
        AggregatedPaths::read_csv(&journey, csv.as_bytes(), " > ")
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        read("path,conversions,nulls\na > e,1,2\n"),
        "row 2, column path: unknown touchpoint \"e\""
    );
    let bank = bank().0;
    assert_eq!(
        AggregatedPaths::read_csv(
            &bank,
            "path,conversions,nulls\nserch-ad > product-page,1,2\n".as_bytes(),
            " > "
        )
        .unwrap_err()
        .to_string(),
        "row 2, column path: unknown touchpoint \"serch-ad\" (did you mean \"search-ad\"?)"
    );
    assert_eq!(
        read("path,conversions,nulls\na > b,many,2\n"),
        "row 2, column conversions: \"many\" is not a whole number of customers"
    );
    assert_eq!(
        read("path,conversions,nulls\na >  > b,1,2\n"),
        "row 2, column path: an empty touchpoint in the path"
    );
    assert_eq!(
        read("path,conversion,nulls\n"),
        "bad header: unknown column \"conversion\" (did you mean \"conversions\"?), expected path, conversions and nulls"
    );
    assert_eq!(
        read("path,nulls\n"),
        "bad header: missing column(s) conversions"
    );
    assert_eq!(
        AggregatedPaths::read_csv(&journey, "path,conversions,nulls\n".as_bytes(), "")
            .unwrap_err()
            .to_string(),
        "the separator between touchpoints is empty"
    );
    assert!(matches!(
        AggregatedPaths::read_csv_path(&journey, "no/such.csv", " > "),
        Err(journey_map::AggregatedPathsError::Read { origin, .. }) if origin == "no/such.csv"
    ));
    // Paths checked against one journey do not feed another's chain.
    let paths = AggregatedPaths::read_csv(
        &journey,
        "path,conversions,nulls\na > b,1,1\n".as_bytes(),
        " > ",
    )
    .unwrap();
    assert!(MarkovChain::from_paths(&bank, &paths).is_err());
}

/// Customers still on their way (last interaction in progress) have no outcome: they are left
/// out of the chain, so the chain predicts exactly the observed conversions and the Shapley
/// values (with what goals convert alone) add up to them. Found by the `analyses` fuzz target:
/// their moves used to count without their end, and Shapley gave 2 conversions for 1.
#[test]
fn customers_still_on_their_way_are_left_out_of_the_chain() {
    let journey = four();
    let mut builder = journey_map::LogBuilder::new(&journey, journey_map::IngestOptions::default());
    let at = |s: i64| jiff::Timestamp::from_second(1_700_000_000 + s).unwrap();
    use journey_map::{Interaction, Outcome};
    for (customer, touchpoint, second, outcome) in [
        ("done", "a", 0, Outcome::Completed),
        ("done", "b", 10, Outcome::Completed),
        ("done", "d", 20, Outcome::Completed),
        ("open", "a", 0, Outcome::Completed),
        ("open", "b", 10, Outcome::InProgress),
        ("gone", "a", 0, Outcome::Completed),
        ("gone", "c", 10, Outcome::Abandoned),
    ] {
        builder
            .push(Interaction::new(customer, touchpoint, at(second), outcome))
            .unwrap();
    }
    let (log, _) = builder.finish();
    let report = journey.attribution(&log, &Selection::all()).unwrap();
    assert_eq!((report.customers, report.conversions), (2, 1));
    assert!(close(report.conversion.unwrap(), 0.5));
    let shapley = journey
        .shapley_channels(&log, &Selection::all(), ShapleyOptions::default())
        .unwrap();
    let sum: f64 = shapley.channels.iter().map(|c| c.conversions).sum::<f64>() + shapley.uncredited;
    assert!(close(sum, 1.0), "{sum}");
    assert!(close(shapley.conversions, 1.0), "{}", shapley.conversions);
}
