//! Graphviz DOT: stages as clusters, touchpoints as boxes, flows with labels and volumes.

use std::fmt::Write as _;

use super::scene::{Impact, Scene};
use super::svg::{colour, impact_colours};
use super::text;
use crate::Journey;

/// A DOT quoted string: backslashes and quotes escaped, line breaks as `\n`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A node label: lines joined with `\n`, each escaped.
fn label(lines: &[String]) -> String {
    let escaped: Vec<String> = lines
        .iter()
        .map(|l| {
            let q = quoted(l);
            q[1..q.len() - 1].to_owned()
        })
        .collect();
    format!("\"{}\"", escaped.join("\\n"))
}

pub(crate) fn draw(journey: &Journey, scene: &Scene) -> String {
    let mut out = String::with_capacity(1_024 + scene.cards.len() * 200);
    out.push_str("digraph journey {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label={}];",
        quoted(&format!("{}\n{}", scene.title, scene.subtitle))
    );
    let _ = writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"{}\", color=\"{}\", fontname=\"Helvetica\", fontsize=11];",
        colour::CARD,
        colour::CARD_EDGE
    );
    let _ = writeln!(
        out,
        "  edge [color=\"{}\", fontname=\"Helvetica\", fontsize=9];",
        colour::DESIGNED
    );
    let stages = journey.stages();
    let ids = node_ids(scene);
    for (s, column) in scene.columns.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{s} {{");
        let mut stage_label = column.name.clone();
        if let Some((n, share)) = column.funnel {
            let _ = write!(
                stage_label,
                "\n{} customers · {}",
                text::count(n),
                text::percent(share)
            );
        }
        if !column.marks.is_empty() {
            let ranks: Vec<String> = column
                .marks
                .iter()
                .map(|&m| format!("#{}", scene.marks[m].badge()))
                .collect();
            let _ = write!(stage_label, "\nfriction {}", ranks.join(" "));
        }
        let _ = writeln!(
            out,
            "    label={}; style=filled; color=\"{}\"; fillcolor=\"{}\";",
            quoted(&stage_label),
            colour::RULE,
            colour::LANE_A
        );
        let _ = writeln!(out, "    // stage {}", quoted(stages[s].id.as_str()));
        for (c, card) in scene.cards.iter().enumerate().filter(|(_, c)| c.stage == s) {
            let mut lines = vec![
                card.name.clone(),
                format!("{} · {}", card.channel, card.kind),
            ];
            if let Some(n) = card.customers {
                lines.push(format!("{} customers", text::count(n)));
            }
            if let Some(metric) = &card.metric {
                lines.push(metric.clone());
            }
            let mut attributes = vec![format!("label={}", label(&lines))];
            if let Some(impact) = scene.worst(&card.marks) {
                let ranks: Vec<String> = card
                    .marks
                    .iter()
                    .map(|&m| format!("#{}", scene.marks[m].badge()))
                    .collect();
                attributes.push(format!(
                    "color=\"{}\", penwidth=3, xlabel={}",
                    impact_colours(impact).0,
                    quoted(&ranks.join(" "))
                ));
            }
            if card.goal {
                attributes.push("peripheries=2".to_owned());
            }
            if card.entry {
                attributes.push(format!("fillcolor=\"{}\"", "#e5f5ef"));
            }
            let _ = writeln!(out, "    {} [{}];", quoted(&ids[c]), attributes.join(", "));
        }
        out.push_str("  }\n");
    }
    for arrow in &scene.arrows {
        let mut parts = Vec::new();
        if let Some(l) = &arrow.label {
            parts.push(l.clone());
        }
        if let Some(n) = arrow.observed {
            parts.push(text::count(n));
        }
        let mut attributes = Vec::new();
        if !parts.is_empty() {
            attributes.push(format!("label={}", quoted(&parts.join(" · "))));
        }
        if let (Some(n), true) = (arrow.observed, scene.max_observed > 0) {
            let width = 1.0 + 5.0 * (n as f64 / scene.max_observed as f64).sqrt();
            attributes.push(format!("penwidth={}", text::number(width, 2)));
        }
        if !arrow.designed {
            attributes.push(format!("style=dashed, color=\"{}\"", colour::OFF_MAP));
        }
        if let Some(impact) = scene.worst(&arrow.marks) {
            let ranks: Vec<String> = arrow
                .marks
                .iter()
                .map(|&m| format!("#{}", scene.marks[m].badge()))
                .collect();
            attributes.push(format!(
                "color=\"{}\", xlabel={}",
                impact_colours(impact).0,
                quoted(&ranks.join(" "))
            ));
        }
        let _ = writeln!(
            out,
            "  {} -> {}{};",
            quoted(&ids[arrow.from]),
            quoted(&ids[arrow.to]),
            if attributes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attributes.join(", "))
            }
        );
    }
    let journey_wide: Vec<String> = scene
        .journey_marks
        .iter()
        .map(|&m| {
            let mark = &scene.marks[m];
            format!("#{} {}", mark.badge(), mark.kind)
        })
        .collect();
    if !journey_wide.is_empty() {
        let _ = writeln!(
            out,
            "  journey_friction [shape=note, color=\"{}\", label={}];",
            impact_colours(Impact::High).0,
            quoted(&format!("The whole journey: {}", journey_wide.join(", ")))
        );
    }
    out.push_str("}\n");
    out
}

/// Each card's node id: its touchpoint's id, with the lane when the touchpoint has several
/// cards (lanes by persona).
pub(crate) fn node_ids(scene: &Scene) -> Vec<String> {
    let mut copies: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for card in &scene.cards {
        *copies.entry(card.id.as_str()).or_default() += 1;
    }
    scene
        .cards
        .iter()
        .map(|card| {
            if copies[card.id.as_str()] > 1 {
                format!("{}@{}", card.id, card.lane)
            } else {
                card.id.clone()
            }
        })
        .collect()
}
