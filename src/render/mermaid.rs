//! Mermaid flowcharts: stages as subgraphs, flows with labels and volumes.

use std::fmt::Write as _;

use super::scene::{Impact, Scene};
use super::svg::impact_colours;
use super::text;

/// Text for a quoted Mermaid label: quotes and markup as entity codes, line breaks as spaces.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn draw(scene: &Scene) -> String {
    let mut out = String::with_capacity(1_024 + scene.cards.len() * 120);
    out.push_str("flowchart LR\n");
    let _ = writeln!(
        out,
        "  %% {}",
        label(&format!("{} ({})", scene.title, scene.subtitle)).replace("%%", "% %")
    );
    for (s, column) in scene.columns.iter().enumerate() {
        let mut title = column.name.clone();
        if let Some((n, share)) = column.funnel {
            let _ = write!(
                title,
                " · {} customers, {}",
                text::count(n),
                text::percent(share)
            );
        }
        let _ = writeln!(out, "  subgraph s{s}[\"{}\"]", label(&title));
        for (c, card) in scene.cards.iter().enumerate().filter(|(_, c)| c.stage == s) {
            let mut lines = vec![
                format!("<b>{}</b>", label(&card.name)),
                label(&format!("{} · {}", card.channel, card.kind)),
            ];
            if let Some(n) = card.customers {
                lines.push(label(&format!("{} customers", text::count(n))));
            }
            if let Some(metric) = &card.metric {
                lines.push(label(metric));
            }
            if !card.marks.is_empty() {
                let ranks: Vec<String> = card
                    .marks
                    .iter()
                    .map(|&m| format!("#35;{}", scene.marks[m].badge()))
                    .collect();
                lines.push(format!("friction {}", ranks.join(" ")));
            }
            let _ = writeln!(out, "    t{c}[\"{}\"]", lines.join("<br/>"));
        }
        out.push_str("  end\n");
    }
    let mut styled: Vec<(usize, &'static str)> = Vec::new();
    for (link, arrow) in scene.arrows.iter().enumerate() {
        let mut parts = Vec::new();
        if let Some(l) = &arrow.label {
            parts.push(label(l));
        }
        if let Some(n) = arrow.observed {
            parts.push(text::count(n));
        }
        if !arrow.marks.is_empty() {
            let ranks: Vec<String> = arrow
                .marks
                .iter()
                .map(|&m| format!("#35;{}", scene.marks[m].badge()))
                .collect();
            parts.push(format!("friction {}", ranks.join(" ")));
        }
        let shaft = if arrow.designed { "-->" } else { "-.->" };
        if parts.is_empty() {
            let _ = writeln!(out, "  t{} {shaft} t{}", arrow.from, arrow.to);
        } else {
            let _ = writeln!(
                out,
                "  t{} {shaft}|\"{}\"| t{}",
                arrow.from,
                parts.join(" · "),
                arrow.to
            );
        }
        if let Some(impact) = scene.worst(&arrow.marks) {
            styled.push((link, impact_colours(impact).0));
        }
    }
    for impact in [
        Impact::High,
        Impact::Medium,
        Impact::Low,
        Impact::Structural,
    ] {
        let cards: Vec<String> = scene
            .cards
            .iter()
            .enumerate()
            .filter(|(_, c)| scene.worst(&c.marks) == Some(impact))
            .map(|(i, _)| format!("t{i}"))
            .collect();
        if cards.is_empty() {
            continue;
        }
        let name = impact.label().replace(' ', "_");
        let _ = writeln!(
            out,
            "  classDef {name} stroke:{},stroke-width:3px",
            impact_colours(impact).0
        );
        let _ = writeln!(out, "  class {} {name}", cards.join(","));
    }
    for (link, stroke) in styled {
        let _ = writeln!(out, "  linkStyle {link} stroke:{stroke},stroke-width:3px");
    }
    out
}
