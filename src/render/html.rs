//! The HTML report: one self-contained file (no script, no network) with the map, the
//! friction table, the health figures, the paths and, when given, incidents and trends.

use std::fmt::Write as _;
use std::io;

use super::scene::period_text;
use super::text::{self, escape};
use super::{JourneyMap, RenderError};
use crate::PersonaId;
use crate::analysis::Variants;
use crate::analysis::friction::{IncidentReport, Trends, Unit};
use crate::analysis::metrics::{GroupMetrics, MetricsReport};
use crate::analysis::{FrictionPoint, FrictionReport};
use crate::stats::Rate;

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 "DejaVu Sans", Verdana, Arial, sans-serif; color: #1a1a1a; background: #fff; }
header, section, footer { padding: 0 24px; max-width: 1400px; margin: 0 auto; }
header { padding-top: 18px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 26px 0 10px; border-bottom: 2px solid #e0e0e0; padding-bottom: 4px; }
.sub { color: #555; margin: 0 0 8px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 0; }
.figure { border: 1px solid #d0d0d0; border-radius: 6px; padding: 8px 14px; min-width: 150px; }
.figure dt { font-size: 12px; color: #555; }
.figure dd { margin: 0; font-size: 20px; font-weight: bold; }
.figure small { font-weight: normal; font-size: 12px; color: #555; }
.map { overflow-x: auto; border: 1px solid #d0d0d0; border-radius: 6px; }
.map svg { display: block; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
th { background: #f3f3f3; font-size: 12px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rank { display: inline-block; min-width: 24px; padding: 1px 6px; border-radius: 12px; color: #fff; font-weight: bold; text-align: center; }
.high { background: #a50f15; } .medium { background: #e6550d; } .low { background: #fdae6b; color: #1a1a1a; } .structural { background: #6e6e6e; }
.bar { display: inline-block; height: 9px; background: #56b4e9; vertical-align: middle; }
.note { color: #555; font-size: 13px; }
footer { color: #777; font-size: 12px; padding-top: 20px; padding-bottom: 24px; }
@media print {
  body { font-size: 11px; }
  .map { overflow: visible; border: none; }
  .map svg { width: 100%; height: auto; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
"#;

/// A self-contained HTML report: the journey map, the ranked friction table with its
/// sentences and evidence, the health figures, the paths and, when given, incidents and
/// trends.
///
/// One file with its style inline and no script: it opens without network access, reads on
/// a laptop screen (the map scrolls sideways within its frame) and prints (the map is scaled
/// to the page).
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{DetectFriction, FrictionConfig, MetricsReport, ObservePaths, Selection};
/// use journey_map::render::{HtmlReport, JourneyMap};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
/// let everyone = Selection::all();
/// let metrics = MetricsReport::compute(&journey, &log, &everyone, Default::default())?;
/// let friction = journey.detect_friction(&log, &everyone, &FrictionConfig::default())?;
/// let variants = journey.variants(&log, &everyone, 5)?;
///
/// let map = JourneyMap::new(&journey).metrics(&metrics).friction(&friction);
/// let html = HtmlReport::new(map).variants(&variants).to_html()?;
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("Friction, ranked by impact") && html.contains("<svg"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct HtmlReport<'a> {
    map: JourneyMap<'a>,
    variants: Option<&'a Variants>,
    incidents: Option<&'a IncidentReport>,
    trends: Option<&'a Trends>,
}

impl<'a> HtmlReport<'a> {
    /// A report around `map`: its journey, its reports and its options (persona, period).
    pub fn new(map: JourneyMap<'a>) -> Self {
        HtmlReport {
            map,
            variants: None,
            incidents: None,
            trends: None,
        }
    }

    /// The most walked paths.
    pub fn variants(mut self, variants: &'a Variants) -> Self {
        self.variants = Some(variants);
        self
    }

    /// Incidents: windows where a place departed from its own history.
    pub fn incidents(mut self, incidents: &'a IncidentReport) -> Self {
        self.incidents = Some(incidents);
        self
    }

    /// Trends: the journey's customers and conversion by bucket.
    pub fn trends(mut self, trends: &'a Trends) -> Self {
        self.trends = Some(trends);
        self
    }

    /// The report as one HTML document.
    ///
    /// # Errors
    ///
    /// As [`JourneyMap::to_svg`].
    ///
    /// # Complexity
    ///
    /// The map's, plus linear in the friction points, variants, incidents and buckets.
    pub fn to_html(&self) -> Result<String, RenderError> {
        let scene = self.map.scene()?;
        let svg = super::svg::draw(&scene, self.map.options.friction_listed);
        let journey = self.map.journey;
        let persona = self.map.options.persona.as_ref();
        let mut out = String::with_capacity(svg.len() + 16_384);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            escape(&format!("{}: journey report", scene.title))
        );
        let _ = write!(
            out,
            "<header>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
            escape(&scene.title),
            escape(&scene.subtitle)
        );
        if let Some(description) = journey.description() {
            let _ = writeln!(out, "<p>{}</p>", escape(description));
        }
        out.push_str("</header>\n");
        if let Some(metrics) = self.map.metrics {
            health(&mut out, metrics, self.map.friction, persona);
        }
        out.push_str("<section id=\"map\">\n<h2>Journey map</h2>\n<div class=\"map\">\n");
        out.push_str(&svg);
        out.push_str("</div>\n</section>\n");
        if let Some(friction) = self.map.friction {
            friction_table(&mut out, friction, &scene);
        }
        if let Some(metrics) = self.map.metrics {
            stages(&mut out, journey, metrics, persona);
        }
        if let Some(variants) = self.variants {
            paths(&mut out, journey, variants);
        }
        if let Some(incidents) = self.incidents {
            incident_table(&mut out, incidents);
        }
        if let Some(trends) = self.trends {
            trend_table(&mut out, trends);
        }
        let _ = write!(
            out,
            "<footer>Made with journey-map {}. Friction points are places where a test against comparable places (or a designed rate, or a service level) found a difference, after the Benjamini-Hochberg correction; intervals are 95%.</footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        Ok(out)
    }

    /// Writes the report to `out` (see [`HtmlReport::to_html`]).
    ///
    /// # Errors
    ///
    /// As [`HtmlReport::to_html`], and [`RenderError::Write`] when writing fails.
    pub fn write_html(&self, mut out: impl io::Write) -> Result<(), RenderError> {
        out.write_all(self.to_html()?.as_bytes())
            .map_err(RenderError::Write)
    }
}

fn rate(rate: Option<Rate>) -> String {
    rate.map_or_else(|| "–".to_owned(), |r| text::percent(r.value))
}

fn figure(out: &mut String, label: &str, value: &str, note: &str) {
    let _ = writeln!(
        out,
        "<div class=\"figure\"><dt>{}</dt><dd>{}{}</dd></div>",
        escape(label),
        escape(value),
        if note.is_empty() {
            String::new()
        } else {
            format!(" <small>{}</small>", escape(note))
        }
    );
}

/// Whether a metrics report covers one persona's customers alone (it was computed on that
/// persona's selection): then its journey-wide figures are the persona's.
fn only(metrics: &MetricsReport, persona: &PersonaId) -> bool {
    metrics
        .by_persona
        .iter()
        .all(|k| k.key.as_ref() == Some(persona) || k.metrics.customers == 0)
}

fn health(
    out: &mut String,
    metrics: &MetricsReport,
    friction: Option<&FrictionReport>,
    persona: Option<&PersonaId>,
) {
    out.push_str("<section id=\"health\">\n<h2>Health</h2>\n<dl class=\"figures\">\n");
    let j = &metrics.journey;
    // A persona's view of a report of everyone: the persona's own group, and no journey-wide
    // figure that would be everyone's.
    let groups: Vec<&GroupMetrics> = match persona {
        None => metrics.by_persona.iter().map(|k| &k.metrics).collect(),
        Some(p) => metrics
            .by_persona
            .iter()
            .filter(|k| k.key.as_ref() == Some(p))
            .map(|k| &k.metrics)
            .collect(),
    };
    let journey_wide = persona.is_none_or(|p| only(metrics, p));
    if journey_wide {
        figure(out, "Customers", &text::count(j.customers), "");
        if j.journeys != j.customers {
            figure(out, "Journeys", &text::count(j.journeys), "");
        }
    } else {
        let customers = groups.iter().map(|g| g.customers).sum::<u64>();
        figure(out, "Customers", &text::count(customers), "of this persona");
    }
    if let Some(goal) = j.goal_conversion.filter(|_| journey_wide) {
        figure(
            out,
            "Reached a goal",
            &text::percent(goal.value),
            &format!(
                "95% {}–{}",
                text::percent(goal.interval.low),
                text::percent(goal.interval.high)
            ),
        );
    }
    if let Some(median) = j.time_to_convert.median_seconds.filter(|_| journey_wide) {
        figure(out, "Median time to convert", &text::duration(median), "");
    }
    // Pooled over the persona groups, which split every interaction once (stages or
    // touchpoints would count customers twice).
    let pooled = |f: fn(&GroupMetrics) -> Option<(u64, f64)>| {
        let mut n = 0u64;
        let mut sum = 0.0;
        for group in &groups {
            if let Some((count, value)) = f(group) {
                n += count;
                sum += value * count as f64;
            }
        }
        (n > 0).then(|| sum / n as f64)
    };
    if let Some(nps) = pooled(|m| m.nps.map(|n| (n.respondents, n.score))) {
        figure(out, "NPS", &format!("{nps:+.0}"), "");
    }
    if let Some(csat) = pooled(|m| m.csat.map(|c| (c.respondents, c.good.value))) {
        figure(out, "CSAT top-two-box", &text::percent(csat), "");
    }
    if let Some(ces) = pooled(|m| m.ces.map(|c| (c.respondents, c.good.value))) {
        figure(out, "Easy (CES)", &text::percent(ces), "");
    }
    if let Some(report) = friction {
        figure(
            out,
            "Friction points",
            &text::count(report.points.len() as u64),
            &format!("from {} tests", text::count(report.tests)),
        );
    }
    out.push_str("</dl>\n</section>\n");
}

fn evidence(point: &FrictionPoint) -> String {
    let Some(e) = &point.evidence else {
        return "–".to_owned();
    };
    let value = |v: f64| match e.unit {
        Unit::Share => text::percent(v),
        Unit::Seconds => text::duration(v),
    };
    format!(
        "{} against {} ({}); 95% {}–{}, n = {}, q = {:.1e}",
        value(e.observed),
        value(e.baseline),
        e.baseline_of,
        value(e.interval.low),
        value(e.interval.high),
        text::count(e.sample_size),
        e.q
    )
}

fn friction_table(out: &mut String, report: &FrictionReport, scene: &super::scene::Scene) {
    let _ = writeln!(
        out,
        "<section id=\"friction\">\n<h2>Friction, ranked by impact</h2>\n<p class=\"note\">{} customers, {} converted; {} tests, {} places not tested for lack of data.</p>",
        text::count(report.customers),
        text::count(report.converted),
        text::count(report.tests),
        text::count(report.untested)
    );
    if report.points.is_empty() {
        out.push_str("<p>No friction found.</p>\n");
    } else {
        out.push_str("<table>\n<thead><tr><th class=\"n\">Rank</th><th>Kind</th><th>Where</th><th>What</th><th class=\"n\">Customers</th><th class=\"n\">Lost conversions</th><th>Evidence</th></tr></thead>\n<tbody>\n");
        for (rank, point) in report.points.iter().enumerate() {
            // The scene's marks hold the impact level of each ranked point it shows.
            let level = scene
                .marks
                .iter()
                .find(|m| m.rank == Some(rank + 1))
                .map_or("low", |m| match m.impact {
                    super::scene::Impact::High => "high",
                    super::scene::Impact::Medium => "medium",
                    super::scene::Impact::Low => "low",
                    super::scene::Impact::Structural => "structural",
                });
            let place = match (&point.persona, &point.segment) {
                (Some(p), _) => format!("{} ({p})", point.location),
                (None, Some(s)) => format!("{} ({} = {})", point.location, s.segment, s.value),
                (None, None) => point.location.to_string(),
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"n\"><span class=\"rank {level}\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                rank + 1,
                escape(point.kind.as_str()),
                escape(&place),
                escape(&point.summary),
                text::count(point.customers_affected),
                point
                    .lost_conversions
                    .filter(|l| l.is_finite())
                    .map_or_else(|| "–".to_owned(), |l| text::number(l, 1)),
                escape(&evidence(point))
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !report.structural.is_empty() {
        out.push_str("<h3>Gaps in the map</h3>\n<ul>\n");
        for point in &report.structural {
            let _ = writeln!(out, "<li>{}</li>", escape(&point.summary));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn stage_row(
    out: &mut String,
    name: &str,
    customers: u64,
    widest: u64,
    from: &str,
    m: Option<&GroupMetrics>,
) {
    let bar = if widest > 0 {
        (customers as f64 / widest as f64 * 80.0).round()
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td class=\"n\">{} <span class=\"bar\" style=\"width:{bar}px\"></span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        escape(name),
        text::count(customers),
        from,
        m.and_then(|m| m.nps)
            .map_or_else(|| "–".to_owned(), |n| format!("{:+.0}", n.score)),
        rate(m.and_then(|m| m.csat).map(|c| c.good)),
        rate(m.and_then(|m| m.ces).map(|c| c.good)),
        m.and_then(|m| m.sentiment)
            .map_or_else(|| "–".to_owned(), |s| text::number(s.mean, 2)),
    );
}

fn stages(
    out: &mut String,
    journey: &crate::Journey,
    metrics: &MetricsReport,
    persona: Option<&PersonaId>,
) {
    let name_of = |id: &crate::StageId| {
        journey
            .stage(id.as_str())
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let head = |counted: &str| {
        format!(
            "<section id=\"stages\">\n<h2>Funnel and satisfaction by stage</h2>\n<table>\n<thead><tr><th>Stage</th><th class=\"n\">{counted}</th><th class=\"n\">From previous</th><th class=\"n\">NPS</th><th class=\"n\">CSAT top-two</th><th class=\"n\">Easy (CES)</th><th class=\"n\">Mean sentiment</th></tr></thead>\n<tbody>\n"
        )
    };
    match persona.filter(|p| !only(metrics, p)) {
        None => {
            out.push_str(&head("Customers in order"));
            let widest = metrics
                .journey
                .funnel
                .iter()
                .map(|f| f.customers)
                .max()
                .unwrap_or(0);
            for step in &metrics.journey.funnel {
                let m = metrics
                    .by_stage
                    .iter()
                    .find(|k| k.key == step.stage)
                    .map(|k| &k.metrics);
                let from = rate(step.from_previous);
                stage_row(out, &name_of(&step.stage), step.customers, widest, &from, m);
            }
        }
        Some(p) => {
            // A persona's view of a report of everyone: its customers in each stage.
            out.push_str(&head("The persona's customers in the stage"));
            let rows: Vec<_> = metrics
                .by_persona_stage
                .iter()
                .filter(|k| k.key.0.as_ref() == Some(p))
                .collect();
            let widest = rows.iter().map(|k| k.metrics.customers).max().unwrap_or(0);
            for k in rows {
                let name = name_of(&k.key.1);
                stage_row(
                    out,
                    &name,
                    k.metrics.customers,
                    widest,
                    "–",
                    Some(&k.metrics),
                );
            }
        }
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn paths(out: &mut String, journey: &crate::Journey, variants: &Variants) {
    let _ = writeln!(
        out,
        "<section id=\"paths\">\n<h2>Most walked paths</h2>\n<p class=\"note\">{} customers walked {} distinct paths; the {} below cover {} of them.</p>",
        text::count(variants.customers),
        text::count(variants.distinct),
        variants.top.len(),
        text::percent(variants.top.iter().map(|v| v.share).sum::<f64>())
    );
    out.push_str("<table>\n<thead><tr><th class=\"n\">Customers</th><th class=\"n\">Share</th><th class=\"n\">Converted</th><th>Path</th></tr></thead>\n<tbody>\n");
    for variant in &variants.top {
        let names: Vec<&str> = variant
            .touchpoints
            .iter()
            .map(|t| {
                journey
                    .touchpoint(t.as_str())
                    .map_or(t.as_str(), |tp| tp.name.as_str())
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            text::count(variant.customers),
            text::percent(variant.share),
            text::count(variant.converted),
            escape(&names.join(" → "))
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn incident_table(out: &mut String, report: &IncidentReport) {
    out.push_str("<section id=\"incidents\">\n<h2>Incidents</h2>\n");
    if report.incidents.is_empty() {
        out.push_str("<p>No window departed from its own history.</p>\n");
    } else {
        out.push_str("<table>\n<thead><tr><th>When</th><th>Kind</th><th>Where</th><th>What</th><th class=\"n\">Customers</th></tr></thead>\n<tbody>\n");
        for incident in &report.incidents {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                escape(&period_text(incident.start, incident.end)),
                escape(incident.kind.as_str()),
                escape(&incident.location.to_string()),
                escape(&incident.summary),
                text::count(incident.customers_affected)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn trend_table(out: &mut String, trends: &Trends) {
    out.push_str("<section id=\"trends\">\n<h2>Trends</h2>\n<table>\n<thead><tr><th>Period</th><th class=\"n\">Customers who started</th><th class=\"n\">Interactions</th><th class=\"n\">Reached a goal</th></tr></thead>\n<tbody>\n");
    for (bucket, point) in trends.buckets.iter().zip(&trends.journey) {
        let bar = point.conversion.map_or(0.0, |r| (r.value * 80.0).round());
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} <span class=\"bar\" style=\"width:{bar}px\"></span></td></tr>",
            escape(&period_text(bucket.start, bucket.end)),
            text::count(point.customers),
            text::count(point.interactions),
            rate(point.conversion)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
