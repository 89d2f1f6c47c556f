//! Personas: portraits of typical customers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Channel, PersonaId, TouchpointId};

/// A portrait of a typical customer: who they are, what they care about and which channels they
/// prefer. Metrics and friction are sliced by persona.
///
/// # Example
///
/// ```
/// use journey_map::{Channel, Persona};
///
/// let persona = Persona::new("student", "Student")
///     .with_description("First account, banks on the phone")
///     .with_attribute("age band", "18-24")
///     .with_preferred_channel(Channel::MobileApp)
///     .with_uses("app-signup");
/// assert_eq!(persona.attributes["age band"], "18-24");
/// assert_eq!(persona.uses[0], "app-signup");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Persona {
    /// Unique among the journey's personas; never empty.
    pub id: PersonaId,
    /// A display name.
    pub name: String,
    /// Who they are, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Free attributes such as age band, occupation, location or goals, sorted by key.
    #[serde(
        deserialize_with = "crate::format::unique::unique_keys",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub attributes: BTreeMap<String, String>,
    /// The channels this persona prefers, most preferred first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred_channels: Vec<Channel>,
    /// The touchpoints this persona is expected to use (persona usage), to compare later with
    /// what customers did. Empty means no expectation was stated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<TouchpointId>,
}

impl Persona {
    /// Creates a persona with an id and a name and nothing else.
    pub fn new(id: impl Into<PersonaId>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            description: None,
            attributes: BTreeMap::new(),
            preferred_channels: Vec::new(),
            uses: Vec::new(),
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets one free attribute, replacing an earlier value of the same key.
    pub fn with_attribute(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(key.into(), value.into());
        self
    }

    /// Appends a preferred channel.
    pub fn with_preferred_channel(mut self, channel: Channel) -> Self {
        self.preferred_channels.push(channel);
        self
    }

    /// Appends a touchpoint this persona is expected to use.
    pub fn with_uses(mut self, touchpoint: impl Into<TouchpointId>) -> Self {
        self.uses.push(touchpoint.into());
        self
    }
}
