//! Touchpoints, their channels and their kinds.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ServiceLevel, StageId, TouchpointId};

/// One place where customer and company meet: in one stage, on one channel, of one kind.
///
/// A touchpoint may be an *entry* (where customers start the journey) and/or a *goal* (a
/// success, such as "account opened").
///
/// # Example
///
/// ```
/// use journey_map::{Channel, Touchpoint, TouchpointKind};
///
/// let signup = Touchpoint::new("web-signup", "Sign-up form", "purchase", Channel::Web, TouchpointKind::DigitalProduct)
///     .with_owner("Digital onboarding team")
///     .entry();
/// assert!(signup.is_entry);
/// assert!(!signup.is_goal);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Touchpoint {
    /// Unique among the journey's touchpoints; never empty.
    pub id: TouchpointId,
    /// A display name.
    pub name: String,
    /// The stage this touchpoint belongs to.
    pub stage: StageId,
    /// The channel the customer uses here.
    pub channel: Channel,
    /// What kind of meeting this is.
    pub kind: TouchpointKind,
    /// The team that owns this touchpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// What happens here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Customers may start the journey here. Written `entry: true` in files.
    #[serde(default, rename = "entry", skip_serializing_if = "is_false")]
    pub is_entry: bool,
    /// Reaching this touchpoint is a success. Written `goal: true` in files.
    #[serde(default, rename = "goal", skip_serializing_if = "is_false")]
    pub is_goal: bool,
    /// What this touchpoint promises its customers; targets it leaves out come from its
    /// channel's service level, if the journey sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<ServiceLevel>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Touchpoint {
    /// Creates a touchpoint that is neither an entry nor a goal.
    pub fn new(
        id: impl Into<TouchpointId>,
        name: impl Into<String>,
        stage: impl Into<StageId>,
        channel: Channel,
        kind: TouchpointKind,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            stage: stage.into(),
            channel,
            kind,
            owner: None,
            description: None,
            is_entry: false,
            is_goal: false,
            service_level: None,
        }
    }

    /// Marks the touchpoint as an entry of the journey.
    pub fn entry(mut self) -> Self {
        self.is_entry = true;
        self
    }

    /// Marks the touchpoint as a goal of the journey.
    pub fn goal(mut self) -> Self {
        self.is_goal = true;
        self
    }

    /// Sets the owner team.
    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the touchpoint's own service level.
    pub fn with_service_level(mut self, level: ServiceLevel) -> Self {
        self.service_level = Some(level);
        self
    }
}

/// The medium through which customer and company meet.
///
/// Written in files as the variant name (`channel: LiveChat`) or `Other("name")`.
///
/// # Example
///
/// ```
/// use journey_map::Channel;
///
/// assert_eq!(Channel::LiveChat.to_string(), "live chat");
/// assert_eq!(Channel::Other("kiosk".into()).to_string(), "kiosk");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Channel {
    /// A website in a browser.
    Web,
    /// A mobile application.
    MobileApp,
    /// E-mail.
    Email,
    /// Text messages.
    Sms,
    /// A phone call, with a person or an automated menu.
    Phone,
    /// Live chat with a person.
    LiveChat,
    /// An automated chat assistant.
    Chatbot,
    /// Social media.
    Social,
    /// A shop, branch or office, in person.
    Store,
    /// Letters and parcels.
    Post,
    /// Any other channel, by name.
    Other(String),
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Web => "web",
            Channel::MobileApp => "mobile app",
            Channel::Email => "e-mail",
            Channel::Sms => "SMS",
            Channel::Phone => "phone",
            Channel::LiveChat => "live chat",
            Channel::Chatbot => "chatbot",
            Channel::Social => "social",
            Channel::Store => "store or branch",
            Channel::Post => "post",
            Channel::Other(name) => name,
        })
    }
}

/// What kind of meeting a touchpoint is.
///
/// Written in files as the variant name (`kind: HumanService`) or `Other("name")`.
///
/// # Example
///
/// ```
/// use journey_map::TouchpointKind;
///
/// assert!(TouchpointKind::HumanService.is_human());
/// assert!(!TouchpointKind::AutomatedService.is_human());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TouchpointKind {
    /// Advertising and other messages that reach the customer.
    Marketing,
    /// A digital product: an app screen, a web form, an e-mail link (UX).
    DigitalProduct,
    /// Help given by a person: an agent on the phone, in chat, in a branch.
    HumanService,
    /// Help given by a machine: a chatbot, an automated phone menu.
    AutomatedService,
    /// A physical product: a card, a router, a parcel.
    PhysicalProduct,
    /// Invoices and payments.
    Billing,
    /// Any other kind, by name.
    Other(String),
}

impl TouchpointKind {
    /// Whether a person serves the customer here.
    pub fn is_human(&self) -> bool {
        matches!(self, TouchpointKind::HumanService)
    }
}

impl fmt::Display for TouchpointKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TouchpointKind::Marketing => "marketing",
            TouchpointKind::DigitalProduct => "digital product",
            TouchpointKind::HumanService => "human service",
            TouchpointKind::AutomatedService => "automated service",
            TouchpointKind::PhysicalProduct => "physical product",
            TouchpointKind::Billing => "billing",
            TouchpointKind::Other(name) => name,
        })
    }
}
