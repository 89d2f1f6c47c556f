//! Flows: the designed transitions between touchpoints.

use serde::{Deserialize, Serialize};

use super::TouchpointId;

/// A designed transition from one touchpoint to another.
///
/// A flow from a touchpoint to itself is allowed: it models a retry. At most one flow may join
/// the same ordered pair of touchpoints.
///
/// # Example
///
/// ```
/// use journey_map::Flow;
///
/// let flow = Flow::new("chatbot", "phone-agent")
///     .with_label("escalate to a human")
///     .with_expected_share(0.2);
/// assert_eq!(flow.expected_share, Some(0.2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Flow {
    /// The touchpoint the customer leaves.
    pub from: TouchpointId,
    /// The touchpoint the customer goes to.
    pub to: TouchpointId,
    /// What the transition is, e.g. "pay" or "call back".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The share of customers at `from` expected to take this flow, within `0..=1`. The shares of
    /// the flows leaving one touchpoint sum to at most 1; the rest is expected to leave the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_share: Option<f64>,
}

impl Flow {
    /// Creates a flow between two touchpoints.
    pub fn new(from: impl Into<TouchpointId>, to: impl Into<TouchpointId>) -> Self {
        Self {
            from: from.into(),
            to: to.into(),
            label: None,
            expected_share: None,
        }
    }

    /// Sets the label.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the expected share of customers, checked by the builder to lie within `0..=1`.
    pub fn with_expected_share(mut self, share: f64) -> Self {
        self.expected_share = Some(share);
        self
    }

    /// Whether this flow returns to the touchpoint it leaves (a retry).
    pub fn is_self_loop(&self) -> bool {
        self.from == self.to
    }
}
