//! An online shop with support, shaped like a real journey: channels of very different natural
//! speeds, customers who differ, designed revisits, a service level; its healthy behaviour.

#![allow(dead_code)]

use std::collections::BTreeMap;

use journey_map::sim::{Behaviour, BehaviourChange, CustomerSpread, PersonaBehaviour, Spread};
use journey_map::{Channel, Journey, TouchpointId};

/// An online shop with support: four stages, seventeen touchpoints on seven channels, designed
/// self-flows ("next page", "another product") and cycles, shares on every flow, and a phone
/// line that promises 80% of calls answered within a minute.
pub const SHOP: &str = r#"#![enable(implicit_some)]
(
    name: "Online shop",
    personas: [
        (id: "browser", name: "Browser"),
        (id: "mobile-first", name: "Mobile-first customer"),
        (id: "store-regular", name: "Store regular"),
    ],
    stages: [
        (id: "discover", name: "Discover"),
        (id: "choose", name: "Choose"),
        (id: "buy", name: "Buy"),
        (id: "support", name: "Support"),
    ],
    touchpoints: [
        (id: "social-ad", name: "Social advert", stage: "discover", channel: Social, kind: Marketing, entry: true),
        (id: "search-ad", name: "Search advert", stage: "discover", channel: Web, kind: Marketing, entry: true),
        (id: "home", name: "Home page", stage: "discover", channel: Web, kind: DigitalProduct, entry: true),
        (id: "catalogue", name: "Catalogue", stage: "choose", channel: Web, kind: DigitalProduct),
        (id: "product", name: "Product page", stage: "choose", channel: Web, kind: DigitalProduct),
        (id: "app-product", name: "App product view", stage: "choose", channel: MobileApp, kind: DigitalProduct, entry: true),
        (id: "cart", name: "Cart", stage: "buy", channel: Web, kind: DigitalProduct),
        (id: "checkout", name: "Checkout", stage: "buy", channel: Web, kind: DigitalProduct),
        (id: "app-checkout", name: "App checkout", stage: "buy", channel: MobileApp, kind: DigitalProduct),
        (id: "pay", name: "Payment", stage: "buy", channel: Web, kind: Billing),
        (id: "confirmed", name: "Order confirmed", stage: "buy", channel: Web, kind: DigitalProduct, goal: true),
        (id: "help-page", name: "Help page", stage: "support", channel: Web, kind: DigitalProduct),
        (id: "chat", name: "Live chat", stage: "support", channel: LiveChat, kind: HumanService),
        (id: "phone-line", name: "Phone line", stage: "support", channel: Phone, kind: HumanService,
            service_level: (answer: (seconds: 60, share: 0.8))),
        (id: "callback", name: "Callback", stage: "support", channel: Phone, kind: HumanService),
        (id: "email-desk", name: "E-mail desk", stage: "support", channel: Email, kind: HumanService),
        (id: "store-desk", name: "Store desk", stage: "support", channel: Store, kind: HumanService),
    ],
    flows: [
        (from: "social-ad", to: "home", expected_share: 0.5),
        (from: "social-ad", to: "app-product", expected_share: 0.3),
        (from: "search-ad", to: "catalogue", expected_share: 0.5),
        (from: "search-ad", to: "product", expected_share: 0.3),
        (from: "home", to: "catalogue", expected_share: 0.6),
        (from: "home", to: "help-page", expected_share: 0.15),
        (from: "catalogue", to: "catalogue", label: "next page", expected_share: 0.3),
        (from: "catalogue", to: "product", expected_share: 0.55),
        (from: "product", to: "product", label: "another product", expected_share: 0.3),
        (from: "product", to: "catalogue", expected_share: 0.1),
        (from: "product", to: "cart", expected_share: 0.45),
        (from: "product", to: "help-page", expected_share: 0.05),
        (from: "app-product", to: "app-product", label: "another product", expected_share: 0.3),
        (from: "app-product", to: "app-checkout", expected_share: 0.5),
        (from: "app-product", to: "chat", expected_share: 0.05),
        (from: "cart", to: "checkout", expected_share: 0.8),
        (from: "cart", to: "product", expected_share: 0.1),
        (from: "checkout", to: "pay", expected_share: 0.85),
        (from: "checkout", to: "chat", expected_share: 0.05),
        (from: "checkout", to: "phone-line", expected_share: 0.05),
        (from: "app-checkout", to: "pay", expected_share: 0.85),
        (from: "app-checkout", to: "chat", expected_share: 0.08),
        (from: "pay", to: "confirmed", expected_share: 0.9),
        (from: "pay", to: "phone-line", expected_share: 0.05),
        (from: "help-page", to: "chat", expected_share: 0.3),
        (from: "help-page", to: "phone-line", expected_share: 0.3),
        (from: "help-page", to: "email-desk", expected_share: 0.2),
        (from: "help-page", to: "store-desk", expected_share: 0.15),
        (from: "chat", to: "phone-line", expected_share: 0.2),
        (from: "chat", to: "cart", expected_share: 0.6),
        (from: "phone-line", to: "callback", expected_share: 0.35),
        (from: "phone-line", to: "cart", expected_share: 0.5),
        (from: "callback", to: "cart", expected_share: 0.7),
        (from: "callback", to: "store-desk", expected_share: 0.1),
        (from: "email-desk", to: "phone-line", expected_share: 0.2),
        (from: "email-desk", to: "cart", expected_share: 0.6),
        (from: "store-desk", to: "cart", expected_share: 0.7),
    ],
)"#;

pub fn shop() -> Journey {
    Journey::from_ron_str(SHOP).expect("the shop journey is valid")
}

pub fn wait(median: f64, spread: f64) -> BehaviourChange {
    let mut change = BehaviourChange::default();
    change.wait_seconds = Some(Spread { median, spread });
    change
}

/// Healthy behaviour: each channel at its natural speed, customers who differ, personas with
/// their own entries.
pub fn healthy() -> Behaviour {
    let mut behaviour = Behaviour::default();
    let channels = [
        (Channel::Web, 2.0, 0.5),
        (Channel::MobileApp, 1.5, 0.5),
        (Channel::Social, 1.0, 0.3),
        (Channel::Phone, 25.0, 0.5),
        (Channel::LiveChat, 30.0, 0.6),
        (Channel::Email, 4.0 * 3600.0, 0.6),
        (Channel::Store, 900.0, 0.5),
    ];
    for (channel, median, spread) in channels {
        behaviour.channels.insert(channel, wait(median, spread));
    }
    // Support desks survey after each ticket.
    let mut desk = BehaviourChange::default();
    desk.survey_share = Some(0.5);
    behaviour.touchpoints.insert("email-desk".into(), desk);
    behaviour.customers = CustomerSpread::default();
    behaviour.customers.time = 0.5;
    behaviour.customers.mood = 0.5;
    behaviour.minutes_between_customers = 20.0;
    behaviour.minutes_between_steps = 10.0;
    let personas = [
        ("browser", 3.0, vec![("search-ad", 2.0), ("home", 1.0)]),
        (
            "mobile-first",
            2.0,
            vec![("social-ad", 1.0), ("app-product", 2.0)],
        ),
        (
            "store-regular",
            1.5,
            vec![("home", 2.0), ("search-ad", 1.0)],
        ),
    ];
    for (id, weight, entries) in personas {
        let mut persona = PersonaBehaviour::default();
        persona.weight = weight;
        persona.entries = entries
            .into_iter()
            .map(|(t, w)| (TouchpointId::from(t), w))
            .collect();
        if id == "store-regular" {
            // Store regulars ask for help often, by e-mail or in a store.
            persona.flows.insert(
                "help-page".into(),
                BTreeMap::from([
                    (TouchpointId::from("email-desk"), 0.5),
                    (TouchpointId::from("store-desk"), 0.3),
                    (TouchpointId::from("phone-line"), 0.1),
                ]),
            );
            persona.flows.insert(
                "home".into(),
                BTreeMap::from([
                    (TouchpointId::from("catalogue"), 0.5),
                    (TouchpointId::from("help-page"), 0.3),
                ]),
            );
        }
        behaviour.personas.insert(id.into(), persona);
    }
    behaviour
}
