//! The SVG journey map: a layout in a fixed grid (so nothing overlaps by construction), then
//! the drawing, back to front: lanes, arrows, cards, marks, the emotion curve, the legend.

use std::fmt::Write as _;

use super::scene::{Card, EmotionValue, Impact, Measure, Scene};
use super::text::{self, coord, escape};

pub(crate) const MARGIN: f64 = 24.0;
pub(crate) const LANE_LABEL_W: f64 = 140.0;
pub(crate) const CARD_W: f64 = 184.0;
pub(crate) const CARD_H: f64 = 96.0;
const CARD_GAP: f64 = 16.0;
const COL_GAP: f64 = 76.0;
const COL_W: f64 = CARD_W + COL_GAP;
const LANE_PAD: f64 = 16.0;
const TITLE_H: f64 = 70.0;
const EMOTION_H: f64 = 150.0;
const HEADER_H: f64 = 50.0;
const FUNNEL_H: f64 = 36.0;
const BADGE_R: f64 = 10.0;
const BADGE_STEP: f64 = 23.0;
const LIST_LINE: f64 = 22.0;

/// The palette: Okabe and Ito's colours for roles, a dark-to-light scale for impact.
pub(crate) mod colour {
    pub const INK: &str = "#1a1a1a";
    pub const MUTED: &str = "#555555";
    pub const RULE: &str = "#c8c8c8";
    pub const LANE_A: &str = "#f6f6f6";
    pub const LANE_B: &str = "#ececec";
    pub const CARD: &str = "#ffffff";
    pub const CARD_EDGE: &str = "#8c8c8c";
    pub const DESIGNED: &str = "#4d4d4d";
    /// Okabe-Ito reddish purple.
    pub const OFF_MAP: &str = "#cc79a7";
    /// Okabe-Ito bluish green.
    pub const ENTRY: &str = "#009e73";
    /// Okabe-Ito blue.
    pub const GOAL: &str = "#0072b2";
    /// Okabe-Ito sky blue, for the funnel.
    pub const FUNNEL: &str = "#56b4e9";
    /// Okabe-Ito blue, for the emotion curve.
    pub const CURVE: &str = "#0072b2";
}

/// The fill of an impact level and the text colour on it.
pub(crate) fn impact_colours(impact: Impact) -> (&'static str, &'static str) {
    match impact {
        Impact::High => ("#a50f15", "#ffffff"),
        Impact::Medium => ("#e6550d", "#ffffff"),
        Impact::Low => ("#fdae6b", "#1a1a1a"),
        Impact::Structural => ("#6e6e6e", "#ffffff"),
    }
}

/// Where everything is.
pub(crate) struct Layout {
    pub width: f64,
    pub height: f64,
    pub emotion_top: Option<f64>,
    pub header_top: f64,
    pub funnel_top: Option<f64>,
    /// Top and height of each lane.
    pub lanes: Vec<(f64, f64)>,
    pub lanes_bottom: f64,
    /// Top left of each card.
    pub cards: Vec<(f64, f64)>,
    pub legend_top: f64,
    pub listed: usize,
}

impl Layout {
    pub(crate) fn new(scene: &Scene, friction_listed: usize) -> Layout {
        let columns = scene.columns.len().max(1) as f64;
        let width = (2.0 * MARGIN + LANE_LABEL_W + columns * COL_W).max(720.0);
        let mut y = MARGIN + TITLE_H;
        let emotion_top = scene.measure.map(|_| {
            let top = y;
            y += EMOTION_H;
            top
        });
        let header_top = y;
        y += HEADER_H;
        let funnel_top = scene.has_metrics.then(|| {
            let top = y;
            y += FUNNEL_H;
            top
        });
        let mut lanes = Vec::with_capacity(scene.lanes.len());
        for lane in &scene.lanes {
            let most = lane.cells.iter().map(Vec::len).max().unwrap_or(0).max(1) as f64;
            let height = 2.0 * LANE_PAD + most * CARD_H + (most - 1.0) * CARD_GAP;
            lanes.push((y, height));
            y += height;
        }
        let lanes_bottom = y;
        let cards = scene
            .cards
            .iter()
            .map(|card| {
                let (lane_top, _) = lanes[card.lane];
                (
                    column_left(card.stage),
                    lane_top + LANE_PAD + card.slot as f64 * (CARD_H + CARD_GAP),
                )
            })
            .collect();
        let legend_top = y + 24.0;
        let listed = scene.marks.len().min(friction_listed);
        let mut height = legend_top + 40.0;
        if listed > 0 {
            height += 30.0 + listed as f64 * LIST_LINE;
        }
        if scene.marks.len() > listed || scene.hidden_off_map > 0 {
            height += LIST_LINE;
        }
        Layout {
            width,
            height: height + MARGIN,
            emotion_top,
            header_top,
            funnel_top,
            lanes,
            lanes_bottom,
            cards,
            legend_top,
            listed,
        }
    }
}

/// The left edge of a stage column's cards.
fn column_left(stage: usize) -> f64 {
    MARGIN + LANE_LABEL_W + stage as f64 * COL_W + COL_GAP / 2.0
}

fn column_centre(stage: usize) -> f64 {
    column_left(stage) + CARD_W / 2.0
}

/// Draws the scene.
pub(crate) fn draw(scene: &Scene, friction_listed: usize) -> String {
    let layout = Layout::new(scene, friction_listed);
    let mut out = String::with_capacity(4_096 + scene.cards.len() * 1_200);
    let (w, h) = (coord(layout.width), coord(layout.height));
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="title desc" font-family="DejaVu Sans, Verdana, Arial, sans-serif">"#
    );
    let _ = writeln!(
        out,
        r#"<title id="title">{}</title>"#,
        escape(&format!(
            "Journey map: {} ({})",
            scene.title, scene.subtitle
        ))
    );
    let _ = writeln!(
        out,
        r#"<desc id="desc">{}</desc>"#,
        escape(&description(scene))
    );
    defs(&mut out);
    let _ = writeln!(
        out,
        r#"<rect width="{w}" height="{h}" fill="{}"/>"#,
        colour::CARD
    );
    title(&mut out, scene, layout.width);
    lanes(&mut out, scene, &layout);
    headers(&mut out, scene, &layout);
    arrows(&mut out, scene, &layout);
    cards(&mut out, scene, &layout);
    flow_badges(&mut out, scene, &layout);
    emotion(&mut out, scene, &layout);
    legend(&mut out, scene, &layout);
    out.push_str("</svg>\n");
    out
}

fn description(scene: &Scene) -> String {
    let mut d = format!(
        "{} stages and {} touchpoints in {} lanes.",
        scene.columns.len(),
        scene.cards.len(),
        scene.lanes.len()
    );
    let ranked: Vec<String> = scene
        .marks
        .iter()
        .filter(|m| m.rank.is_some())
        .take(3)
        .map(|m| format!("{} at {}", m.kind, m.place))
        .collect();
    if !ranked.is_empty() {
        let _ = write!(d, " Worst friction: {}.", ranked.join("; "));
    }
    d
}

fn defs(out: &mut String) {
    out.push_str("<defs>\n");
    let markers = [
        ("designed", colour::DESIGNED),
        ("off-map", colour::OFF_MAP),
        ("high", impact_colours(Impact::High).0),
        ("medium", impact_colours(Impact::Medium).0),
        ("low", impact_colours(Impact::Low).0),
        ("structural", impact_colours(Impact::Structural).0),
    ];
    for (id, fill) in markers {
        let _ = writeln!(
            out,
            r#"<marker id="arrow-{id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{fill}"/></marker>"#
        );
    }
    out.push_str("</defs>\n");
}

fn marker_of(impact: Option<Impact>, designed: bool) -> &'static str {
    match impact {
        Some(Impact::High) => "high",
        Some(Impact::Medium) => "medium",
        Some(Impact::Low) => "low",
        Some(Impact::Structural) => "structural",
        None if designed => "designed",
        None => "off-map",
    }
}

fn text_at(out: &mut String, x: f64, y: f64, size: f64, weight: &str, fill: &str, content: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" font-weight="{weight}" fill="{fill}">{}</text>"#,
        coord(x),
        coord(y),
        coord(size),
        escape(content)
    );
}

fn title(out: &mut String, scene: &Scene, width: f64) {
    let max = width - 2.0 * MARGIN;
    let name = text::shorten(&scene.title, 22.0, true, max);
    out.push_str(r#"<g class="title">"#);
    out.push('\n');
    text_at(out, MARGIN, MARGIN + 26.0, 22.0, "bold", colour::INK, &name);
    let sub = text::shorten(&scene.subtitle, 13.0, false, max);
    text_at(
        out,
        MARGIN,
        MARGIN + 50.0,
        13.0,
        "normal",
        colour::MUTED,
        &sub,
    );
    out.push_str("</g>\n");
}

fn lanes(out: &mut String, scene: &Scene, layout: &Layout) {
    out.push_str("<g class=\"lanes\">\n");
    for (i, (lane, &(top, height))) in scene.lanes.iter().zip(&layout.lanes).enumerate() {
        let fill = if i % 2 == 0 {
            colour::LANE_A
        } else {
            colour::LANE_B
        };
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
            coord(MARGIN),
            coord(top),
            coord(layout.width - 2.0 * MARGIN),
            coord(height)
        );
        let lines = text::wrap(&lane.name, 13.0, true, LANE_LABEL_W - 20.0, 3);
        let _ = writeln!(
            out,
            r#"<g class="lane-label"><title>{}</title>"#,
            escape(&lane.name)
        );
        for (l, line) in lines.iter().enumerate() {
            text_at(
                out,
                MARGIN + 10.0,
                top + LANE_PAD + 16.0 + l as f64 * 17.0,
                13.0,
                "bold",
                colour::MUTED,
                line,
            );
        }
        out.push_str("</g>\n");
    }
    // Column rules between stages.
    for s in 0..=scene.columns.len() {
        let x = MARGIN + LANE_LABEL_W + s as f64 * COL_W;
        let _ = writeln!(
            out,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{}" stroke-width="1"/>"#,
            coord(layout.header_top),
            coord(layout.lanes_bottom),
            colour::RULE,
            x = coord(x)
        );
    }
    out.push_str("</g>\n");
}

fn badge(out: &mut String, cx: f64, cy: f64, impact: Impact, label: &str, tooltip: &str) {
    let (fill, ink) = impact_colours(impact);
    let size = if label.len() > 2 { 8.5 } else { 11.0 };
    let _ = writeln!(
        out,
        r#"<g class="badge"><title>{}</title><circle cx="{}" cy="{}" r="{BADGE_R}" fill="{fill}"/><text x="{}" y="{}" font-size="{size}" font-weight="bold" fill="{ink}" text-anchor="middle">{}</text></g>"#,
        escape(tooltip),
        coord(cx),
        coord(cy),
        coord(cx),
        coord(cy + size * 0.36),
        escape(label)
    );
}

fn mark_tooltip(scene: &Scene, m: usize) -> String {
    let mark = &scene.marks[m];
    let rank = mark
        .rank
        .map_or_else(|| "Gap in the map".to_owned(), |r| format!("#{r}"));
    format!(
        "{rank} {} ({}): {}",
        mark.kind,
        mark.impact.label(),
        mark.summary
    )
}

/// Up to `room` badges for `marks`, right to left from `right`; a last `+N` badge when more.
fn badges(out: &mut String, scene: &Scene, marks: &[usize], right: f64, cy: f64, room: usize) {
    let shown = if marks.len() > room {
        room - 1
    } else {
        marks.len()
    };
    for (i, &m) in marks.iter().take(shown).enumerate() {
        let cx = right - BADGE_R - i as f64 * BADGE_STEP;
        badge(
            out,
            cx,
            cy,
            scene.marks[m].impact,
            &scene.marks[m].badge(),
            &mark_tooltip(scene, m),
        );
    }
    if marks.len() > shown {
        let rest = &marks[shown..];
        let worst = scene.worst(rest).unwrap_or(Impact::Low);
        let tooltip: Vec<String> = rest.iter().map(|&m| mark_tooltip(scene, m)).collect();
        let cx = right - BADGE_R - shown as f64 * BADGE_STEP;
        badge(
            out,
            cx,
            cy,
            worst,
            &format!("+{}", rest.len()),
            &tooltip.join("\n"),
        );
    }
}

fn headers(out: &mut String, scene: &Scene, layout: &Layout) {
    out.push_str("<g class=\"stages\">\n");
    for (s, column) in scene.columns.iter().enumerate() {
        let left = MARGIN + LANE_LABEL_W + s as f64 * COL_W + 8.0;
        let room = COL_W - 16.0;
        let badge_room = if column.marks.is_empty() {
            0.0
        } else {
            column.marks.len().min(3) as f64 * BADGE_STEP
        };
        let _ = writeln!(
            out,
            r#"<g class="stage"><title>{}</title>"#,
            escape(&column.name)
        );
        let lines = text::wrap(&column.name, 15.0, true, room - badge_room, 2);
        for (l, line) in lines.iter().enumerate() {
            text_at(
                out,
                left,
                layout.header_top + 20.0 + l as f64 * 18.0,
                15.0,
                "bold",
                colour::INK,
                line,
            );
        }
        out.push_str("</g>\n");
        if !column.marks.is_empty() {
            badges(
                out,
                scene,
                &column.marks,
                left + room,
                layout.header_top + 15.0,
                3,
            );
        }
        if let (Some(top), Some((customers, share))) = (layout.funnel_top, column.funnel) {
            let label = format!(
                "{} customers · {}",
                text::count(customers),
                text::percent(share)
            );
            let label = text::shorten(&label, 11.0, false, room);
            let _ = writeln!(
                out,
                r#"<g class="funnel"><title>{}</title>"#,
                escape(&if scene.funnel_in_order {
                    format!(
                        "{} customers reached this stage after every stage before it ({} of the widest stage)",
                        text::count(customers),
                        text::percent(share)
                    )
                } else {
                    format!(
                        "{} of the persona's customers had an interaction in this stage",
                        text::count(customers)
                    )
                })
            );
            text_at(out, left, top + 12.0, 11.0, "normal", colour::MUTED, &label);
            let bar = room.min(CARD_W + COL_GAP / 2.0);
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="9" fill="{}"/><rect x="{}" y="{}" width="{}" height="9" fill="{}"/></g>"#,
                coord(left),
                coord(top + 18.0),
                coord(bar),
                colour::LANE_B,
                coord(left),
                coord(top + 18.0),
                coord(bar * share.clamp(0.0, 1.0)),
                colour::FUNNEL
            );
        }
    }
    out.push_str("</g>\n");
}

/// The stroke width of an arrow: by observed volume when known.
fn arrow_width(observed: Option<u64>, max: u64) -> f64 {
    match observed {
        Some(n) if max > 0 => 1.0 + 7.0 * (n as f64 / max as f64).sqrt(),
        Some(_) => 1.0,
        None => 1.6,
    }
}

fn arrows(out: &mut String, scene: &Scene, layout: &Layout) {
    out.push_str("<g class=\"flows\" fill=\"none\">\n");
    for arrow in &scene.arrows {
        let (fx, fy) = layout.cards[arrow.from];
        let (tx, ty) = layout.cards[arrow.to];
        let impact = scene.worst(&arrow.marks);
        let stroke = match impact {
            Some(i) => impact_colours(i).0,
            None if arrow.designed => colour::DESIGNED,
            None => colour::OFF_MAP,
        };
        let width = arrow_width(arrow.observed, scene.max_observed);
        let path = if arrow.from == arrow.to {
            // A self-flow: a loop over the card's top right corner.
            let (x, y) = (fx + CARD_W, fy);
            format!(
                "M{},{} C{},{} {},{} {},{}",
                coord(x - 34.0),
                coord(y),
                coord(x - 34.0),
                coord(y - 22.0),
                coord(x + 16.0),
                coord(y - 10.0),
                coord(x),
                coord(y + 14.0)
            )
        } else if tx > fx {
            let (x1, y1) = (fx + CARD_W, fy + CARD_H / 2.0);
            let (x2, y2) = (tx, ty + CARD_H / 2.0);
            let d = ((x2 - x1) / 2.0).max(30.0);
            format!(
                "M{},{} C{},{} {},{} {},{}",
                coord(x1),
                coord(y1),
                coord(x1 + d),
                coord(y1),
                coord(x2 - d),
                coord(y2),
                coord(x2),
                coord(y2)
            )
        } else if tx == fx {
            // The same column: out of the right edge into the gutter and back.
            let x = fx + CARD_W;
            let (y1, y2) = (fy + CARD_H / 2.0 + 8.0, ty + CARD_H / 2.0 - 8.0);
            format!(
                "M{},{} C{},{} {},{} {},{}",
                coord(x),
                coord(y1),
                coord(x + 44.0),
                coord(y1),
                coord(x + 44.0),
                coord(y2),
                coord(x),
                coord(y2)
            )
        } else {
            // Backwards: under the cards, bottom to bottom.
            let (x1, y1) = (fx + CARD_W / 2.0 - 12.0, fy + CARD_H);
            let (x2, y2) = (tx + CARD_W / 2.0 + 12.0, ty + CARD_H);
            let dip = CARD_GAP + LANE_PAD;
            format!(
                "M{},{} C{},{} {},{} {},{}",
                coord(x1),
                coord(y1),
                coord(x1),
                coord(y1.max(y2) + dip * 2.0),
                coord(x2),
                coord(y1.max(y2) + dip * 2.0),
                coord(x2),
                coord(y2)
            )
        };
        let from = &scene.cards[arrow.from];
        let to = &scene.cards[arrow.to];
        let mut tooltip = format!("{} → {}", from.name, to.name);
        if let Some(label) = &arrow.label {
            let _ = write!(tooltip, ": {label}");
        }
        tooltip.push_str(if arrow.designed {
            " (designed)"
        } else {
            " (off the map)"
        });
        if let Some(n) = arrow.observed {
            let _ = write!(
                tooltip,
                ", {} move{} observed",
                text::count(n),
                if n == 1 { "" } else { "s" }
            );
        }
        let dash = if arrow.designed {
            ""
        } else {
            r#" stroke-dasharray="7 5""#
        };
        let _ = writeln!(
            out,
            r#"<path class="{}" d="{path}" stroke="{stroke}" stroke-width="{}" stroke-opacity="0.8"{dash} marker-end="url(#arrow-{})"><title>{}</title></path>"#,
            if arrow.designed { "flow" } else { "off-map" },
            coord(width),
            marker_of(impact, arrow.designed),
            escape(&tooltip)
        );
    }
    out.push_str("</g>\n");
}

fn card(out: &mut String, scene: &Scene, card: &Card, x: f64, y: f64) {
    let impact = scene.worst(&card.marks);
    let (edge, edge_width) = match impact {
        Some(i) => (impact_colours(i).0, 3.0),
        None => (colour::CARD_EDGE, 1.0),
    };
    let mut tooltip = format!(
        "{} ({}): {}, {}",
        card.name, card.id, card.channel, card.kind
    );
    if let Some(owner) = &card.owner {
        let _ = write!(tooltip, ", owned by {owner}");
    }
    if card.entry {
        tooltip.push_str(", entry");
    }
    if card.goal {
        tooltip.push_str(", goal");
    }
    let _ = writeln!(
        out,
        r#"<g class="card" id="card-{}"><title>{}</title>"#,
        escape(&card.id),
        escape(&tooltip)
    );
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{CARD_W}" height="{CARD_H}" rx="6" fill="{}" stroke="{edge}" stroke-width="{edge_width}"/>"#,
        coord(x),
        coord(y),
        colour::CARD
    );
    if card.entry || card.goal {
        let fill = if card.goal {
            colour::GOAL
        } else {
            colour::ENTRY
        };
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="5" height="{}" fill="{fill}"/>"#,
            coord(x + 2.0),
            coord(y + 8.0),
            coord(CARD_H - 16.0)
        );
    }
    let left = x + 12.0;
    let inner = CARD_W - 22.0;
    let badge_room = card.marks.len().min(3) as f64 * BADGE_STEP;
    let name = text::wrap(&card.name, 13.0, true, inner - badge_room, 2);
    for (l, line) in name.iter().enumerate() {
        text_at(
            out,
            left,
            y + 20.0 + l as f64 * 16.0,
            13.0,
            "bold",
            colour::INK,
            line,
        );
    }
    let mut role = format!("{} · {}", card.channel, card.kind);
    if card.goal {
        role.push_str(" · goal");
    } else if card.entry {
        role.push_str(" · entry");
    }
    text_at(
        out,
        left,
        y + 56.0,
        11.0,
        "normal",
        colour::MUTED,
        &text::shorten(&role, 11.0, false, inner),
    );
    if let Some(n) = card.customers {
        let volume = format!(
            "{} customer{}",
            text::count(n),
            if n == 1 { "" } else { "s" }
        );
        text_at(
            out,
            left,
            y + 72.0,
            11.0,
            "normal",
            colour::INK,
            &text::shorten(&volume, 11.0, false, inner),
        );
    }
    if let Some(metric) = &card.metric {
        text_at(
            out,
            left,
            y + 88.0,
            11.0,
            "bold",
            colour::INK,
            &text::shorten(metric, 11.0, true, inner),
        );
    }
    out.push_str("</g>\n");
    if !card.marks.is_empty() {
        badges(out, scene, &card.marks, x + CARD_W - 5.0, y + 15.0, 3);
    }
}

fn cards(out: &mut String, scene: &Scene, layout: &Layout) {
    out.push_str("<g class=\"cards\">\n");
    for (c, item) in scene.cards.iter().enumerate() {
        let (x, y) = layout.cards[c];
        card(out, scene, item, x, y);
    }
    out.push_str("</g>\n");
}

/// Badges of friction on moves: in the gutter right of the card the move leaves, stacked.
fn flow_badges(out: &mut String, scene: &Scene, layout: &Layout) {
    let mut per_card = vec![0usize; scene.cards.len()];
    out.push_str("<g class=\"flow-marks\">\n");
    for arrow in scene.arrows.iter().filter(|a| !a.marks.is_empty()) {
        let (x, y) = layout.cards[arrow.from];
        for &m in &arrow.marks {
            let i = per_card[arrow.from];
            per_card[arrow.from] += 1;
            // Three per row, rows down the card's height, then no more room: the rest show
            // in the list and the arrow's colour.
            let (row, col) = (i / 3, i % 3);
            if row >= 3 {
                continue;
            }
            let cx = x + CARD_W + 6.0 + BADGE_R + col as f64 * BADGE_STEP;
            let cy = y + 15.0 + row as f64 * BADGE_STEP;
            badge(
                out,
                cx,
                cy,
                scene.marks[m].impact,
                &scene.marks[m].badge(),
                &mark_tooltip(scene, m),
            );
        }
    }
    out.push_str("</g>\n");
}

fn emotion(out: &mut String, scene: &Scene, layout: &Layout) {
    let (Some(top), Some(measure)) = (layout.emotion_top, scene.measure) else {
        return;
    };
    let points: Vec<(usize, EmotionValue)> = scene
        .columns
        .iter()
        .enumerate()
        .filter_map(|(s, c)| Some((s, c.emotion?)))
        .collect();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for (_, e) in &points {
        let m = e.mean;
        let (a, b) = e.interval.unwrap_or((m, m));
        lo = lo.min(a.min(m));
        hi = hi.max(b.max(m));
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return;
    }
    if hi - lo < 1e-9 {
        lo -= 1.0;
        hi += 1.0;
    }
    let pad = (hi - lo) * 0.1;
    let (lo, hi) = (lo - pad, hi + pad);
    let (plot_top, plot_bottom) = (top + 44.0, top + EMOTION_H - 14.0);
    let y_of = |v: f64| plot_bottom - (v - lo) / (hi - lo) * (plot_bottom - plot_top);
    out.push_str("<g class=\"emotion\">\n");
    text_at(
        out,
        MARGIN,
        top + 16.0,
        13.0,
        "bold",
        colour::INK,
        &format!("{} by stage, with 95% intervals", measure.label()),
    );
    // The axis: the top and bottom values, and zero for sentiment when in range.
    let mut ticks = vec![hi - pad, lo + pad];
    if measure == Measure::Sentiment && lo < 0.0 && hi > 0.0 {
        ticks.push(0.0);
    }
    let right = MARGIN + LANE_LABEL_W + scene.columns.len() as f64 * COL_W;
    let mut drawn: Vec<f64> = Vec::new();
    for v in ticks {
        let y = y_of(v);
        if drawn.iter().any(|&d| (d - y).abs() < 14.0) {
            continue;
        }
        drawn.push(y);
        let _ = writeln!(
            out,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="1" stroke-dasharray="2 3"/>"#,
            coord(MARGIN + LANE_LABEL_W),
            coord(right),
            colour::RULE,
            y = coord(y)
        );
        text_at(
            out,
            MARGIN + LANE_LABEL_W - 8.0 - text::width(&text::number(v, 2), 11.0, false),
            y + 4.0,
            11.0,
            "normal",
            colour::MUTED,
            &text::number(v, 2),
        );
    }
    let line: Vec<String> = points
        .iter()
        .map(|(s, e)| format!("{},{}", coord(column_centre(*s)), coord(y_of(e.mean))))
        .collect();
    if line.len() > 1 {
        let _ = writeln!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>"#,
            line.join(" "),
            colour::CURVE
        );
    }
    for &(
        s,
        EmotionValue {
            mean: m,
            interval,
            count: n,
        },
    ) in &points
    {
        let x = column_centre(s);
        let mut tooltip = format!(
            "{}: {} {} from {} value{}",
            scene.columns[s].name,
            measure.label().to_lowercase(),
            text::number(m, 2),
            text::count(n),
            if n == 1 { "" } else { "s" }
        );
        let _ = writeln!(out, "<g class=\"emotion-point\">");
        if let Some((a, b)) = interval {
            let _ = write!(
                tooltip,
                ", 95% interval {} to {}",
                text::number(a, 2),
                text::number(b, 2)
            );
            let (ya, yb) = (y_of(a), y_of(b));
            let _ = writeln!(
                out,
                r#"<path d="M{x},{ya} L{x},{yb} M{l},{ya} L{r},{ya} M{l},{yb} L{r},{yb}" stroke="{}" stroke-width="1.5" fill="none"/>"#,
                colour::CURVE,
                x = coord(x),
                l = coord(x - 6.0),
                r = coord(x + 6.0),
                ya = coord(ya),
                yb = coord(yb)
            );
        }
        let _ = writeln!(
            out,
            r#"<title>{}</title><circle cx="{}" cy="{}" r="4.5" fill="{}"/>"#,
            escape(&tooltip),
            coord(x),
            coord(y_of(m)),
            colour::CURVE
        );
        text_at(
            out,
            x + 12.0,
            y_of(m) - 6.0,
            12.0,
            "bold",
            colour::INK,
            &text::number(m, 2),
        );
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

fn legend(out: &mut String, scene: &Scene, layout: &Layout) {
    let top = layout.legend_top;
    let mut x = MARGIN;
    let max = layout.width - MARGIN;
    out.push_str("<g class=\"legend\">\n");
    let item = |out: &mut String, x: &mut f64, swatch: &str, label: &str| {
        if *x + 40.0 + text::width(label, 12.0, false) > max {
            return;
        }
        out.push_str(swatch);
        text_at(
            out,
            *x + 30.0,
            top + 14.0,
            12.0,
            "normal",
            colour::INK,
            label,
        );
        *x += 46.0 + text::width(label, 12.0, false);
    };
    let line = |x: f64, stroke: &str, dash: &str, width: f64| {
        format!(
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{stroke}" stroke-width="{width}"{dash}/>"#,
            coord(x),
            coord(x + 24.0),
            y = coord(top + 10.0)
        )
    };
    let s = line(x, colour::DESIGNED, "", 2.0);
    item(out, &mut x, &s, "designed flow");
    if scene.arrows.iter().any(|a| !a.designed) {
        let s = line(x, colour::OFF_MAP, r#" stroke-dasharray="7 5""#, 2.0);
        item(out, &mut x, &s, "off-map move (observed)");
    }
    if scene.max_observed > 0 {
        let s = line(x, colour::DESIGNED, "", 6.0);
        item(out, &mut x, &s, "width: moves observed");
    }
    let stripe = |x: f64, fill: &str| {
        format!(
            r#"<rect x="{}" y="{}" width="20" height="8" fill="{fill}"/>"#,
            coord(x + 2.0),
            coord(top + 6.0)
        )
    };
    let s = stripe(x, colour::ENTRY);
    item(out, &mut x, &s, "entry");
    let s = stripe(x, colour::GOAL);
    item(out, &mut x, &s, "goal");
    if scene.has_friction {
        for impact in [
            Impact::High,
            Impact::Medium,
            Impact::Low,
            Impact::Structural,
        ] {
            if impact == Impact::Structural && !scene.marks.iter().any(|m| m.impact == impact) {
                continue;
            }
            let (fill, _) = impact_colours(impact);
            let s = format!(
                r#"<circle cx="{}" cy="{}" r="{BADGE_R}" fill="{fill}"/>"#,
                coord(x + 12.0),
                coord(top + 10.0)
            );
            item(out, &mut x, &s, impact.label());
        }
    }
    let mut y = top + 40.0;
    if layout.listed > 0 {
        text_at(
            out,
            MARGIN,
            y + 8.0,
            14.0,
            "bold",
            colour::INK,
            "Friction, ranked by impact (numbers on the map)",
        );
        y += 30.0;
        for mark in scene.marks.iter().take(layout.listed) {
            let label = mark.badge();
            out.push_str("<g class=\"listed\">");
            badge(out, MARGIN + BADGE_R, y, mark.impact, &label, &mark.summary);
            let mut line = format!(
                "{}: {}",
                super::scene::capitalise(mark.kind.as_str()),
                mark.place
            );
            let _ = write!(
                line,
                " · {} customer{}",
                text::count(mark.customers),
                if mark.customers == 1 { "" } else { "s" }
            );
            if let Some(lost) = mark.lost.filter(|l| l.is_finite() && *l > 0.0) {
                let _ = write!(line, " · {} conversions lost", text::number(lost, 1));
            }
            let room = max - (MARGIN + 2.0 * BADGE_R + 10.0);
            text_at(
                out,
                MARGIN + 2.0 * BADGE_R + 10.0,
                y + 4.5,
                12.0,
                "normal",
                colour::INK,
                &text::shorten(&line, 12.0, false, room),
            );
            out.push_str("</g>\n");
            y += LIST_LINE;
        }
    }
    let mut notes = Vec::new();
    if scene.marks.len() > layout.listed {
        notes.push(format!(
            "{} more friction point{} marked on the map",
            scene.marks.len() - layout.listed,
            if scene.marks.len() - layout.listed == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    if scene.hidden_off_map > 0 {
        notes.push(format!(
            "{} less frequent off-map move{} not drawn",
            scene.hidden_off_map,
            if scene.hidden_off_map == 1 { "" } else { "s" }
        ));
    }
    if !notes.is_empty() {
        text_at(
            out,
            MARGIN,
            y + 4.0,
            12.0,
            "normal",
            colour::MUTED,
            &text::shorten(&notes.join("; "), 12.0, false, max - MARGIN),
        );
    }
    out.push_str("</g>\n");
}
