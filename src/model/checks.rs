//! Structural checks: findings about a valid journey that an author should look at.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::journey::Journey;
use super::{StageId, TouchpointId};

/// A structural finding about a valid journey: not an error, but likely a gap in the map.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{Channel, JourneyBuilder, Stage, StructuralWarning, Touchpoint, TouchpointKind};
///
/// let journey = JourneyBuilder::new("Gappy")
///     .stage(Stage::new("buy", "Buy"))
///     .stage(Stage::new("use", "Use"))
///     .touchpoint(Touchpoint::new("shop", "Shop", "buy", Channel::Web, TouchpointKind::DigitalProduct).entry().goal())
///     .touchpoint(Touchpoint::new("faq", "FAQ", "buy", Channel::Web, TouchpointKind::DigitalProduct))
///     .build()?;
/// let warnings = journey.warnings();
/// assert!(warnings.contains(&StructuralWarning::Unreachable { touchpoint: "faq".into() }));
/// assert!(warnings.contains(&StructuralWarning::DeadEnd { touchpoint: "faq".into() }));
/// assert!(warnings.contains(&StructuralWarning::EmptyStage { stage: "use".into() }));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum StructuralWarning {
    /// No entry reaches this touchpoint along designed flows.
    Unreachable {
        /// The touchpoint.
        touchpoint: TouchpointId,
    },
    /// No goal can be reached from this touchpoint along designed flows.
    DeadEnd {
        /// The touchpoint.
        touchpoint: TouchpointId,
    },
    /// This stage holds no touchpoint.
    EmptyStage {
        /// The stage.
        stage: StageId,
    },
}

impl fmt::Display for StructuralWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StructuralWarning::Unreachable { touchpoint } => {
                write!(
                    f,
                    "touchpoint {:?} is unreachable: no entry leads to it",
                    touchpoint.as_str()
                )
            }
            StructuralWarning::DeadEnd { touchpoint } => {
                write!(
                    f,
                    "touchpoint {:?} is a dead end: no goal can be reached from it",
                    touchpoint.as_str()
                )
            }
            StructuralWarning::EmptyStage { stage } => {
                write!(f, "stage {:?} has no touchpoint", stage.as_str())
            }
        }
    }
}

impl Journey {
    /// Every structural finding: unreachable touchpoints, dead ends and empty stages, in that
    /// order, each in file order.
    ///
    /// # Complexity
    ///
    /// O(V + E) in the size of the journey graph.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/broadband.ron"))?;
    /// for warning in journey.warnings() {
    ///     eprintln!("warning: {warning}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn warnings(&self) -> Vec<StructuralWarning> {
        let unreachable =
            self.unreachable_touchpoints()
                .into_iter()
                .map(|t| StructuralWarning::Unreachable {
                    touchpoint: t.id.clone(),
                });
        let dead_ends = self
            .dead_ends()
            .into_iter()
            .map(|t| StructuralWarning::DeadEnd {
                touchpoint: t.id.clone(),
            });
        let empty = self
            .empty_stages()
            .into_iter()
            .map(|s| StructuralWarning::EmptyStage {
                stage: s.id.clone(),
            });
        unreachable.chain(dead_ends).chain(empty).collect()
    }
}
