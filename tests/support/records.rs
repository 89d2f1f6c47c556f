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
