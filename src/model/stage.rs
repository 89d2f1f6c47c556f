//! Journey stages: the ordered phases of the customer lifecycle.

use serde::{Deserialize, Serialize};

use super::StageId;

/// A phase of the customer lifecycle, such as awareness, purchase or service.
///
/// Stages are ordered: their order is the order in which they are added to the builder or
/// written in the file. Customers may still move back a stage; see
/// [`Journey::backward_flows`](crate::Journey::backward_flows).
///
/// # Example
///
/// ```
/// use journey_map::Stage;
///
/// let stage = Stage::new("onboarding", "Onboarding").with_description("First 30 days");
/// assert_eq!(stage.id, "onboarding");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Stage {
    /// Unique among the journey's stages; never empty.
    pub id: StageId,
    /// A display name.
    pub name: String,
    /// What happens in this stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Stage {
    /// Creates a stage with an id and a name.
    pub fn new(id: impl Into<StageId>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            description: None,
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}
