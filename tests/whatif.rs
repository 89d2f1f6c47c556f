//! What-if predictions on a hand-solved chain, their errors, and journey diffs.

use journey_map::analysis::{Attribute, Change, JourneyDiff, Selection, WhatIfError};
#[path = "support/mod.rs"]
mod support;
use support::{four, log_of};

use journey_map::{InteractionLog, Journey};

/// P(A->B) = 0.6, P(B->D) = 2/3, P(C->D) = 1/2: conversion 0.6.
fn setup() -> (Journey, InteractionLog) {
    let journey = four();
    let log = log_of(
        &journey,
        &[
            (&["a", "b", "d"], 4, ""),
            (&["a", "c", "d"], 2, ""),
            (&["a", "b"], 2, ""),
            (&["a", "c"], 2, ""),
        ],
    );
    (journey, log)
}

fn predict(changes: &[Change]) -> Result<f64, WhatIfError> {
    let (journey, log) = setup();
    let chain = journey.markov_chain(&log, &Selection::all()).unwrap();
    let prediction = chain.predict(&journey, changes)?;
    assert!((prediction.current - 0.6).abs() < 1e-12);
    assert!((prediction.difference - (prediction.predicted - 0.6)).abs() < 1e-12);
    assert!((prediction.conversions_gained - 10.0 * prediction.difference).abs() < 1e-9);
    Ok(prediction.predicted)
}

fn assert_close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-12, "{got} vs {want}");
}

#[test]
fn each_change_matches_the_hand_solution() {
    assert_close(predict(&[]).unwrap(), 0.6);
    // B's drop-out 1/3 halved: B -> D 5/6; 0.6 * 5/6 + 0.4 * 1/2.
    assert_close(
        predict(&[Change::LowerDropOff {
            touchpoint: "b".into(),
            by: 0.5,
        }])
        .unwrap(),
        0.7,
    );
    // Half of C's customers sent to B: x_C = 0.25 + 0.5 * 2/3.
    assert_close(
        predict(&[Change::AddFlow {
            from: "c".into(),
            to: "b".into(),
            share: 0.5,
        }])
        .unwrap(),
        0.4 + 0.4 * (0.25 + 1.0 / 3.0),
    );
    // A -> C closed: everyone from A goes to B.
    assert_close(
        predict(&[Change::RemoveFlow {
            from: "a".into(),
            to: "c".into(),
        }])
        .unwrap(),
        2.0 / 3.0,
    );
    // Half of C's arrivals go to B instead: A -> B 0.8, A -> C 0.2.
    assert_close(
        predict(&[Change::MoveShare {
            from: "c".into(),
            to: "b".into(),
            share: 0.5,
        }])
        .unwrap(),
        0.8 * 2.0 / 3.0 + 0.2 * 0.5,
    );
    assert_close(
        predict(&[Change::RemoveTouchpoint {
            touchpoint: "c".into(),
        }])
        .unwrap(),
        0.4,
    );
    // Changes apply in order: close A -> C, then halve B's drop-out.
    assert_close(
        predict(&[
            Change::RemoveFlow {
                from: "a".into(),
                to: "c".into(),
            },
            Change::LowerDropOff {
                touchpoint: "b".into(),
                by: 0.5,
            },
        ])
        .unwrap(),
        5.0 / 6.0,
    );
    // Lowering drop-out to nothing where there is none, or by 0, changes nothing.
    assert_close(
        predict(&[Change::LowerDropOff {
            touchpoint: "d".into(),
            by: 1.0,
        }])
        .unwrap(),
        0.6,
    );
    assert_close(
        predict(&[Change::LowerDropOff {
            touchpoint: "b".into(),
            by: 0.0,
        }])
        .unwrap(),
        0.6,
    );
}

#[test]
fn bad_changes_are_typed_errors_with_suggestions() {
    let err = predict(&[
        Change::RemoveTouchpoint {
            touchpoint: "b".into(),
        },
        Change::AddFlow {
            from: "a".into(),
            to: "dd".into(),
            share: 0.5,
        },
    ])
    .unwrap_err();
    let WhatIfError::UnknownTouchpoint { change, source } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*change, source.id.as_str()), (1, "dd"));
    assert_eq!(err.to_string(), "change 1 names an unknown touchpoint");
    for share in [1.5, -0.1, f64::NAN] {
        let err = predict(&[Change::MoveShare {
            from: "c".into(),
            to: "b".into(),
            share,
        }])
        .unwrap_err();
        assert!(
            matches!(err, WhatIfError::Share { change: 0, .. }),
            "{err:?}"
        );
        let err = predict(&[Change::LowerDropOff {
            touchpoint: "b".into(),
            by: share,
        }])
        .unwrap_err();
        assert!(matches!(err, WhatIfError::Share { .. }));
    }
    // Suggestions on a journey with longer ids.
    let (bank, log) = support::bank();
    let chain = bank.markov_chain(&log, &Selection::all()).unwrap();
    let err = chain
        .predict(
            &bank,
            &[Change::RemoveTouchpoint {
                touchpoint: "verification-calback".into(),
            }],
        )
        .unwrap_err();
    let WhatIfError::UnknownTouchpoint { source, .. } = err else {
        panic!()
    };
    assert_eq!(source.suggestion.as_deref(), Some("verification-callback"));
}

#[test]
fn unobserved_touchpoints_dead_ends_and_traps_are_typed_errors() {
    let journey = four();
    // Nobody visited C.
    let log = log_of(&journey, &[(&["a", "b", "d"], 2, ""), (&["a", "b"], 2, "")]);
    let chain = journey.markov_chain(&log, &Selection::all()).unwrap();
    let err = chain
        .predict(
            &journey,
            &[Change::AddFlow {
                from: "a".into(),
                to: "c".into(),
                share: 0.2,
            }],
        )
        .unwrap_err();
    assert!(
        matches!(&err, WhatIfError::Unobserved { change: 0, touchpoint } if touchpoint.as_str() == "c")
    );
    // Removing an unvisited touchpoint or moving customers away from it changes nothing.
    let same = chain
        .predict(
            &journey,
            &[
                Change::RemoveTouchpoint {
                    touchpoint: "c".into(),
                },
                Change::MoveShare {
                    from: "c".into(),
                    to: "b".into(),
                    share: 1.0,
                },
            ],
        )
        .unwrap();
    assert_eq!(same.predicted, same.current);
    // B -> A for everyone leaving B, while A always goes to B: nobody can leave.
    let err = chain
        .predict(
            &journey,
            &[Change::AddFlow {
                from: "b".into(),
                to: "a".into(),
                share: 1.0,
            }],
        )
        .unwrap_err();
    assert!(matches!(err, WhatIfError::Chain(_)), "{err:?}");
    // C where drop-out is the only way out.
    let log = log_of(&journey, &[(&["a", "c"], 2, ""), (&["a", "b", "d"], 1, "")]);
    let chain = journey.markov_chain(&log, &Selection::all()).unwrap();
    let err = chain
        .predict(
            &journey,
            &[Change::LowerDropOff {
                touchpoint: "c".into(),
                by: 0.5,
            }],
        )
        .unwrap_err();
    assert!(matches!(err, WhatIfError::NowhereToGo { change: 0, .. }));
    // Without customers the prediction is 0 against 0, not NaN.
    let empty = log_of(&journey, &[]);
    let chain = journey.markov_chain(&empty, &Selection::all()).unwrap();
    let nothing = chain.predict(&journey, &[]).unwrap();
    assert_eq!(
        (
            nothing.current,
            nothing.predicted,
            nothing.conversions_gained
        ),
        (0.0, 0.0, 0.0)
    );
}

#[test]
fn a_future_journey_is_compared_and_its_effect_predicted() {
    let (current, log) = setup();
    let future = Journey::from_ron_str(
        r#"(
        name: "Four, future",
        stages: [(id: "s", name: "S")],
        touchpoints: [
            (id: "a", name: "A", stage: "s", channel: Web, kind: DigitalProduct, entry: true),
            (id: "b", name: "B, renamed", stage: "s", channel: Phone, kind: HumanService),
            (id: "d", name: "D", stage: "s", channel: Web, kind: DigitalProduct, goal: true),
            (id: "e", name: "E", stage: "s", channel: Web, kind: DigitalProduct),
        ],
        flows: [(from: "a", to: "b", expected_share: 0.9), (from: "b", to: "d"), (from: "a", to: "e"), (from: "e", to: "d"), (from: "b", to: "a")],
    )"#,
    )
    .unwrap();
    let diff = JourneyDiff::between(&current, &future);
    let ids = |v: &[journey_map::TouchpointId]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&diff.touchpoints_added), ["e"]);
    assert_eq!(ids(&diff.touchpoints_removed), ["c"]);
    assert_eq!(diff.touchpoints_changed.len(), 1);
    assert_eq!(diff.touchpoints_changed[0].fields, ["name"]);
    let flows = |v: &[journey_map::analysis::whatif::FlowRef]| {
        v.iter()
            .map(|f| format!("{}>{}", f.from, f.to))
            .collect::<Vec<_>>()
    };
    assert_eq!(flows(&diff.flows_added), ["a>e", "e>d", "b>a"]);
    assert_eq!(flows(&diff.flows_removed), ["a>c", "c>d"]);
    assert_eq!(flows(&diff.flows_changed), ["a>b"]);
    assert!(!diff.is_empty());
    assert!(JourneyDiff::between(&current, &current).is_empty());

    let chain = current.markov_chain(&log, &Selection::all()).unwrap();
    let scenario = diff.scenario(&chain, &future);
    // b -> a is predictable (both visited), with an equal share of b's two future out-flows.
    assert_eq!(
        scenario.changes,
        [
            Change::RemoveTouchpoint {
                touchpoint: "c".into()
            },
            Change::RemoveFlow {
                from: "a".into(),
                to: "c".into()
            },
            Change::RemoveFlow {
                from: "c".into(),
                to: "d".into()
            },
            Change::AddFlow {
                from: "b".into(),
                to: "a".into(),
                share: 0.5
            },
        ]
    );
    assert_eq!(
        scenario.not_modelled.len(),
        5,
        "{:?}",
        scenario.not_modelled
    );
    assert!(
        scenario
            .not_modelled
            .iter()
            .any(|s| s == "new touchpoint e: no observed behaviour")
    );
    let prediction = chain.predict(&current, &scenario.changes).unwrap();
    // Without C: A -> B 0.6 (rest drops); B: D 1/3, A 1/2, drop 1/6 -> x_A = 0.6 x_B,
    // x_B = 1/3 + 0.5 x_A -> x_B = (1/3) / 0.7.
    assert!(
        (prediction.predicted - 0.6 * (1.0 / 3.0) / 0.7).abs() < 1e-12,
        "{prediction:?}"
    );
}

#[test]
fn scenarios_read_from_ron_and_json() {
    let changes: Vec<Change> = ron::from_str(
        r#"[
            LowerDropOff(touchpoint: "b", by: 0.5),
            MoveShare(from: "c", to: "b", share: 0.25),
        ]"#,
    )
    .unwrap();
    assert_eq!(
        changes[0],
        Change::LowerDropOff {
            touchpoint: "b".into(),
            by: 0.5
        }
    );
    let json = serde_json::to_string(&changes).unwrap();
    assert_eq!(serde_json::from_str::<Vec<Change>>(&json).unwrap(), changes);
    assert!(predict(&changes).unwrap() > 0.6);
}
