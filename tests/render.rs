//! Pictures as a person would look at them: well-formed SVG, nothing overlapping on generated
//! journeys (measured with real font metrics), pixels compared with a reviewed picture, DOT
//! that Graphviz accepts, Mermaid and HTML that hold what they should, and bad input.

use journey_map::analysis::{
    DetectFriction, DirectlyFollowsGraph, FrictionConfig, FrictionReport, MetricsReport,
    ObservePaths, Selection,
};
use journey_map::render::{HtmlReport, JourneyMap, Lanes, MapOptions, RenderError};
use journey_map::{IngestOptions, InteractionLog, Journey, LogBuilder};

const README_PICTURE: &str = "docs/journey-map.svg";
const REFERENCE_PNG: &str = "tests/fixtures/journey-map.png";
const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu";

struct Sample {
    journey: Journey,
    log: InteractionLog,
}

fn sample() -> Sample {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder
        .read_csv_path("examples/data/retail_bank.interactions.csv")
        .unwrap();
    let (log, _) = builder.finish();
    Sample { journey, log }
}

fn reports(s: &Sample) -> (MetricsReport, FrictionReport, DirectlyFollowsGraph) {
    let all = Selection::all();
    (
        MetricsReport::compute(&s.journey, &s.log, &all, Default::default()).unwrap(),
        s.journey
            .detect_friction(&s.log, &all, &FrictionConfig::default())
            .unwrap(),
        s.journey.directly_follows(&s.log, &all).unwrap(),
    )
}

/// The sample's picture, as the README shows it.
fn sample_svg(s: &Sample) -> String {
    let (metrics, friction, follows) = reports(s);
    let options = MapOptions::default().period(
        "2026-01-01T00:00:00Z".parse().unwrap(),
        "2026-07-01T00:00:00Z".parse().unwrap(),
    );
    JourneyMap::new(&s.journey)
        .metrics(&metrics)
        .friction(&friction)
        .flows(&follows)
        .options(options)
        .to_svg()
        .unwrap()
}

/// usvg options with the DejaVu fonts only, so that pictures do not depend on what else a
/// machine has installed (`.ci/run` installs fonts-dejavu-core when missing).
fn usvg_options() -> resvg::usvg::Options<'static> {
    let mut options = resvg::usvg::Options::default();
    let db = options.fontdb_mut();
    db.load_fonts_dir(DEJAVU);
    assert!(
        !db.is_empty(),
        "the DejaVu fonts are missing from {DEJAVU}: install fonts-dejavu-core"
    );
    db.set_sans_serif_family("DejaVu Sans");
    options
}

fn rasterise(svg: &str, scale: f32) -> resvg::tiny_skia::Pixmap {
    let tree = resvg::usvg::Tree::from_str(svg, &usvg_options()).unwrap();
    let size = tree.size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    )
    .unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
}

#[test]
fn the_readme_picture_is_the_sample_as_rendered_now() {
    let s = sample();
    let svg = sample_svg(&s);
    let committed = std::fs::read_to_string(README_PICTURE).unwrap_or_default();
    if committed != svg {
        std::fs::write(README_PICTURE, &svg).unwrap();
        if std::env::var_os("JOURNEY_MAP_BLESS").is_none() {
            panic!(
                "{README_PICTURE} was out of date and has been regenerated: review and commit it"
            );
        }
    }
    // Rendering twice gives the same bytes.
    assert_eq!(sample_svg(&s), svg);
}

/// The share of pixels that differ by more than 24 of 255 in any channel.
fn differing_share(a: &resvg::tiny_skia::Pixmap, b: &resvg::tiny_skia::Pixmap) -> f64 {
    assert_eq!(
        (a.width(), a.height()),
        (b.width(), b.height()),
        "the picture changed size"
    );
    let differing = a
        .data()
        .chunks_exact(4)
        .zip(b.data().chunks_exact(4))
        .filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 24))
        .count();
    differing as f64 / (a.width() * a.height()) as f64
}

#[test]
fn the_sample_renders_to_pixels_like_the_reviewed_picture() {
    let s = sample();
    let pixels = rasterise(&sample_svg(&s), 0.5);
    if std::env::var_os("JOURNEY_MAP_BLESS").is_some() {
        pixels.save_png(REFERENCE_PNG).unwrap();
    }
    let reference = resvg::tiny_skia::Pixmap::load_png(REFERENCE_PNG)
        .expect("the reviewed picture: JOURNEY_MAP_BLESS=1 cargo test --test render writes it");
    let share = differing_share(&pixels, &reference);
    eprintln!(
        "{:.4}% of the pixels differ from the reviewed picture",
        share * 100.0
    );
    assert!(
        share < 0.001,
        "{:.2}% of the pixels differ from {REFERENCE_PNG}: look at /tmp/journey-map.png, and bless it if it is right",
        share * 100.0
    );
    let _ = pixels.save_png(std::env::temp_dir().join("journey-map.png"));
    // The comparison sees a small change: the word "completed" gone from the cards.
    let changed = sample_svg(&s).replace(" completed</text>", "</text>");
    let share = differing_share(&rasterise(&changed, 0.5), &reference);
    eprintln!(
        "{:.4}% of the pixels differ without \"completed\"",
        share * 100.0
    );
    assert!(share >= 0.001, "a visible change passes unnoticed");
}

/// A generated journey: `stages` stages, `touchpoints` touchpoints on mixed channels with
/// names of every length (markup characters included), designed flows forwards, backwards
/// and onto themselves, three personas using parts of it; and a log of customers who walk it
/// at channel speeds that differ a hundredfold, with scores, so that every card carries its
/// volume, metric and friction marks.
fn generated(seed: u64, stages: usize, touchpoints: usize) -> (Journey, InteractionLog) {
    use journey_map::{Channel, Flow, JourneyBuilder, Persona, Stage, Touchpoint, TouchpointKind};
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let words = [
        "Account",
        "application",
        "identity",
        "check",
        "call-back",
        "Proof",
        "of",
        "address",
        "<b>bold</b>",
        "&",
        "\"quoted\"",
        "Zahlungsbestätigung",
        "支払い",
        "W",
        "MMMMMMMMMMMM",
        "x",
        "an-extraordinarily-long-compound-identifier-without-spaces",
    ];
    let channels = [
        Channel::Web,
        Channel::MobileApp,
        Channel::Email,
        Channel::Sms,
        Channel::Phone,
        Channel::LiveChat,
        Channel::Chatbot,
        Channel::Social,
        Channel::Store,
        Channel::Post,
        Channel::Other("Video kiosk with a very long channel name".into()),
    ];
    let kinds = [
        TouchpointKind::Marketing,
        TouchpointKind::DigitalProduct,
        TouchpointKind::HumanService,
        TouchpointKind::AutomatedService,
        TouchpointKind::PhysicalProduct,
        TouchpointKind::Billing,
    ];
    let name = |rng: &mut rand_chacha::ChaCha8Rng| {
        let n = rng.random_range(1..9);
        (0..n)
            .map(|_| words[rng.random_range(0..words.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut builder = JourneyBuilder::new(name(&mut rng));
    for s in 0..stages {
        builder = builder.stage(Stage::new(format!("s{s}"), name(&mut rng)));
    }
    let mut stage_of = Vec::new();
    for t in 0..touchpoints {
        let stage = if t < stages {
            t
        } else {
            rng.random_range(0..stages)
        };
        stage_of.push(stage);
        let mut tp = Touchpoint::new(
            format!("t{t}"),
            name(&mut rng),
            format!("s{stage}"),
            channels[rng.random_range(0..channels.len())].clone(),
            kinds[rng.random_range(0..kinds.len())].clone(),
        );
        if t == 0 || rng.random_range(0..10) == 0 {
            tp = tp.entry();
        }
        if stage + 1 == stages {
            tp = tp.goal();
        }
        builder = builder.touchpoint(tp);
    }
    let mut flows = std::collections::BTreeSet::new();
    for t in 0..touchpoints {
        for _ in 0..rng.random_range(1..3) {
            let to = rng.random_range(0..touchpoints);
            if flows.insert((t, to)) {
                let mut flow = Flow::new(format!("t{t}"), format!("t{to}"));
                if rng.random_range(0..3) == 0 {
                    flow = flow.with_label(name(&mut rng));
                }
                builder = builder.flow(flow);
            }
        }
    }
    for p in 0..3 {
        let mut persona = Persona::new(format!("p{p}"), name(&mut rng));
        for t in 0..touchpoints {
            if rng.random_range(0..3) == 0 {
                persona = persona.with_uses(format!("t{t}"));
            }
        }
        builder = builder.persona(persona);
    }
    let journey = builder.build().unwrap();

    // Customers walk the designed flows, with a tenth of their moves off the map.
    let next: Vec<Vec<usize>> = (0..touchpoints)
        .map(|t| {
            flows
                .iter()
                .filter(|(a, _)| *a == t)
                .map(|&(_, b)| b)
                .collect()
        })
        .collect();
    let mut records = Vec::new();
    let start = 1_767_225_600i64;
    for c in 0..600 {
        let persona = format!("p{}", c % 3);
        let mut at = start + rng.random_range(0..15_000_000i64);
        let mut t = rng.random_range(0..touchpoints.min(stages));
        for _ in 0..rng.random_range(1..9) {
            let tp = journey.touchpoints()[t].clone();
            let slow = matches!(tp.channel, Channel::Phone | Channel::Store | Channel::Email);
            // Planted friction: every seventh touchpoint fails half its customers, every
            // eleventh keeps them waiting twenty times longer.
            let failing = t % 7 == 3 && rng.random_range(0..2) == 0;
            let outcome = match rng.random_range(0..10) {
                _ if failing => journey_map::Outcome::Failed,
                0 => journey_map::Outcome::Failed,
                1 => journey_map::Outcome::Abandoned,
                _ => journey_map::Outcome::Completed,
            };
            let mut record = journey_map::Interaction::new(
                format!("c{c}"),
                tp.id.as_str(),
                jiff::Timestamp::from_second(at).unwrap(),
                outcome,
            )
            .with_persona(persona.as_str())
            .with_sentiment(rng.random_range(-1.0..1.0))
            .with_csat(rng.random_range(1..6));
            let slower = if t % 11 == 5 { 20.0 } else { 1.0 };
            if slow {
                record = record.with_wait_seconds(slower * rng.random_range(60.0..6_000.0));
            } else {
                record = record.with_wait_seconds(slower * rng.random_range(0.5..60.0));
            }
            records.push(record);
            at += rng.random_range(60..200_000);
            t = if next[t].is_empty() || rng.random_range(0..10) == 0 {
                rng.random_range(0..touchpoints)
            } else {
                next[t][rng.random_range(0..next[t].len())]
            };
        }
    }
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(records).unwrap();
    let log = builder.finish().0;
    (journey, log)
}

type Rect = (f32, f32, f32, f32);

fn rect(r: resvg::tiny_skia::Rect) -> Rect {
    (r.left(), r.top(), r.right(), r.bottom())
}

fn overlap(a: Rect, b: Rect) -> bool {
    // Touching edges and sub-pixel antialiasing margins are not an overlap.
    let eps = 0.5;
    a.0 + eps < b.2 && b.0 + eps < a.2 && a.1 + eps < b.3 && b.1 + eps < a.3
}

fn inside(inner: Rect, outer: Rect) -> bool {
    let eps = 0.5;
    inner.0 >= outer.0 - eps
        && inner.1 >= outer.1 - eps
        && inner.2 <= outer.2 + eps
        && inner.3 <= outer.3 + eps
}

/// The card rectangles and every text's box as the fonts lay it out, each text with the
/// card it belongs to.
type Boxes = (Vec<(String, Rect)>, Vec<(Option<usize>, Rect)>);

fn boxes(svg: &str) -> Boxes {
    let tree = resvg::usvg::Tree::from_str(svg, &usvg_options()).unwrap();
    let mut cards = Vec::new();
    let mut texts = Vec::new();
    fn walk(
        group: &resvg::usvg::Group,
        card: Option<usize>,
        cards: &mut Vec<(String, Rect)>,
        texts: &mut Vec<(Option<usize>, Rect)>,
    ) {
        let mut card = card;
        if group.id().starts_with("card-") {
            let outline = group
                .children()
                .iter()
                .find_map(|n| match n {
                    resvg::usvg::Node::Path(p) => Some(rect(p.abs_bounding_box())),
                    _ => None,
                })
                .expect("a card has its rectangle");
            cards.push((group.id().to_owned(), outline));
            card = Some(cards.len() - 1);
        }
        for node in group.children() {
            match node {
                resvg::usvg::Node::Group(g) => walk(g, card, cards, texts),
                resvg::usvg::Node::Text(t) => texts.push((card, rect(t.abs_bounding_box()))),
                _ => {}
            }
        }
    }
    walk(tree.root(), None, &mut cards, &mut texts);
    (cards, texts)
}

fn assert_nothing_overlaps(svg: &str, what: &str) {
    let (cards, texts) = boxes(svg);
    assert!(!cards.is_empty(), "{what}: no card found");
    for (i, a) in cards.iter().enumerate() {
        for b in &cards[i + 1..] {
            assert!(
                !overlap(a.1, b.1),
                "{what}: cards {} and {} overlap",
                a.0,
                b.0
            );
        }
    }
    for &(card, text) in &texts {
        if let Some(c) = card {
            assert!(
                inside(text, cards[c].1),
                "{what}: a text of {} ({text:?}) leaves its card {:?}",
                cards[c].0,
                cards[c].1
            );
        }
    }
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            assert!(
                !overlap(a.1, b.1),
                "{what}: two labels overlap: {:?} (card {:?}) and {:?} (card {:?})",
                a.1,
                a.0.map(|c| &cards[c].0),
                b.1,
                b.0.map(|c| &cards[c].0)
            );
        }
    }
}

#[test]
fn nothing_overlaps_on_generated_journeys_of_8_stages_and_40_touchpoints() {
    for seed in 0..4 {
        let (journey, log) = generated(seed, 8, 40);
        let all = Selection::all();
        let metrics = MetricsReport::compute(&journey, &log, &all, Default::default()).unwrap();
        let config = FrictionConfig::default().min_sample(10);
        let friction = journey.detect_friction(&log, &all, &config).unwrap();
        assert!(
            !friction.points.is_empty(),
            "seed {seed}: the picture shows friction"
        );
        let follows = journey.directly_follows(&log, &all).unwrap();
        let map = JourneyMap::new(&journey)
            .metrics(&metrics)
            .friction(&friction)
            .flows(&follows);
        let svg = map.clone().to_svg().unwrap();
        assert_nothing_overlaps(&svg, &format!("seed {seed}, lanes by channel"));
        let by_persona = map
            .clone()
            .options(MapOptions::default().lanes(Lanes::Persona))
            .to_svg()
            .unwrap();
        assert_nothing_overlaps(&by_persona, &format!("seed {seed}, lanes by persona"));
        let one = map
            .options(MapOptions::default().persona("p1"))
            .to_svg()
            .unwrap();
        assert_nothing_overlaps(&one, &format!("seed {seed}, persona p1"));
    }
}

#[test]
fn nothing_overlaps_on_the_sample() {
    assert_nothing_overlaps(&sample_svg(&sample()), "the sample");
}

fn parse(document: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        document,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed: {e}"))
}

#[test]
fn the_svg_is_well_formed_and_accessible() {
    let s = sample();
    let svg = sample_svg(&s);
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(
        title,
        "Journey map: Retail bank current account (2026-01-01 to 2026-06-30 · 2,000 customers)"
    );
    let desc = root.children().find(|n| n.has_tag_name("desc")).unwrap();
    assert!(
        desc.text()
            .unwrap()
            .contains("Worst friction: long wait at Verification callback")
    );
    // One card per touchpoint, each with its full name in a tooltip.
    let cards: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("card"))
        .collect();
    assert_eq!(cards.len(), s.journey.touchpoints().len());
    let callback = cards
        .iter()
        .find(|n| n.attribute("id") == Some("card-verification-callback"))
        .unwrap();
    let tooltip = callback
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap();
    assert_eq!(
        tooltip.text(),
        Some(
            "Verification callback (verification-callback): phone, human service, owned by Contact centre"
        )
    );
    let texts: Vec<&str> = callback.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts.contains(&"79 customers") && texts.contains(&"median wait 87.2 min"),
        "{texts:?}"
    );
    // Its friction marks carry their ranks: the long wait is the first.
    let badges: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("badge"))
        .filter_map(|n| n.children().find(|c| c.has_tag_name("title"))?.text())
        .collect();
    assert!(
        badges.iter().any(|t| t.starts_with(
            "#1 long wait (high impact): Customers typically wait 85.6 min at Verification callback"
        )),
        "{badges:?}"
    );
    // Designed flows are drawn with their volumes; off-map moves dashed.
    let flows = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("flow"))
        .count();
    assert_eq!(flows, s.journey.flows().len());
    assert!(
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("off-map"))
            .all(|n| n.attribute("stroke-dasharray").is_some())
    );
}

/// A journey whose every name is hostile: 10,000 characters, markup, quotes, control
/// characters, and a persona nobody is.
fn hostile_journey() -> Journey {
    use journey_map::{Channel, Flow, JourneyBuilder, Persona, Stage, Touchpoint, TouchpointKind};
    let long = "Very long name ".repeat(667);
    JourneyBuilder::new(format!("<script>alert('x')</script> & \"{long}\""))
        .persona(Persona::new("nobody", "Nobody </title> at all").with_uses("a"))
        .stage(Stage::new("s", long.clone()))
        .stage(Stage::new("empty", "An empty stage ]]> <!-- -->"))
        .touchpoint(
            Touchpoint::new(
                "a",
                long.clone(),
                "s",
                Channel::Other("<ch>\u{1}".into()),
                TouchpointKind::DigitalProduct,
            )
            .entry()
            .goal(),
        )
        .touchpoint(Touchpoint::new(
            "b",
            "b & <b>",
            "s",
            Channel::Web,
            TouchpointKind::Other("\"kind\"".into()),
        ))
        .flow(Flow::new("a", "b").with_label("--> \"quoted\" | `ticks` #1 %% <br/>"))
        .flow(Flow::new("b", "b"))
        .build()
        .unwrap()
}

#[test]
fn hostile_names_are_escaped_and_never_break_a_picture() {
    let journey = hostile_journey();
    let map = JourneyMap::new(&journey);
    let svg = map.to_svg().unwrap();
    let doc = parse(&svg);
    assert!(!svg.contains("<script>") && !svg.contains('\u{1}'));
    // The 10,000-character name is shortened on the card and whole in its tooltip.
    let card = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("card-a"))
        .unwrap();
    let shown: Vec<&str> = card
        .children()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        shown[1].ends_with('…') && shown.iter().all(|t| t.len() < 100),
        "{shown:?}"
    );
    let tooltip = card
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap()
        .text()
        .unwrap();
    assert!(tooltip.len() > 10_000);
    assert_nothing_overlaps(&svg, "hostile names");
    // A persona with no customers, and its view.
    let persona = map
        .clone()
        .options(
            MapOptions::default()
                .persona("nobody")
                .lanes(Lanes::Persona),
        )
        .to_svg()
        .unwrap();
    parse(&persona);
    // DOT, Mermaid and HTML escape the same names.
    let dot = map.to_dot().unwrap();
    assert!(
        dot.contains(r#"label="--> \"quoted\" | `ticks` #1 %% <br/>""#),
        "{dot}"
    );
    let mermaid = map.to_mermaid().unwrap();
    assert!(mermaid.contains("#quot;quoted#quot;") && !mermaid.contains("<script>"));
    assert!(!mermaid.contains("`ticks`") && !mermaid.contains("#1 "));
    let html = HtmlReport::new(map).to_html().unwrap();
    parse(&html);
    assert!(!html.contains("<script>"));
}

#[test]
fn a_journey_with_a_log_of_nobody_draws_empty_figures() {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let log = LogBuilder::new(&journey, IngestOptions::default())
        .finish()
        .0;
    let all = Selection::all();
    let metrics = MetricsReport::compute(&journey, &log, &all, Default::default()).unwrap();
    let friction = journey
        .detect_friction(&log, &all, &FrictionConfig::default())
        .unwrap();
    let follows = journey.directly_follows(&log, &all).unwrap();
    let map = JourneyMap::new(&journey)
        .metrics(&metrics)
        .friction(&friction)
        .flows(&follows);
    let svg = map.to_svg().unwrap();
    parse(&svg);
    assert!(svg.contains("0 customers") && !svg.contains("NaN") && !svg.contains("inf"));
    for persona in ["digital-native", "branch-loyalist"] {
        let view = map
            .clone()
            .options(MapOptions::default().persona(persona))
            .to_svg()
            .unwrap();
        assert!(!view.contains("NaN"));
    }
    let html = HtmlReport::new(map).to_html().unwrap();
    assert!(html.contains("No friction found.") && !html.contains("NaN"));
}

#[test]
fn a_persona_view_shows_its_touchpoints_volumes_and_friction() {
    let s = sample();
    let (metrics, friction, _) = reports(&s);
    let native = s.journey.persona("digital-native").unwrap();
    let svg = JourneyMap::new(&s.journey)
        .metrics(&metrics)
        .friction(&friction)
        .options(MapOptions::default().persona("digital-native"))
        .to_svg()
        .unwrap();
    let doc = parse(&svg);
    let cards: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("card"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    let expected: Vec<String> = s
        .journey
        .touchpoints()
        .iter()
        .filter(|t| native.uses.contains(&t.id))
        .map(|t| format!("card-{}", t.id))
        .collect();
    assert_eq!(cards, expected);
    // The persona's own volumes, not everyone's.
    let theirs = metrics
        .by_persona_touchpoint
        .iter()
        .find(|k| k.key.0.as_ref() == Some(&native.id) && k.key.1 == expected[0]["card-".len()..])
        .unwrap()
        .metrics
        .customers;
    let first = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(expected[0].as_str()))
        .unwrap();
    let texts: Vec<&str> = first.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts.contains(&format!("{theirs} customers").as_str()),
        "{texts:?}"
    );
    let persona_customers = metrics
        .by_persona
        .iter()
        .find(|k| k.key.as_ref() == Some(&native.id))
        .unwrap()
        .metrics
        .customers;
    let subtitle = format!(
        "Persona: Digital native · {},{:03} customers",
        persona_customers / 1000,
        persona_customers % 1000
    );
    assert!(svg.contains(&subtitle), "{subtitle} in {}", &svg[..600]);
    // Every mark drawn is the persona's own friction or everyone's; another persona's is not.
    let ranks: Vec<usize> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("badge"))
        .filter_map(|n| n.children().find(|c| c.has_tag_name("title"))?.text())
        .filter_map(|t| t.strip_prefix('#')?.split(' ').next()?.parse().ok())
        .collect();
    assert!(!ranks.is_empty());
    for rank in &ranks {
        let point = &friction.points[rank - 1];
        assert!(
            point.persona.as_ref().is_none_or(|p| p == &native.id),
            "#{rank} is another persona's"
        );
    }
    for (i, point) in friction.points.iter().enumerate() {
        if point.persona.as_ref().is_some_and(|p| p != &native.id) {
            assert!(
                !ranks.contains(&(i + 1)),
                "#{} belongs to {:?}",
                i + 1,
                point.persona
            );
        }
    }
}

#[test]
fn reports_of_another_journey_and_unknown_personas_are_typed_errors() {
    let s = sample();
    let (metrics, friction, follows) = reports(&s);
    let broadband = Journey::load("examples/data/broadband.ron").unwrap();
    let error = JourneyMap::new(&broadband)
        .metrics(&metrics)
        .to_svg()
        .unwrap_err();
    assert!(
        matches!(
            error,
            RenderError::NotInJourney {
                report: "metrics report",
                ..
            }
        ),
        "{error}"
    );
    let error = JourneyMap::new(&broadband)
        .friction(&friction)
        .to_svg()
        .unwrap_err();
    assert!(matches!(
        error,
        RenderError::NotInJourney {
            report: "friction report",
            ..
        }
    ));
    assert!(
        error
            .to_string()
            .starts_with("the friction report does not belong to this journey: it names ")
    );
    let error = JourneyMap::new(&broadband)
        .flows(&follows)
        .to_dot()
        .unwrap_err();
    assert!(matches!(
        error,
        RenderError::NotInJourney {
            report: "directly-follows graph",
            ..
        }
    ));
    let error = JourneyMap::new(&s.journey)
        .options(MapOptions::default().persona("digital-nativ"))
        .to_mermaid()
        .unwrap_err();
    assert_eq!(error.to_string(), "cannot draw the persona's view");
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(
        source.contains("did you mean \"digital-native\""),
        "{source}"
    );
    // A writer that fails.
    struct Broken;
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let error = JourneyMap::new(&s.journey).write_svg(Broken).unwrap_err();
    assert!(matches!(error, RenderError::Write(_)));
    assert_eq!(error.to_string(), "cannot write the picture");
    let error = HtmlReport::new(JourneyMap::new(&s.journey))
        .write_html(Broken)
        .unwrap_err();
    assert!(matches!(error, RenderError::Write(_)));
}

/// A program on the path, or `None` (with a note) where it is not installed; `.ci/run`
/// installs it and sets `require` so that CI never skips.
fn program(name: &str, require: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os(require).is_none(),
            "{name} is required ({require} is set) but not installed"
        );
        eprintln!("{name} is not installed: the check is skipped here (CI installs it)");
    }
    found
}

#[test]
fn graphviz_accepts_the_dot_export() {
    let s = sample();
    let (metrics, friction, follows) = reports(&s);
    let dot = JourneyMap::new(&s.journey)
        .metrics(&metrics)
        .friction(&friction)
        .flows(&follows)
        .to_dot()
        .unwrap();
    // Stages as clusters, each touchpoint once, every designed flow.
    assert_eq!(
        dot.matches("subgraph cluster_").count(),
        s.journey.stages().len()
    );
    assert!(dot.contains(r##""verification-callback" [label="Verification callback\nphone · human service\n79 customers\nmedian wait 87.2 min", color="#a50f15", penwidth=3, xlabel="#1 #5"]"##), "{dot}");
    assert!(
        dot.contains(r#""verification-email" -> "address-proof-letter" [label="#),
        "{dot}"
    );
    let hostile = JourneyMap::new(&hostile_journey()).to_dot().unwrap();
    let Some(graphviz) = program("dot", "JOURNEY_MAP_REQUIRE_DOT") else {
        return;
    };
    for (what, source) in [("the sample", &dot), ("hostile names", &hostile)] {
        let mut child = std::process::Command::new(&graphviz)
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(source.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{what}: dot refused it: {stderr}");
        assert!(!stderr.contains("syntax error"), "{what}: {stderr}");
        let svg = String::from_utf8(output.stdout).unwrap();
        parse(&svg);
        if what == "the sample" {
            assert!(svg.contains("Verification callback"));
        }
    }
}

#[test]
fn the_mermaid_export_declares_every_node_it_links() {
    let s = sample();
    let (metrics, friction, follows) = reports(&s);
    let mermaid = JourneyMap::new(&s.journey)
        .metrics(&metrics)
        .friction(&friction)
        .flows(&follows)
        .to_mermaid()
        .unwrap();
    assert!(mermaid.starts_with("flowchart LR\n"));
    let declared: std::collections::HashSet<&str> = mermaid
        .lines()
        .filter_map(|l| l.trim().split_once("[\"").map(|(id, _)| id))
        .filter(|id| id.starts_with('t'))
        .collect();
    assert_eq!(declared.len(), s.journey.touchpoints().len());
    let links: Vec<&str> = mermaid
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->"))
        .collect();
    assert!(links.len() >= s.journey.flows().len());
    for link in &links {
        let words: Vec<&str> = link.split_whitespace().collect();
        let (from, to) = (words[0], words[words.len() - 1]);
        assert!(declared.contains(from) && declared.contains(to), "{link}");
    }
    assert_eq!(
        mermaid.matches("\n  subgraph ").count(),
        s.journey.stages().len()
    );
    assert_eq!(
        mermaid.matches("\n  end\n").count(),
        s.journey.stages().len()
    );
    // Friction: highlighted cards and links, with their ranks.
    assert!(mermaid.contains("classDef high_impact stroke:#a50f15,stroke-width:3px"));
    assert!(mermaid.contains("friction #35;1"));
    assert!(mermaid.contains("linkStyle "));
}

#[test]
fn the_html_report_holds_the_map_the_table_health_and_paths() {
    let s = sample();
    let (metrics, friction, follows) = reports(&s);
    let variants = s.journey.variants(&s.log, &Selection::all(), 5).unwrap();
    let html = HtmlReport::new(
        JourneyMap::new(&s.journey)
            .metrics(&metrics)
            .friction(&friction)
            .flows(&follows),
    )
    .variants(&variants)
    .to_html()
    .unwrap();
    let doc = parse(&html);
    // Self-contained: no script, no link, no external reference.
    assert!(
        doc.descendants()
            .all(|n| !n.has_tag_name("script") && !n.has_tag_name("link"))
    );
    assert!(
        !html.contains("http://") || html.matches("http://").count() == 1,
        "only the SVG namespace"
    );
    assert!(!html.contains("https://"));
    let section = |id: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("section") && n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no section {id}"))
    };
    assert!(section("map").descendants().any(|n| n.has_tag_name("svg")));
    let rows: Vec<_> = section("friction")
        .descendants()
        .filter(|n| n.has_tag_name("tr"))
        .skip(1)
        .collect();
    assert_eq!(rows.len(), friction.points.len());
    let first: Vec<String> = rows[0]
        .children()
        .filter(|n| n.has_tag_name("td"))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect();
    assert_eq!(first[0], "1");
    assert_eq!(first[1], "long wait");
    assert_eq!(first[3], friction.points[0].summary);
    assert!(first[6].contains("n = 79"), "{first:?}");
    let health: String = section("health")
        .descendants()
        .filter_map(|n| n.text())
        .collect();
    assert!(
        health.contains("2,000") && health.contains("Reached a goal"),
        "{health}"
    );
    let paths = section("paths")
        .descendants()
        .filter(|n| n.has_tag_name("tr"))
        .count();
    assert_eq!(paths, 1 + variants.top.len());
}

#[test]
fn headless_chromium_shows_the_map_and_the_table_without_console_errors() {
    let Some(chromium) = program("chromium", "JOURNEY_MAP_REQUIRE_BROWSER") else {
        return;
    };
    let s = sample();
    let (metrics, friction, follows) = reports(&s);
    let html = HtmlReport::new(
        JourneyMap::new(&s.journey)
            .metrics(&metrics)
            .friction(&friction)
            .flows(&follows),
    )
    .to_html()
    .unwrap();
    let dir = std::env::temp_dir().join(format!("journey-map-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("profile")).unwrap();
    let page = dir.join("report.html");
    std::fs::write(&page, &html).unwrap();
    let shot = dir.join("report.png");
    // A laptop-wide window, tall enough for the whole page; the flags keep Chromium off the
    // network (the report needs none).
    let output = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1400,5200",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "chromium failed: {stderr}");
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    let pixels = resvg::tiny_skia::Pixmap::load_png(&shot).unwrap();
    let (w, h) = (pixels.width() as usize, pixels.height() as usize);
    let at = |x: usize, y: usize| {
        let p = pixels.pixel(x as u32, y as u32).unwrap();
        (p.red(), p.green(), p.blue())
    };
    let near = |c: (u8, u8, u8), hex: u32| {
        let t = ((hex >> 16) as u8, (hex >> 8) as u8, hex as u8);
        c.0.abs_diff(t.0) < 4 && c.1.abs_diff(t.1) < 4 && c.2.abs_diff(t.2) < 4
    };
    // The map: its lanes' grey and the funnel's blue, rows of them.
    let rows_with = |hex: u32| -> Vec<usize> {
        (0..h)
            .filter(|&y| (0..w).step_by(2).filter(|&x| near(at(x, y), hex)).count() > 40)
            .collect()
    };
    let lanes = rows_with(0xececec);
    assert!(
        lanes.len() > 300,
        "no map lanes in the screenshot ({} rows)",
        lanes.len()
    );
    let map_bottom = *lanes.last().unwrap();
    let funnel = rows_with(0x56b4e9);
    assert!(
        funnel.iter().any(|&y| y < map_bottom),
        "no funnel in the map"
    );
    // The tables, below the map: one ruled line per row (the map has none of that grey)...
    let ruled = rows_with(0xe4e4e4)
        .into_iter()
        .filter(|&y| y > map_bottom)
        .count();
    assert!(
        ruled > friction.points.len(),
        "no friction table below the map ({ruled} ruled rows)"
    );
    // ...and rank pills in the impact colours beside them.
    let pills = (map_bottom..h)
        .filter(|&y| (0..w / 3).any(|x| near(at(x, y), 0xa50f15)))
        .count();
    assert!(
        pills > 10,
        "no ranked friction table below the map ({pills} rows)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_html_report_adds_incidents_and_trends_when_given() {
    use journey_map::analysis::{Calendar, Granularity, Observation};
    let s = sample();
    let observation = Observation::new(&s.journey, &s.log).unwrap();
    let months = Calendar::new(Granularity::Month);
    let config = FrictionConfig::default();
    let incidents = observation
        .incidents(&Selection::all(), &months, &config)
        .unwrap();
    let trends = observation
        .trends(&Selection::all(), &months, &config)
        .unwrap();
    let html = HtmlReport::new(JourneyMap::new(&s.journey))
        .incidents(&incidents)
        .trends(&trends)
        .to_html()
        .unwrap();
    let doc = parse(&html);
    let rows = |id: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("section") && n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no section {id}"))
            .descendants()
            .filter(|n| n.has_tag_name("tr"))
            .count()
    };
    assert_eq!(rows("incidents"), 1 + incidents.incidents.len());
    assert_eq!(rows("trends"), 1 + trends.buckets.len());
    // The March outage of the fee comparison tool, with its dates.
    assert!(
        html.contains("<td>2026-03-01 to 2026-03-31</td><td>failure</td><td>comparison-tool</td>"),
        "{html}"
    );
}

#[test]
fn an_html_persona_view_shows_the_personas_health_never_everyones() {
    let s = sample();
    let (metrics, _, _) = reports(&s);
    let view = MapOptions::default().persona("digital-native");
    let native = metrics
        .by_persona
        .iter()
        .find(|k| k.key.as_ref().is_some_and(|p| p == "digital-native"))
        .unwrap()
        .metrics
        .customers;
    // A report of everyone, seen as one persona: the persona's own figures only.
    let html = HtmlReport::new(
        JourneyMap::new(&s.journey)
            .metrics(&metrics)
            .options(view.clone()),
    )
    .to_html()
    .unwrap();
    let doc = parse(&html);
    let health: String = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("health"))
        .unwrap()
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    assert!(
        health.contains(&format!(
            "Customers{},{:03} of this persona",
            native / 1000,
            native % 1000
        )),
        "{health}"
    );
    assert!(
        !health.contains("Reached a goal") && !health.contains("2,000"),
        "{health}"
    );
    assert!(html.contains("The persona's customers in the stage"));
    // A report computed on the persona's selection: its journey figures are the persona's.
    let theirs = MetricsReport::compute(
        &s.journey,
        &s.log,
        &Selection::all().persona("digital-native"),
        Default::default(),
    )
    .unwrap();
    let html = HtmlReport::new(JourneyMap::new(&s.journey).metrics(&theirs).options(view))
        .to_html()
        .unwrap();
    assert!(html.contains("Reached a goal") && html.contains("Customers in order"));
}

#[test]
fn lanes_by_persona_show_each_personas_own_volumes() {
    let s = sample();
    let (metrics, _, _) = reports(&s);
    let svg = JourneyMap::new(&s.journey)
        .metrics(&metrics)
        .options(MapOptions::default().lanes(Lanes::Persona))
        .to_svg()
        .unwrap();
    let doc = parse(&svg);
    // Cards in document order: lane by lane, each persona's touchpoints in journey order.
    let cards: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("card"))
        .collect();
    let mut expected = Vec::new();
    for persona in s.journey.personas() {
        for t in s
            .journey
            .touchpoints()
            .iter()
            .filter(|t| persona.uses.contains(&t.id))
        {
            let n = metrics
                .by_persona_touchpoint
                .iter()
                .find(|k| k.key.0.as_ref() == Some(&persona.id) && k.key.1 == t.id)
                .unwrap()
                .metrics
                .customers;
            expected.push((format!("card-{}", t.id), n));
        }
    }
    let mut checked = 0;
    let mut differs = false;
    for (card, (id, n)) in cards.iter().zip(&expected) {
        assert_eq!(card.attribute("id"), Some(id.as_str()));
        let texts: Vec<&str> = card
            .descendants()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect();
        let everyone = metrics
            .by_touchpoint
            .iter()
            .find(|k| format!("card-{}", k.key) == *id)
            .unwrap()
            .metrics
            .customers;
        differs |= *n != everyone;
        let volume = if *n == 1 {
            "1 customer".to_owned()
        } else if *n >= 1000 {
            format!("{},{:03} customers", n / 1000, n % 1000)
        } else {
            format!("{n} customers")
        };
        assert!(
            texts.contains(&volume.as_str()),
            "{id}: {volume} in {texts:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, expected.len());
    assert!(
        differs,
        "the persona volumes differ from everyone's somewhere"
    );
}
