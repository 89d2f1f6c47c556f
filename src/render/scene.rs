//! What a picture shows, gathered once from the journey and its reports: visible touchpoints
//! in lanes and stage columns, flows with observed volumes, friction marks with their ranks,
//! the emotion curve and the funnel. Every format (SVG, DOT, Mermaid, HTML) draws a scene.

use std::collections::HashMap;

use super::text;
use super::{Lanes, MapOptions, RenderError};
use crate::analysis::friction::Location;
use crate::analysis::metrics::{EmotionPoint, GroupMetrics};
use crate::analysis::{DirectlyFollowsGraph, FrictionKind, FrictionReport, MetricsReport};
use crate::{Journey, PersonaIndex, TouchpointIndex, TouchpointKind};

/// How much a friction point weighs against the others of its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Impact {
    /// A structural gap of the map (dead end, unreachable): no test, no impact figure.
    Structural,
    /// Below 15% of the report's highest impact.
    Low,
    /// From 15% to half of the highest impact.
    Medium,
    /// At least half of the highest impact.
    High,
}

impl Impact {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Impact::High => "high impact",
            Impact::Medium => "medium impact",
            Impact::Low => "low impact",
            Impact::Structural => "gap in the map",
        }
    }
}

/// One friction point as drawn: its rank in the report, where it is, in words.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    /// 1-based rank in the report's ranking; `None` for structural points.
    pub rank: Option<usize>,
    pub kind: FrictionKind,
    pub impact: Impact,
    /// The place in names: "Verification callback", "E-mail -> Letter".
    pub place: String,
    pub summary: String,
    pub customers: u64,
    pub lost: Option<f64>,
}

impl Mark {
    /// The badge text: the rank, or `!` for a structural gap.
    pub(crate) fn badge(&self) -> String {
        self.rank.map_or_else(|| "!".to_owned(), |r| r.to_string())
    }
}

/// A stage column.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub name: String,
    /// Marks located on the whole stage.
    pub marks: Vec<usize>,
    /// The funnel at this stage: customers, and the share of the first stage's.
    pub funnel: Option<(u64, f64)>,
    /// The emotion curve's point here.
    pub emotion: Option<EmotionValue>,
}

/// A point of the emotion curve.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EmotionValue {
    pub mean: f64,
    /// The 95% interval of the mean: low, high.
    pub interval: Option<(f64, f64)>,
    /// Values it is the mean of.
    pub count: u64,
}

/// A lane: a channel, or a persona.
#[derive(Debug, Clone)]
pub(crate) struct Lane {
    pub name: String,
    /// The cards in each stage column, in journey order.
    pub cells: Vec<Vec<usize>>,
}

/// A touchpoint's card.
#[derive(Debug, Clone)]
pub(crate) struct Card {
    pub id: String,
    pub name: String,
    pub channel: String,
    pub kind: TouchpointKind,
    pub owner: Option<String>,
    pub entry: bool,
    pub goal: bool,
    pub stage: usize,
    pub lane: usize,
    /// Position within its cell, from the top.
    pub slot: usize,
    pub customers: Option<u64>,
    /// The key metric in words: "median wait 58 s", "92% completed".
    pub metric: Option<String>,
    pub marks: Vec<usize>,
}

/// A move drawn between two cards.
#[derive(Debug, Clone)]
pub(crate) struct Arrow {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
    /// Designed by the map (else an observed off-map move).
    pub designed: bool,
    /// Moves observed, when a directly-follows graph was given.
    pub observed: Option<u64>,
    pub marks: Vec<usize>,
}

/// The emotion curve's measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Measure {
    Sentiment,
    Csat,
}

impl Measure {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Measure::Sentiment => "Mean sentiment",
            Measure::Csat => "Mean CSAT",
        }
    }
}

/// Everything a picture shows.
#[derive(Debug, Clone)]
pub(crate) struct Scene {
    pub title: String,
    /// Persona, period and sample size, as one line.
    pub subtitle: String,
    pub columns: Vec<Column>,
    pub lanes: Vec<Lane>,
    pub cards: Vec<Card>,
    pub arrows: Vec<Arrow>,
    pub marks: Vec<Mark>,
    /// Marks located on the whole journey.
    pub journey_marks: Vec<usize>,
    pub measure: Option<Measure>,
    /// Whether the funnel is in order (the whole journey's) or per stage (a persona's).
    pub funnel_in_order: bool,
    /// Off-map moves observed but not drawn (beyond the options' limit).
    pub hidden_off_map: usize,
    /// The largest observed volume of a drawn arrow.
    pub max_observed: u64,
    pub has_metrics: bool,
    pub has_friction: bool,
}

/// The inputs of a picture.
pub(crate) struct Inputs<'a> {
    pub journey: &'a Journey,
    pub metrics: Option<&'a MetricsReport>,
    pub friction: Option<&'a FrictionReport>,
    pub follows: Option<&'a DirectlyFollowsGraph>,
    pub options: &'a MapOptions,
}

fn mismatch(report: &'static str, id: &str) -> RenderError {
    RenderError::NotInJourney {
        report,
        id: id.to_owned(),
    }
}

impl Scene {
    /// Gathers the scene.
    ///
    /// # Errors
    ///
    /// [`RenderError::UnknownPersona`] for a persona view of a persona the journey does not
    /// have; [`RenderError::NotInJourney`] when a report names a touchpoint or stage the
    /// journey does not have (a report of another journey).
    pub(crate) fn new(inputs: &Inputs<'_>) -> Result<Scene, RenderError> {
        let journey = inputs.journey;
        let options = inputs.options;
        let persona: Option<PersonaIndex> = match &options.persona {
            Some(id) => Some(
                journey
                    .resolve_persona(id.as_str())
                    .map_err(RenderError::UnknownPersona)?,
            ),
            None => None,
        };
        let persona_item = persona.and_then(|p| journey.persona_at(p));
        if let Some(metrics) = inputs.metrics {
            check_metrics(journey, metrics)?;
        }

        // Which touchpoints are shown: a persona's own when it lists them.
        let touchpoints = journey.touchpoints();
        let mut visible = vec![true; touchpoints.len()];
        if let Some(p) = persona_item
            && !p.uses.is_empty()
        {
            visible.fill(false);
            for used in &p.uses {
                if let Some(t) = journey.touchpoint_index(used.as_str()) {
                    visible[t.index()] = true;
                }
            }
        }

        // Friction marks, ranked as in the report.
        let mut marks = Vec::new();
        let mut touchpoint_marks: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut flow_marks: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        let mut stage_marks: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut journey_marks = Vec::new();
        if let Some(report) = inputs.friction {
            let top = report
                .points
                .iter()
                .map(|p| p.impact)
                .filter(|i| i.is_finite())
                .fold(0.0_f64, f64::max);
            let ranked = report
                .points
                .iter()
                .enumerate()
                .map(|(i, p)| (Some(i + 1), p));
            let structural = report.structural.iter().map(|p| (None, p));
            for (rank, point) in ranked.chain(structural) {
                let persona_id = persona_item.map(|p| &p.id);
                if point.persona.is_some() && point.persona.as_ref() != persona_id {
                    continue;
                }
                let impact = if rank.is_none() {
                    Impact::Structural
                } else if top > 0.0 && point.impact >= 0.5 * top {
                    Impact::High
                } else if top > 0.0 && point.impact >= 0.15 * top {
                    Impact::Medium
                } else {
                    Impact::Low
                };
                // A persona's view shows the friction where its touchpoints are.
                let shown = |id: &crate::TouchpointId| {
                    journey
                        .touchpoint_index(id.as_str())
                        .is_none_or(|t| visible[t.index()])
                };
                match &point.location {
                    Location::Touchpoint { touchpoint, .. } if !shown(touchpoint) => continue,
                    Location::Flow { from, to } if !shown(from) || !shown(to) => continue,
                    _ => {}
                }
                let index = marks.len();
                let name_of = |id: &str| -> Result<(usize, String), RenderError> {
                    let t = journey
                        .touchpoint_index(id)
                        .ok_or_else(|| mismatch("friction report", id))?;
                    Ok((t.index(), touchpoints[t.index()].name.clone()))
                };
                let place = match &point.location {
                    Location::Touchpoint { touchpoint, .. } => {
                        let (t, name) = name_of(touchpoint.as_str())?;
                        touchpoint_marks.entry(t).or_default().push(index);
                        name
                    }
                    Location::Flow { from, to } => {
                        let (a, from) = name_of(from.as_str())?;
                        let (b, to) = name_of(to.as_str())?;
                        flow_marks.entry((a, b)).or_default().push(index);
                        format!("{from} → {to}")
                    }
                    Location::Stage { stage } => {
                        let s = journey
                            .stage_index(stage.as_str())
                            .ok_or_else(|| mismatch("friction report", stage.as_str()))?;
                        stage_marks.entry(s.index()).or_default().push(index);
                        format!("stage {}", journey.stages()[s.index()].name)
                    }
                    _ => {
                        journey_marks.push(index);
                        "the whole journey".to_owned()
                    }
                };
                let place = match (&point.persona, &point.segment) {
                    (Some(p), _) => format!("{place} ({})", persona_name(journey, p.as_str())),
                    (None, Some(s)) => format!("{place} ({} = {})", s.segment, s.value),
                    (None, None) => place,
                };
                marks.push(Mark {
                    rank,
                    kind: point.kind,
                    impact,
                    place,
                    summary: point.summary.clone(),
                    customers: point.customers_affected,
                    lost: point.lost_conversions,
                });
            }
        }

        // Lanes and cards.
        let stage_count = journey.stages().len();
        let mut lanes: Vec<Lane> = Vec::new();
        let mut cards: Vec<Card> = Vec::new();
        let mut cards_of: Vec<Vec<usize>> = vec![Vec::new(); touchpoints.len()];
        // `whose`: the persona whose volumes and metric the card shows (a persona lane's
        // persona, else the view's), `None` for everyone.
        let view_persona = persona_item.map(|p| p.id.as_str());
        let mut add_card = |lanes: &mut Vec<Lane>, lane: usize, t: usize, whose: Option<&str>| {
            let tp = &touchpoints[t];
            let stage = journey
                .stage_index_of(TouchpointIndex::from_usize(t))
                .map_or(0, |s| s.index());
            let cell = &mut lanes[lane].cells[stage];
            let card = cards.len();
            cell.push(card);
            cards_of[t].push(card);
            let group = inputs.metrics.and_then(|m| touchpoint_metrics(m, whose, t));
            cards.push(Card {
                id: tp.id.to_string(),
                name: tp.name.clone(),
                channel: tp.channel.to_string(),
                kind: tp.kind.clone(),
                owner: tp.owner.clone(),
                entry: tp.is_entry,
                goal: tp.is_goal,
                stage,
                lane,
                slot: cell.len() - 1,
                customers: group.map(|g| g.customers),
                metric: group.and_then(|g| key_metric(&tp.kind, g)),
                marks: touchpoint_marks.get(&t).cloned().unwrap_or_default(),
            });
        };
        let new_lane = |name: String| Lane {
            name,
            cells: vec![Vec::new(); stage_count],
        };
        match options.lanes {
            Lanes::Channel => {
                let mut lane_of: Vec<(&crate::Channel, usize)> = Vec::new();
                for (t, tp) in touchpoints.iter().enumerate() {
                    if !visible[t] {
                        continue;
                    }
                    let lane = match lane_of.iter().find(|(c, _)| **c == tp.channel) {
                        Some(&(_, lane)) => lane,
                        None => {
                            lanes.push(new_lane(capitalise(&tp.channel.to_string())));
                            lane_of.push((&tp.channel, lanes.len() - 1));
                            lanes.len() - 1
                        }
                    };
                    add_card(&mut lanes, lane, t, view_persona);
                }
            }
            Lanes::Persona => {
                let mut used = vec![false; touchpoints.len()];
                for (p, item) in journey.personas().iter().enumerate() {
                    if persona.is_some_and(|only| only.index() != p) || item.uses.is_empty() {
                        continue;
                    }
                    lanes.push(new_lane(item.name.clone()));
                    let lane = lanes.len() - 1;
                    let mut theirs: Vec<usize> = item
                        .uses
                        .iter()
                        .filter_map(|u| journey.touchpoint_index(u.as_str()))
                        .map(|t| t.index())
                        .filter(|&t| visible[t])
                        .collect();
                    theirs.sort_unstable();
                    theirs.dedup();
                    for t in theirs {
                        used[t] = true;
                        add_card(&mut lanes, lane, t, Some(item.id.as_str()));
                    }
                }
                let rest: Vec<usize> = (0..touchpoints.len())
                    .filter(|&t| visible[t] && !used[t])
                    .collect();
                if !rest.is_empty() {
                    lanes.push(new_lane(if persona.is_some() {
                        "Also shown".to_owned()
                    } else {
                        "Any persona".to_owned()
                    }));
                    let lane = lanes.len() - 1;
                    for t in rest {
                        add_card(&mut lanes, lane, t, view_persona);
                    }
                }
            }
        }

        // Arrows: designed flows with their observed volumes, then the largest off-map moves.
        let mut observed: HashMap<(usize, usize), u64> = HashMap::new();
        let mut off_map: Vec<(usize, usize, u64)> = Vec::new();
        if let Some(graph) = inputs.follows {
            let designed: std::collections::HashSet<(usize, usize)> = journey
                .flow_ends()
                .map(|(_, a, b)| (a.index(), b.index()))
                .collect();
            for edge in &graph.edges {
                let a = journey
                    .touchpoint_index(edge.from.as_str())
                    .ok_or_else(|| mismatch("directly-follows graph", edge.from.as_str()))?;
                let b = journey
                    .touchpoint_index(edge.to.as_str())
                    .ok_or_else(|| mismatch("directly-follows graph", edge.to.as_str()))?;
                let key = (a.index(), b.index());
                if designed.contains(&key) {
                    observed.insert(key, edge.count);
                } else {
                    off_map.push((key.0, key.1, edge.count));
                }
            }
        }
        // Most moves first; ties in journey order, so the picture is deterministic.
        off_map.sort_by(|x, y| y.2.cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
        let target = |cards: &[Card], from_card: usize, b: usize| -> Option<usize> {
            let lane = cards[from_card].lane;
            cards_of[b]
                .iter()
                .copied()
                .find(|&c| cards[c].lane == lane)
                .or_else(|| cards_of[b].first().copied())
        };
        let mut arrows = Vec::new();
        for (flow, a, b) in journey.flow_ends() {
            let key = (a.index(), b.index());
            for &from in &cards_of[a.index()] {
                let Some(to) = target(&cards, from, b.index()) else {
                    continue;
                };
                arrows.push(Arrow {
                    from,
                    to,
                    label: flow.label.clone(),
                    designed: true,
                    observed: inputs
                        .follows
                        .map(|_| observed.get(&key).copied().unwrap_or(0)),
                    marks: flow_marks.get(&key).cloned().unwrap_or_default(),
                });
            }
        }
        let mut hidden_off_map = 0;
        let mut drawn_off_map = 0;
        for (a, b, count) in off_map {
            let ends = cards_of[a]
                .first()
                .and_then(|&from| Some((from, target(&cards, from, b)?)));
            match ends {
                Some((from, to)) if drawn_off_map < options.off_map_moves => {
                    drawn_off_map += 1;
                    arrows.push(Arrow {
                        from,
                        to,
                        label: None,
                        designed: false,
                        observed: Some(count),
                        marks: flow_marks.get(&(a, b)).cloned().unwrap_or_default(),
                    });
                }
                _ => hidden_off_map += 1,
            }
        }
        let max_observed = arrows.iter().filter_map(|a| a.observed).max().unwrap_or(0);

        // Stage columns: funnel and emotion curve.
        let persona_key = persona_item.map(|p| &p.id);
        let mut columns: Vec<Column> = journey
            .stages()
            .iter()
            .enumerate()
            .map(|(s, stage)| Column {
                name: stage.name.clone(),
                marks: stage_marks.get(&s).cloned().unwrap_or_default(),
                funnel: None,
                emotion: None,
            })
            .collect();
        let mut measure = None;
        if let Some(metrics) = inputs.metrics {
            // The funnel: in order for everyone; a persona's customers per stage.
            let counts: Vec<u64> = match persona_key {
                None => metrics.journey.funnel.iter().map(|f| f.customers).collect(),
                Some(p) => journey
                    .stages()
                    .iter()
                    .map(|stage| {
                        metrics
                            .by_persona_stage
                            .iter()
                            .find(|k| k.key.0.as_ref() == Some(p) && k.key.1 == stage.id)
                            .map_or(0, |k| k.metrics.customers)
                    })
                    .collect(),
            };
            let base = counts.iter().copied().max().unwrap_or(0);
            for (column, &n) in columns.iter_mut().zip(&counts) {
                column.funnel = Some((
                    n,
                    if base > 0 {
                        n as f64 / base as f64
                    } else {
                        0.0
                    },
                ));
            }
            let curve: &[EmotionPoint] = match persona_key {
                None => &metrics.journey.emotion_curve,
                Some(p) => metrics
                    .journey
                    .emotion_curve_by_persona
                    .iter()
                    .find(|c| c.key.as_ref() == Some(p))
                    .map_or(&[], |c| &c.curve),
            };
            let sentiments = curve.iter().filter(|p| p.sentiment.is_some()).count();
            let csats = curve.iter().filter(|p| p.csat.is_some()).count();
            measure = if sentiments == 0 && csats == 0 {
                None
            } else if sentiments >= csats {
                Some(Measure::Sentiment)
            } else {
                Some(Measure::Csat)
            };
            for point in curve {
                let Some(s) = journey.stage_index(point.stage.as_str()) else {
                    return Err(mismatch("metrics report", point.stage.as_str()));
                };
                let value = match measure {
                    Some(Measure::Sentiment) => point
                        .sentiment
                        .map(|m| (m, point.sentiment_interval, point.sentiment_count)),
                    Some(Measure::Csat) => point
                        .csat
                        .map(|m| (m, point.csat_interval, point.csat_count)),
                    None => None,
                };
                columns[s.index()].emotion =
                    value
                        .filter(|(m, _, _)| m.is_finite())
                        .map(|(mean, i, count)| EmotionValue {
                            mean,
                            interval: i
                                .filter(|i| i.low.is_finite() && i.high.is_finite())
                                .map(|i| (i.low, i.high)),
                            count,
                        });
            }
        }

        // Title and subtitle.
        let mut subtitle = Vec::new();
        if let Some(p) = persona_item {
            subtitle.push(format!("Persona: {}", p.name));
        }
        if let Some((start, end)) = options.period {
            subtitle.push(period_text(start, end));
        }
        let sample = inputs
            .metrics
            .map(|m| match persona_key {
                None => m.journey.customers,
                Some(p) => m
                    .by_persona
                    .iter()
                    .find(|k| k.key.as_ref() == Some(p))
                    .map_or(0, |k| k.metrics.customers),
            })
            .or(inputs.friction.map(|f| f.customers))
            .or(inputs.follows.map(|f| f.customers));
        if let Some(n) = sample {
            subtitle.push(format!(
                "{} customer{}",
                text::count(n),
                if n == 1 { "" } else { "s" }
            ));
        }
        if subtitle.is_empty() {
            subtitle.push(format!(
                "{} stages, {} touchpoints, {} designed flows",
                journey.stages().len(),
                journey.touchpoints().len(),
                journey.flows().len()
            ));
        }

        Ok(Scene {
            title: journey.name().to_owned(),
            subtitle: subtitle.join(" · "),
            columns,
            lanes,
            cards,
            arrows,
            marks,
            journey_marks,
            measure,
            funnel_in_order: persona_key.is_none(),
            hidden_off_map,
            max_observed,
            has_metrics: inputs.metrics.is_some(),
            has_friction: inputs.friction.is_some(),
        })
    }

    /// The marks of a card, a flow or a stage, worst first.
    pub(crate) fn worst(&self, marks: &[usize]) -> Option<Impact> {
        marks.iter().map(|&m| self.marks[m].impact).max()
    }
}

/// Checks that a metrics report is of this journey: one entry per touchpoint, same ids.
fn check_metrics(journey: &Journey, metrics: &MetricsReport) -> Result<(), RenderError> {
    let touchpoints = journey.touchpoints();
    if metrics.by_touchpoint.len() != touchpoints.len() {
        let extra = metrics
            .by_touchpoint
            .iter()
            .find(|k| journey.touchpoint_index(k.key.as_str()).is_none());
        return Err(match extra {
            Some(k) => mismatch("metrics report", k.key.as_str()),
            None => RenderError::NotInJourney {
                report: "metrics report",
                id: format!(
                    "{} touchpoints where the journey has {}",
                    metrics.by_touchpoint.len(),
                    touchpoints.len()
                ),
            },
        });
    }
    for (k, tp) in metrics.by_touchpoint.iter().zip(touchpoints) {
        if k.key != tp.id {
            return Err(mismatch("metrics report", k.key.as_str()));
        }
    }
    Ok(())
}

/// A touchpoint's metrics (the report is checked to hold one entry per touchpoint, in order).
fn touchpoint_metrics<'m>(
    metrics: &'m MetricsReport,
    persona: Option<&str>,
    touchpoint: usize,
) -> Option<&'m GroupMetrics> {
    let all = metrics.by_touchpoint.get(touchpoint)?;
    match persona {
        None => Some(&all.metrics),
        Some(p) => metrics
            .by_persona_touchpoint
            .iter()
            .find(|k| k.key.0.as_ref().is_some_and(|id| id.as_str() == p) && k.key.1 == all.key)
            .map(|k| &k.metrics),
    }
}

/// The metric a card shows: the median wait where people wait for people, else the
/// completion rate, else the mean CSAT.
fn key_metric(kind: &TouchpointKind, m: &GroupMetrics) -> Option<String> {
    let wait = m
        .wait_seconds
        .filter(|w| w.count > 0 && w.median.is_finite());
    if let (TouchpointKind::HumanService, Some(w)) = (kind, wait) {
        return Some(format!("median wait {}", text::duration(w.median)));
    }
    if let Some(rate) = m.completion.filter(|r| r.trials > 0) {
        return Some(format!("{} completed", text::percent(rate.value)));
    }
    if let Some(w) = wait {
        return Some(format!("median wait {}", text::duration(w.median)));
    }
    m.csat.map(|c| format!("CSAT {}", text::number(c.mean, 1)))
}

fn persona_name(journey: &Journey, id: &str) -> String {
    journey
        .persona(id)
        .map_or_else(|| id.to_owned(), |p| p.name.clone())
}

/// `2026-01-01 to 2026-03-31`: the days of `start..end` (end excluded), in UTC.
pub(crate) fn period_text(start: jiff::Timestamp, end: jiff::Timestamp) -> String {
    let day = |t: jiff::Timestamp| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let last = end
        .checked_sub(jiff::SignedDuration::from_nanos(1))
        .unwrap_or(end)
        .max(start);
    let (a, b) = (day(start), day(last));
    if a == b {
        a.to_string()
    } else {
        format!("{a} to {b}")
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
