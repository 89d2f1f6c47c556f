//! The benchmark log: 1,000,000 seeded interactions of 100,000 customers on a journey.

#![allow(dead_code)]

use journey_map::{IngestOptions, Interaction, InteractionLog, Journey, LogBuilder, Outcome};

/// Interactions in the benchmark log.
pub const RECORDS: usize = 1_000_000;
/// Customers in the benchmark log.
pub const CUSTOMERS: usize = 100_000;

/// A seeded xorshift generator: the same records on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Ten interactions for each of 100,000 customers, at random touchpoints of the bank journey,
/// a third with scores, waits and need keys.
pub fn records(journey: &Journey) -> Vec<Interaction> {
    records_of(journey, CUSTOMERS)
}

/// Ten interactions for each of `customers` customers, as [`records`] makes them.
pub fn records_of(journey: &Journey, customers: usize) -> Vec<Interaction> {
    let count = customers * (RECORDS / CUSTOMERS);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let start = jiff::Timestamp::from_second(1_767_225_600).unwrap();
    let touchpoints = journey.touchpoints();
    let personas = journey.personas();
    (0..count)
        .map(|i| {
            let customer = i / (RECORDS / CUSTOMERS);
            let t = &touchpoints[rng.below(touchpoints.len() as u64) as usize];
            let at =
                start + jiff::SignedDuration::from_secs((customer * 600 + (i % 10) * 60) as i64);
            let mut record = Interaction::new(
                format!("c{customer}"),
                t.id.clone(),
                at,
                Outcome::ALL[rng.below(4) as usize],
            );
            if i % 10 == 0 {
                record = record.with_persona(personas[customer % personas.len()].id.clone());
            }
            if rng.below(3) == 0 {
                record = record
                    .with_csat(1 + rng.below(5) as u8)
                    .with_ces(1 + rng.below(7) as u8)
                    .with_nps(rng.below(11) as u8)
                    .with_wait_seconds(rng.below(900) as f64)
                    .with_handling_seconds(rng.below(1_200) as f64)
                    .with_sentiment((rng.below(201) as f64 - 100.0) / 100.0)
                    .with_need(format!("n{}", rng.below(3)))
                    .with_resolved(rng.below(2) == 0);
            }
            record
        })
        .collect()
}

/// The benchmark records attached to `journey`.
pub fn attached(journey: &Journey) -> InteractionLog {
    let records = records(journey);
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    builder.finish().0
}

/// The records as CSV, every column filled where the record has a value.
pub fn to_csv(records: &[Interaction]) -> String {
    let mut out = String::from(
        "customer,touchpoint,timestamp,outcome,persona,wait_seconds,handling_seconds,csat,ces,nps,sentiment,resolved,need\n",
    );
    for r in records {
        let opt = |v: Option<String>| v.unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.customer,
            r.touchpoint,
            r.timestamp.as_second(),
            r.outcome,
            opt(r.persona.as_ref().map(|p| p.to_string())),
            opt(r.wait_seconds.map(|v| v.to_string())),
            opt(r.handling_seconds.map(|v| v.to_string())),
            opt(r.csat.map(|v| v.to_string())),
            opt(r.ces.map(|v| v.to_string())),
            opt(r.nps.map(|v| v.to_string())),
            opt(r.sentiment.map(|v| v.to_string())),
            opt(r.resolved.map(|v| v.to_string())),
            opt(r.need.clone()),
        ));
    }
    out
}

/// The records as a help-desk export reads them: its own column names, display names for
/// touchpoints (two for one), its own statuses, local London times, an extra column to leave
/// out; with the mapping that reads it back.
pub fn to_export(
    journey: &Journey,
    records: &[Interaction],
) -> (String, journey_map::interactions::Mapping) {
    use journey_map::interactions::{Field, Mapping, TimeFormat};
    let statuses = [
        ("completed", "done"),
        ("abandoned", "dropped"),
        ("failed", "error"),
        ("escalated", "handed over"),
        ("in-progress", "open"),
    ];
    let mut mapping = Mapping::new()
        .column(Field::Customer, "Case Ref")
        .column(Field::Touchpoint, "Activity")
        .column(Field::Timestamp, "Event Time")
        .column(Field::Outcome, "Status")
        .column(Field::Persona, "Segment")
        .column(Field::WaitSeconds, "Queue (s)")
        .column(Field::HandlingSeconds, "Handle (s)")
        .column(Field::Csat, "CSAT")
        .column(Field::Ces, "CES")
        .column(Field::Nps, "NPS")
        .column(Field::Sentiment, "Sentiment")
        .column(Field::Resolved, "Resolved")
        .column(Field::Need, "Need")
        .ignore("Agent Team")
        .time(
            TimeFormat::default()
                .format("%Y-%m-%d %H:%M:%S")
                .zone("Europe/London"),
        );
    for (ours, theirs) in statuses {
        mapping = mapping.value(Field::Outcome, theirs, ours);
    }
    for t in journey.touchpoints() {
        mapping = mapping
            .event(format!("{} (web)", t.name), t.id.clone())
            .event(format!("{} (app)", t.name), t.id.clone());
    }
    let london = jiff::tz::TimeZone::get("Europe/London").unwrap();
    let mut out = String::from(
        "Case Ref,Activity,Event Time,Status,Segment,Queue (s),Handle (s),CSAT,CES,NPS,Sentiment,Resolved,Need,Agent Team\n",
    );
    for (i, r) in records.iter().enumerate() {
        let opt = |v: Option<String>| v.unwrap_or_default();
        let name = &journey.touchpoint(r.touchpoint.as_str()).unwrap().name;
        let local = r.timestamp.to_zoned_datetime(london.clone());
        let status = statuses
            .iter()
            .find(|(ours, _)| *ours == r.outcome.as_str())
            .unwrap()
            .1;
        out.push_str(&format!(
            "{},{name} ({}),{},{status},{},{},{},{},{},{},{},{},{},team-{}\n",
            r.customer,
            if i % 2 == 0 { "web" } else { "app" },
            local.strftime("%Y-%m-%d %H:%M:%S"),
            opt(r.persona.as_ref().map(|p| p.to_string())),
            opt(r.wait_seconds.map(|v| v.to_string())),
            opt(r.handling_seconds.map(|v| v.to_string())),
            opt(r.csat.map(|v| v.to_string())),
            opt(r.ces.map(|v| v.to_string())),
            opt(r.nps.map(|v| v.to_string())),
            opt(r.sentiment.map(|v| v.to_string())),
            opt(r.resolved.map(|v| v.to_string())),
            opt(r.need.clone()),
            i % 7,
        ));
    }
    (out, mapping)
}
