//! CX metrics by group, checked against hand-computed values, and merging partial results.

use journey_map::analysis::{
    FcrRule, MetricsOptions, MetricsReport, Selection, ShapeMismatch, Tallies,
};
use journey_map::{
    Channel, EffortDirection, IngestOptions, Interaction, InteractionLog, Journey, LogBuilder,
    Outcome, Scales, ScoreScale,
};
use proptest::prelude::*;

fn bank() -> Journey {
    Journey::load("examples/data/retail_bank.ron").unwrap()
}

fn at(minute: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_767_600_000 + minute * 60).unwrap()
}

fn log(journey: &Journey, scales: Scales, records: Vec<Interaction>) -> InteractionLog {
    let mut builder = LogBuilder::new(journey, IngestOptions::default().scales(scales));
    builder.extend(records).unwrap();
    builder.finish().0
}

#[test]
fn metrics_match_hand_computed_values() {
    let journey = bank();
    let i = |c: &str, tp: &str, m: i64, o: Outcome| Interaction::new(c, tp, at(m), o);
    let records = vec![
        i("a", "chatbot", 0, Outcome::Escalated)
            .with_persona("digital-native")
            .with_nps(10)
            .with_csat(2)
            .with_ces(2)
            .with_wait_seconds(10.0),
        i("a", "live-chat-agent", 5, Outcome::Completed)
            .with_nps(9)
            .with_csat(5)
            .with_ces(6)
            .with_wait_seconds(60.0)
            .with_sentiment(0.5),
        i("b", "chatbot", 1, Outcome::Completed)
            .with_persona("digital-native")
            .with_nps(8)
            .with_csat(4)
            .with_ces(7)
            .with_wait_seconds(20.0),
        i("c", "chatbot", 2, Outcome::Abandoned)
            .with_nps(3)
            .with_csat(1)
            .with_wait_seconds(30.0)
            .with_sentiment(-0.5),
        i("c", "chatbot", 3, Outcome::Failed),
    ];
    let log = log(&journey, Scales::default(), records);
    let report =
        MetricsReport::compute(&journey, &log, &Selection::all(), MetricsOptions::default())
            .unwrap();

    let chatbot = &report.by_touchpoint[journey.touchpoint_index("chatbot").unwrap().index()];
    assert_eq!(chatbot.key, "chatbot");
    let m = &chatbot.metrics;
    assert_eq!((m.interactions, m.customers), (4, 3));
    assert_eq!(m.completion.map(|r| (r.successes, r.trials)), Some((1, 4)));
    assert_eq!(m.abandonment.map(|r| r.value), Some(0.25));
    assert_eq!(m.failure.map(|r| r.value), Some(0.25));
    assert_eq!(m.escalation.map(|r| r.value), Some(0.25));
    let nps = m.nps.unwrap();
    assert_eq!(
        (nps.respondents, nps.promoters, nps.passives, nps.detractors),
        (3, 1, 1, 1)
    );
    assert_eq!(nps.score, 0.0);
    let csat = m.csat.unwrap();
    assert_eq!(
        (csat.respondents, csat.mean, csat.good.successes),
        (3, 7.0 / 3.0, 1)
    );
    let ces = m.ces.unwrap();
    assert_eq!(
        (ces.respondents, ces.mean, ces.good.successes),
        (2, 4.5, 1),
        "CES 2.0: 5-7 is easy"
    );
    let wait = m.wait_seconds.unwrap();
    assert_eq!(
        (wait.count, wait.mean, wait.median, wait.min, wait.max),
        (3, 20.0, 20.0, 10.0, 30.0)
    );
    assert!((wait.p90 - 28.0).abs() < 1e-9);
    assert_eq!(m.sentiment.map(|s| (s.count, s.mean)), Some((1, -0.5)));
    // The mean's 95% t interval, as Moments computes it from the values themselves; none
    // from one value.
    let interval_of = |values: &[f64]| {
        let mut moments = journey_map::stats::Moments::default();
        values.iter().for_each(|&v| assert!(moments.push(v)));
        moments.mean_interval().unwrap()
    };
    let (expected, got) = (interval_of(&[2.0, 4.0, 1.0]), csat.interval.unwrap());
    assert!((expected.low - got.low).abs() < 1e-6 && (expected.high - got.high).abs() < 1e-6);
    assert!(
        (got.high - got.low - 2.0 * 3.794_59).abs() < 1e-4,
        "{got:?}"
    );
    assert!(
        ces.interval.is_none(),
        "CES has its easy share, not a mean interval"
    );
    assert!(
        m.sentiment.unwrap().interval.is_none(),
        "one sentiment has no interval"
    );
    assert!(m.handling_seconds.is_none(), "no data is absent, not 0");

    // A touchpoint nobody visited has counts of 0 and every metric absent.
    let quiet =
        &report.by_touchpoint[journey.touchpoint_index("search-ad").unwrap().index()].metrics;
    assert_eq!((quiet.interactions, quiet.customers), (0, 0));
    assert!(
        quiet.completion.is_none()
            && quiet.nps.is_none()
            && quiet.csat.is_none()
            && quiet.wait_seconds.is_none()
    );

    // Stage, channel and persona tables.
    let consideration = report
        .by_stage
        .iter()
        .find(|k| k.key == "consideration")
        .unwrap();
    assert_eq!(
        (
            consideration.metrics.interactions,
            consideration.metrics.customers
        ),
        (5, 3)
    );
    assert_eq!(
        consideration.metrics.sentiment.map(|s| s.mean),
        Some(0.0),
        "the emotion curve point"
    );
    let spread = consideration.metrics.sentiment.unwrap().interval.unwrap();
    let expected = interval_of(&[0.5, -0.5]);
    assert!((spread.low - expected.low).abs() < 1e-6 && (spread.high - expected.high).abs() < 1e-6);
    let point = report
        .journey
        .emotion_curve
        .iter()
        .find(|p| p.stage == "consideration")
        .unwrap();
    assert_eq!(point.sentiment_interval, Some(spread));
    let chat = report
        .by_channel
        .iter()
        .find(|k| k.key == Channel::LiveChat)
        .unwrap();
    assert_eq!(chat.metrics.interactions, 1);
    let native = report
        .by_persona
        .iter()
        .find(|k| k.key.as_ref().is_some_and(|p| p == "digital-native"))
        .unwrap();
    assert_eq!(
        (native.metrics.interactions, native.metrics.customers),
        (3, 2)
    );
    let unknown = report.by_persona.last().unwrap();
    assert_eq!(
        (unknown.key.clone(), unknown.metrics.interactions),
        (None, 2)
    );
    let native_chatbot = report
        .by_persona_touchpoint
        .iter()
        .find(|k| k.key.0.as_ref().is_some_and(|p| p == "digital-native") && k.key.1 == "chatbot")
        .unwrap();
    assert_eq!(native_chatbot.metrics.interactions, 2);
    assert_eq!(
        report.by_persona_touchpoint.len(),
        (journey.personas().len() + 1) * journey.touchpoints().len()
    );
    assert_eq!(
        report.by_persona_stage.len(),
        (journey.personas().len() + 1) * journey.stages().len()
    );
}

#[test]
fn score_scales_change_what_counts_as_good() {
    let journey = bank();
    let scales = Scales::default()
        .with_csat(ScoreScale::new(1, 7).unwrap())
        .with_ces(
            ScoreScale::new(1, 5).unwrap(),
            EffortDirection::HigherIsHarder,
        );
    let records = vec![
        Interaction::new("a", "chatbot", at(0), Outcome::Completed)
            .with_csat(6)
            .with_ces(1),
        Interaction::new("a", "chatbot", at(1), Outcome::Completed)
            .with_csat(5)
            .with_ces(2),
        Interaction::new("a", "chatbot", at(2), Outcome::Completed)
            .with_csat(7)
            .with_ces(5),
    ];
    let report = MetricsReport::compute(
        &journey,
        &log(&journey, scales, records),
        &Selection::all(),
        MetricsOptions::default(),
    )
    .unwrap();
    let m = &report.by_touchpoint[journey.touchpoint_index("chatbot").unwrap().index()].metrics;
    assert_eq!(
        m.csat.unwrap().good.successes,
        2,
        "top two of 1-7 are 6 and 7"
    );
    assert_eq!(
        m.ces.unwrap().good.successes,
        2,
        "higher is harder: 1 and 2 are easy"
    );
    let strict = scales.with_ces_easy(1).unwrap();
    let records = vec![Interaction::new("a", "chatbot", at(0), Outcome::Completed).with_ces(2)];
    let report = MetricsReport::compute(
        &journey,
        &log(&journey, strict, records),
        &Selection::all(),
        MetricsOptions::default(),
    )
    .unwrap();
    let m = &report.by_touchpoint[journey.touchpoint_index("chatbot").unwrap().index()].metrics;
    assert_eq!(m.ces.unwrap().good.successes, 0);
    assert!(scales.with_ces_easy(6).is_none());
}

#[test]
fn tallies_refuse_other_journeys() {
    let bank = bank();
    let broadband = Journey::load("examples/data/broadband.ron").unwrap();
    let log = log(
        &bank,
        Scales::default(),
        vec![Interaction::new("a", "chatbot", at(0), Outcome::Completed)],
    );
    let error = MetricsReport::compute(
        &broadband,
        &log,
        &Selection::all(),
        MetricsOptions::default(),
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "the log does not belong to this journey");
    let source = std::error::Error::source(&error).map(|s| s.to_string());
    assert_eq!(
        source,
        Some(format!(
            "the log was built for a journey with fingerprint {}, not this one's {}",
            bank.fingerprint(),
            broadband.fingerprint()
        ))
    );
    let empty_broadband = LogBuilder::new(&broadband, IngestOptions::default())
        .finish()
        .0;
    let mut ours = Tallies::of_customers(&bank, &log, 0..1, MetricsOptions::default()).unwrap();
    let theirs = Tallies::of_customers(
        &broadband,
        &empty_broadband,
        0..0,
        MetricsOptions::default(),
    )
    .unwrap();
    assert_eq!(ours.merge(theirs), Err(ShapeMismatch));
}

type Raw = (
    usize,
    usize,
    i64,
    usize,
    Option<u8>,
    Option<u8>,
    Option<u8>,
    Option<u16>,
    Option<i8>,
    (Option<u8>, Option<bool>),
);

fn arbitrary_records() -> impl Strategy<Value = Vec<Raw>> {
    proptest::collection::vec(
        (
            0..12_usize,
            0..24_usize,
            0..30_000_i64,
            0..4_usize,
            proptest::option::of(1..=5_u8),
            proptest::option::of(1..=7_u8),
            proptest::option::of(0..=10_u8),
            proptest::option::of(0..3_600_u16),
            proptest::option::of(-100..=100_i8),
            (
                proptest::option::of(0..3_u8),
                proptest::option::of(any::<bool>()),
            ),
        ),
        0..120,
    )
}

proptest! {
    /// Metrics of a log split by customers and merged equal one pass over the whole log.
    #[test]
    fn merged_halves_equal_one_pass(records in arbitrary_records(), split in 0..13_usize) {
        let journey = bank();
        let interactions: Vec<Interaction> = records
            .into_iter()
            .map(|(c, t, minute, o, csat, ces, nps, wait, sentiment, (need, resolved))| {
                let mut i = Interaction::new(format!("c{c}"), journey.touchpoints()[t].id.clone(), at(minute), Outcome::ALL[o]);
                i.csat = csat;
                i.ces = ces;
                i.nps = nps;
                i.wait_seconds = wait.map(f64::from);
                i.sentiment = sentiment.map(|s| f64::from(s) / 100.0);
                i.need = need.map(|n| format!("need-{n}"));
                i.resolved = resolved;
                // A persona fixed per customer, on some customers only.
                if c % 3 != 0 {
                    i.persona = Some(journey.personas()[c % 3].id.clone());
                }
                i
            })
            .collect();
        let log = log(&journey, Scales::default(), interactions);
        let n = log.customers().len();
        let split = split.min(n);
        let mut merged = Tallies::of_customers(&journey, &log, 0..split, MetricsOptions::default()).unwrap();
        merged.merge(Tallies::of_customers(&journey, &log, split..n, MetricsOptions::default()).unwrap()).unwrap();
        let whole = Tallies::of_customers(&journey, &log, 0..n, MetricsOptions::default()).unwrap();
        prop_assert_eq!(&merged, &whole);
        prop_assert_eq!(merged.metrics(&journey).unwrap(), MetricsReport::compute(&journey, &log, &Selection::all(), MetricsOptions::default()).unwrap());
    }
}

fn cases_log(journey: &Journey) -> InteractionLog {
    let i = |c: &str, tp: &str, m: i64, o: Outcome| Interaction::new(c, tp, at(m), o);
    let day = 24 * 60;
    log(
        journey,
        Scales::default(),
        vec![
            i("a", "search-ad", 0, Outcome::Completed),
            i("a", "chatbot", 10, Outcome::Escalated)
                .with_need("q")
                .with_resolved(false)
                .with_sentiment(-0.5),
            i("a", "live-chat-agent", 20, Outcome::Completed)
                .with_need("q")
                .with_resolved(true)
                .with_handling_seconds(300.0)
                .with_sentiment(0.5),
            i("a", "online-application", 30, Outcome::Completed),
            i("a", "account-opened", 40, Outcome::Completed).with_csat(5),
            i("b", "chatbot", 0, Outcome::Completed).with_need("x"),
            i("b", "chatbot", 8 * day, Outcome::Completed)
                .with_need("x")
                .with_resolved(true),
            i("c", "search-ad", 0, Outcome::Completed),
            i("c", "product-page", 1, Outcome::Abandoned).with_need("y"),
        ],
    )
}

#[test]
fn repeat_contacts_fcr_and_time_to_resolution() {
    let journey = bank();
    let log = cases_log(&journey);
    let report =
        MetricsReport::compute(&journey, &log, &Selection::all(), MetricsOptions::default())
            .unwrap();
    let at_touchpoint = |id: &str| {
        report.by_touchpoint[journey.touchpoint_index(id).unwrap().index()]
            .metrics
            .clone()
    };

    let chatbot = at_touchpoint("chatbot");
    let repeat = chatbot.repeat_contact.unwrap();
    assert_eq!(
        (repeat.successes, repeat.trials),
        (1, 3),
        "a's chatbot contact was repeated within 7 days; b's was not"
    );
    let fcr = chatbot.first_contact_resolution.unwrap();
    assert_eq!((fcr.successes, fcr.trials), (1, 2));
    assert_eq!(chatbot.unresolved.map(|r| r.successes), Some(0));
    let ttr = chatbot.ttr_seconds.unwrap();
    assert_eq!(
        (ttr.count, ttr.min, ttr.max),
        (2, 900.0, 8.0 * 86_400.0),
        "10 minutes plus 300 s of handling"
    );

    let live = at_touchpoint("live-chat-agent");
    assert_eq!(
        live.repeat_contact.map(|r| (r.successes, r.trials)),
        Some((0, 1))
    );
    assert!(
        live.first_contact_resolution.is_none(),
        "no need started there"
    );

    let product = at_touchpoint("product-page");
    assert_eq!(
        product.unresolved.map(|r| (r.successes, r.trials)),
        Some((1, 1))
    );
    assert!(product.ttr_seconds.is_none());

    // With the resolved flag as the rule, b's need was not resolved at its first contact.
    let flagged = MetricsReport::compute(
        &journey,
        &log,
        &Selection::all(),
        MetricsOptions::default().fcr(FcrRule::ResolvedFlag),
    )
    .unwrap();
    let chatbot =
        &flagged.by_touchpoint[journey.touchpoint_index("chatbot").unwrap().index()].metrics;
    assert_eq!(
        chatbot.first_contact_resolution.map(|r| r.successes),
        Some(0)
    );
    // With a 9-day window, b's second contact is a repeat too.
    let wide = MetricsReport::compute(
        &journey,
        &log,
        &Selection::all(),
        MetricsOptions::default().repeat_window_seconds(9 * 86_400),
    )
    .unwrap();
    let chatbot = &wide.by_touchpoint[journey.touchpoint_index("chatbot").unwrap().index()].metrics;
    assert_eq!(chatbot.repeat_contact.map(|r| r.successes), Some(2));
    assert_eq!(
        chatbot.first_contact_resolution.map(|r| r.successes),
        Some(0)
    );
}

#[test]
fn the_funnel_of_the_sample_never_rises() {
    let (journey, log) = support::bank();
    let report =
        MetricsReport::compute(&journey, &log, &Selection::all(), MetricsOptions::default())
            .unwrap();
    let funnel = &report.journey.funnel;
    assert!(funnel.windows(2).all(|w| w[1].customers <= w[0].customers));
    assert!(funnel.iter().all(|s| s.customers <= s.reached));
    assert!(funnel[0].customers > 0);
}

#[test]
fn funnel_conversion_time_to_convert_and_emotion_curve() {
    let journey = bank();
    let report = MetricsReport::compute(
        &journey,
        &cases_log(&journey),
        &Selection::all(),
        MetricsOptions::default(),
    )
    .unwrap();
    let level = &report.journey;
    assert_eq!(level.customers, 3);
    type Step<'a> = (&'a str, u64, Option<(u64, u64)>, u64);
    let steps: Vec<Step> = level
        .funnel
        .iter()
        .map(|s| {
            (
                s.stage.as_str(),
                s.customers,
                s.from_previous.map(|r| (r.successes, r.trials)),
                s.reached,
            )
        })
        .collect();
    // In order: a and c see an advert, then consider; a applies, then skips verification, so
    // onboarding is reached (any order) but not in order; b only asked the chatbot, with no
    // advert first, so b reached consideration but is in no step of the funnel.
    assert_eq!(
        steps,
        [
            ("awareness", 2, None, 2),
            ("consideration", 2, Some((2, 2)), 3),
            ("apply", 1, Some((1, 2)), 1),
            ("verification", 0, Some((0, 1)), 0),
            ("onboarding", 0, None, 1),
            ("everyday-banking", 0, None, 0),
        ]
    );
    // The funnel never rises.
    assert!(
        level
            .funnel
            .windows(2)
            .all(|w| w[1].customers <= w[0].customers)
    );
    assert_eq!(
        level.goal_conversion.map(|r| (r.successes, r.trials)),
        Some((1, 3))
    );
    let ttc = level.time_to_convert;
    // Without a conversion window, b and c have gone: the estimate is a's 2,400 s alone.
    assert_eq!(
        (ttc.customers, ttc.converted, ttc.censored, ttc.gone),
        (3, 1, 0, 2)
    );
    assert_eq!(ttc.median_seconds, Some(2_400.0));
    assert_eq!(ttc.p90_seconds, Some(2_400.0));

    let consideration = level
        .emotion_curve
        .iter()
        .find(|p| p.stage == "consideration")
        .unwrap();
    assert_eq!(
        (consideration.sentiment, consideration.sentiment_count),
        (Some(0.0), 2)
    );
    let onboarding = level
        .emotion_curve
        .iter()
        .find(|p| p.stage == "onboarding")
        .unwrap();
    assert_eq!((onboarding.csat, onboarding.csat_count), (Some(5.0), 1));
    assert_eq!(level.emotion_curve.len(), journey.stages().len());
    assert_eq!(
        level.emotion_curve_by_persona.len(),
        journey.personas().len() + 1
    );
    let nobody = level.emotion_curve_by_persona.last().unwrap();
    assert_eq!(nobody.key, None);
    assert_eq!(
        nobody.curve.iter().map(|p| p.sentiment_count).sum::<u64>(),
        2
    );
}

#[path = "support/mod.rs"]
mod support;

/// Every group's wait and handling summaries, read off the sorted cells the group is made of,
/// equal the summary of the group's durations collected straight from the log.
#[test]
fn group_durations_equal_a_direct_summary_of_their_interactions() {
    use journey_map::stats::Durations;
    let (journey, log) = support::bank();
    let report =
        MetricsReport::compute(&journey, &log, &Selection::all(), MetricsOptions::default())
            .unwrap();
    let channels: Vec<&Channel> = report.by_channel.iter().map(|k| &k.key).collect();
    let persona_of = |r: &journey_map::InteractionRef<'_>| r.persona().map(|p| p.index());
    type Key = fn(&Journey, &[&Channel], Option<usize>, usize) -> usize;
    let tables: [(&str, Key, Vec<_>); 4] = [
        (
            "touchpoint",
            |_, _, _, tp| tp,
            report.by_touchpoint.iter().map(|k| &k.metrics).collect(),
        ),
        (
            "stage",
            |j, _, _, tp| j.stage_index(&j.touchpoints()[tp].stage).unwrap().index(),
            report.by_stage.iter().map(|k| &k.metrics).collect(),
        ),
        (
            "channel",
            |j, channels, _, tp| {
                channels
                    .iter()
                    .position(|c| **c == j.touchpoints()[tp].channel)
                    .unwrap()
            },
            report.by_channel.iter().map(|k| &k.metrics).collect(),
        ),
        (
            "persona",
            |j, _, persona, _| persona.unwrap_or(j.personas().len()),
            report.by_persona.iter().map(|k| &k.metrics).collect(),
        ),
    ];
    for (name, key, metrics) in tables {
        let mut waits = vec![Durations::default(); metrics.len()];
        let mut handling = vec![Durations::default(); metrics.len()];
        for record in log.interactions() {
            let group = key(
                &journey,
                &channels,
                persona_of(&record),
                record.touchpoint().index(),
            );
            if let Some(wait) = record.wait_seconds() {
                waits[group].push_millis((wait * 1000.0).round() as u64);
            }
            if let Some(h) = record.handling_seconds() {
                handling[group].push_millis((h * 1000.0).round() as u64);
            }
        }
        for (g, m) in metrics.iter().enumerate() {
            assert_eq!(m.wait_seconds, waits[g].summary(), "{name} {g} waits");
            assert_eq!(
                m.handling_seconds,
                handling[g].summary(),
                "{name} {g} handling"
            );
        }
        assert!(
            waits.iter().filter(|w| w.len() > 10).count() > 1,
            "{name}: real data"
        );
    }
}

/// Six customers, times in seconds from 09:00: a converts at 100 s, b at 300 s, e (from 200 s)
/// at 1,000 s; c and f stop in consideration (at 50 s and 700 s); d starts at 900 s. The log
/// ends at 1,000 s.
fn window_log(journey: &journey_map::Journey) -> journey_map::InteractionLog {
    let at = |s: i64| {
        "2026-01-05T09:00:00Z".parse::<jiff::Timestamp>().unwrap()
            + jiff::SignedDuration::from_secs(s)
    };
    let rows = [
        ("a", "search-ad", 0),
        ("a", "account-opened", 100),
        ("b", "search-ad", 0),
        ("b", "account-opened", 300),
        ("c", "search-ad", 0),
        ("c", "product-page", 50),
        ("d", "search-ad", 900),
        ("e", "search-ad", 200),
        ("e", "account-opened", 1_000),
        ("f", "search-ad", 0),
        ("f", "product-page", 700),
    ];
    let records: Vec<Interaction> = rows
        .iter()
        .map(|(c, t, s)| Interaction::new(*c, *t, at(*s), Outcome::Completed))
        .collect();
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    builder.finish().0
}

#[test]
fn time_to_convert_censors_only_customers_still_within_their_window() {
    let journey = bank();
    let log = window_log(&journey);
    let compute = |options: MetricsOptions| {
        MetricsReport::compute(&journey, &log, &Selection::all(), options)
            .unwrap()
            .journey
    };
    // No window: c, d and f have gone; a, b and e convert at 100, 300 and 800 s.
    let open = compute(MetricsOptions::default());
    let ttc = open.time_to_convert;
    assert_eq!((ttc.converted, ttc.censored, ttc.gone), (3, 0, 3));
    assert_eq!(ttc.median_seconds, Some(300.0));
    assert_eq!(ttc.p90_seconds, Some(800.0));
    assert_eq!(open.funnel[1].customers, 2, "c and f reach consideration");

    // A 600 s window: e converts too late to count; d started 100 s before the end of the
    // log, so d is still on the way (censored at 100 s); c, e and f have gone. Kaplan-Meier:
    // a converts at 100 s with 3 at risk (S = 2/3), d leaves the risk set, b converts at
    // 300 s with 1 at risk (S = 0).
    let window = compute(MetricsOptions::default().conversion_window_seconds(600));
    let ttc = window.time_to_convert;
    assert_eq!(
        (ttc.customers, ttc.converted, ttc.censored, ttc.gone),
        (6, 2, 1, 3)
    );
    assert_eq!(ttc.median_seconds, Some(300.0));
    assert_eq!(ttc.p90_seconds, Some(300.0));
    assert_eq!(
        window.goal_conversion.map(|r| (r.successes, r.trials)),
        Some((2, 6))
    );
    // f reached consideration 700 s after starting: outside the window, not in the funnel.
    assert_eq!(window.funnel[1].customers, 1);
    assert!(window.funnel.iter().all(|s| s.customers <= s.reached));

    // The window is part of the options, saved and read back.
    let options = MetricsOptions::default().conversion_window_seconds(600);
    let json = serde_json::to_string(&options).unwrap();
    assert_eq!(
        serde_json::from_str::<MetricsOptions>(&json).unwrap(),
        options
    );
}

/// An open ticket: the customer is still on their way. Outcome rates leave the interaction out,
/// and time to convert censors the customer at the end of the log, with or without a window.
#[test]
fn interactions_in_progress_are_open_not_gone() {
    let journey = bank();
    let csv = "customer,touchpoint,timestamp,outcome\n\
               a,search-ad,2026-01-05T09:00:00Z,completed\n\
               a,account-opened,2026-01-05T09:01:40Z,completed\n\
               b,search-ad,2026-01-05T09:00:00Z,completed\n\
               b,support-line,2026-01-05T09:03:20Z,In-Progress\n\
               c,search-ad,2026-01-05T09:00:00Z,completed\n\
               c,product-page,2026-01-05T09:00:50Z,completed\n\
               d,search-ad,2026-01-05T09:16:40Z,completed\n";
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.read_csv(csv.as_bytes()).unwrap();
    let (log, _) = builder.finish();
    let report =
        MetricsReport::compute(&journey, &log, &Selection::all(), MetricsOptions::default())
            .unwrap();
    let ttc = report.journey.time_to_convert;
    // a converts at 100 s; b is open, censored at 1,000 s (the end of the log); c and d left.
    assert_eq!((ttc.converted, ttc.censored, ttc.gone), (1, 1, 2));
    // Kaplan-Meier: a converts with a and b at risk: S = 1/2; b may still convert.
    assert_eq!(ttc.median_seconds, Some(100.0));
    assert_eq!(ttc.p90_seconds, None);
    let line =
        &report.by_touchpoint[journey.touchpoint_index("support-line").unwrap().index()].metrics;
    assert_eq!((line.interactions, line.in_progress), (1, 1));
    assert_eq!(line.completion, None, "no interaction there is over");
    // The outcome reads back and writes in CSV as in-progress.
    let b = log.customer_index("b").unwrap();
    let outcomes: Vec<Outcome> = log.customer_interactions(b).map(|i| i.outcome()).collect();
    assert_eq!(outcomes, [Outcome::Completed, Outcome::InProgress]);
    assert_eq!(
        "in-progress".parse::<Outcome>().unwrap(),
        Outcome::InProgress
    );
    assert_eq!(Outcome::InProgress.to_string(), "in-progress");
    assert_eq!(
        "open".parse::<Outcome>().unwrap_err().to_string(),
        "unknown outcome \"open\", expected one of completed, abandoned, failed, escalated, in-progress"
    );
}
