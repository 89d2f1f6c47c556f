//! Builds a small journey in code and asks it questions.
//!
//! ```text
//! cargo run --example quickstart
//! ```

use journey_map::{
    Channel, Flow, JourneyBuilder, PathLimits, Persona, Stage, Touchpoint, TouchpointKind,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    use TouchpointKind::*;

    let journey = JourneyBuilder::new("Online shop")
        .description("From an advert to a delivered order, with help when checkout fails.")
        .persona(
            Persona::new("busy-parent", "Busy parent")
                .with_attribute("age band", "30-44")
                .with_preferred_channel(Channel::MobileApp)
                .with_uses("app-basket")
                .with_uses("checkout"),
        )
        .persona(
            Persona::new("bargain-hunter", "Bargain hunter").with_preferred_channel(Channel::Web),
        )
        .stages([
            Stage::new("discover", "Discover"),
            Stage::new("buy", "Buy"),
            Stage::new("receive", "Receive"),
        ])
        .touchpoints([
            Touchpoint::new(
                "social-ad",
                "Social advert",
                "discover",
                Channel::Social,
                Marketing,
            )
            .entry(),
            Touchpoint::new(
                "app-basket",
                "Basket in the app",
                "buy",
                Channel::MobileApp,
                DigitalProduct,
            )
            .entry(),
            Touchpoint::new("checkout", "Checkout", "buy", Channel::Web, DigitalProduct),
            Touchpoint::new(
                "chatbot",
                "Help assistant",
                "buy",
                Channel::Chatbot,
                AutomatedService,
            ),
            Touchpoint::new("agent", "Phone agent", "buy", Channel::Phone, HumanService)
                .with_owner("Customer care"),
            Touchpoint::new(
                "delivered",
                "Parcel delivered",
                "receive",
                Channel::Post,
                PhysicalProduct,
            )
            .goal(),
        ])
        .flows([
            Flow::new("social-ad", "app-basket").with_expected_share(0.3),
            Flow::new("app-basket", "checkout").with_expected_share(0.7),
            Flow::new("checkout", "checkout")
                .with_label("retry payment")
                .with_expected_share(0.1),
            Flow::new("checkout", "chatbot")
                .with_label("payment failed")
                .with_expected_share(0.1),
            Flow::new("chatbot", "agent")
                .with_label("escalate to a human")
                .with_expected_share(0.4),
            Flow::new("agent", "checkout").with_label("back to checkout"),
            Flow::new("checkout", "delivered").with_expected_share(0.75),
        ])
        .build()?;

    println!(
        "{}: {} touchpoints in {} stages",
        journey.name(),
        journey.touchpoints().len(),
        journey.stages().len()
    );
    for stage in journey.stages() {
        let names: Vec<&str> = journey
            .touchpoints_in_stage(&stage.id)?
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        println!("  {}: {}", stage.name, names.join(", "));
    }

    let after_checkout: Vec<&str> = journey
        .next_touchpoints("checkout")?
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    println!("after checkout: {}", after_checkout.join(", "));
    println!(
        "checkout is in stage {}",
        journey.stage_of("checkout")?.name
    );

    let uses: Vec<&str> = journey
        .touchpoints_used_by("busy-parent")?
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    println!("busy parent uses: {}", uses.join(", "));

    let paths = journey.paths_to_goals(PathLimits::default().max_touchpoints(6));
    let n = paths.paths.len();
    println!(
        "{n} path{} from an entry to a goal:",
        if n == 1 { "" } else { "s" }
    );
    for path in &paths.paths {
        let ids: Vec<&str> = path.iter().map(|id| id.as_str()).collect();
        println!("  {}", ids.join(" -> "));
    }

    println!("dead ends: {}", journey.dead_ends().len());
    println!("unreachable: {}", journey.unreachable_touchpoints().len());

    // A typo in a lookup names the id and suggests the closest one.
    if let Err(error) = journey.stage_of("chekout") {
        println!("lookup error: {error}");
    }

    print!("\nas RON:\n{}", journey.to_ron_string()?);
    Ok(())
}
