//! What-if: the conversion a change to the journey would bring, predicted by the Markov chain
//! of observed transitions, next to the current one; and the difference between a current and
//! a future journey file.
//!
//! A change acts on the chain's transition probabilities:
//!
//! - [`Change::RemoveTouchpoint`]: every move into the touchpoint (and every start there)
//!   goes to drop-out instead;
//! - [`Change::AddFlow`]: a share of the customers leaving `from` go to `to`; the other
//!   exits of `from` (conversion and drop-out included) shrink in proportion;
//! - [`Change::RemoveFlow`]: customers who moved from `from` to `to` do what the other
//!   customers leaving `from` do (drop-out included);
//! - [`Change::LowerDropOff`]: a share of the drop-out at a touchpoint is taken away and its
//!   customers follow the touchpoint's other exits in proportion;
//! - [`Change::MoveShare`]: a share of the customers arriving at `from` (from anywhere,
//!   including the start) arrive at `to` instead, for example at the same step on another
//!   channel, and then behave as `to`'s customers do.
//!
//! The prediction assumes that customers who reach a touchpoint behave as its observed
//! customers did (first-order Markov). Touchpoints nobody visited have no observed behaviour,
//! so a change can only route customers to touchpoints in the chain.

use serde::{Deserialize, Serialize};

use super::attribution::{AttributionError, MarkovChain, Probabilities};
use crate::{Journey, TouchpointId, UnknownIdError};

/// One change to a journey, for [`MarkovChain::predict`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Change {
    /// Take the touchpoint out of the journey.
    RemoveTouchpoint {
        /// The touchpoint.
        touchpoint: TouchpointId,
    },
    /// Send `share` (0..=1) of the customers leaving `from` to `to`.
    AddFlow {
        /// Where the flow starts.
        from: TouchpointId,
        /// Where it leads.
        to: TouchpointId,
        /// The share of `from`'s customers who take it.
        share: f64,
    },
    /// Close the move from `from` to `to`.
    RemoveFlow {
        /// Where the move starts.
        from: TouchpointId,
        /// Where it leads.
        to: TouchpointId,
    },
    /// Take away `by` (0..=1) of the drop-out at a touchpoint: 0.3 turns a drop-out rate of
    /// 40% into 28%.
    LowerDropOff {
        /// The touchpoint.
        touchpoint: TouchpointId,
        /// The share of its drop-out taken away.
        by: f64,
    },
    /// Send `share` (0..=1) of the customers arriving at `from` to `to` instead.
    MoveShare {
        /// Where customers arrive now.
        from: TouchpointId,
        /// Where that share arrives instead.
        to: TouchpointId,
        /// The share moved.
        share: f64,
    },
}

/// Why a what-if could not be predicted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WhatIfError {
    /// The change names a touchpoint the journey does not have.
    #[error("change {change} names an unknown touchpoint")]
    UnknownTouchpoint {
        /// Position of the change in the scenario.
        change: usize,
        /// The id, with the closest valid one.
        #[source]
        source: UnknownIdError,
    },
    /// The change needs the observed behaviour of a touchpoint nobody visited.
    #[error("change {change} needs touchpoint {touchpoint:?}, which no selected customer visited")]
    Unobserved {
        /// Position of the change in the scenario.
        change: usize,
        /// The touchpoint.
        touchpoint: TouchpointId,
    },
    /// A share is outside 0..=1 (or NaN).
    #[error("change {change} has share {share}, outside 0..=1")]
    Share {
        /// Position of the change in the scenario.
        change: usize,
        /// The share given.
        share: f64,
    },
    /// Drop-out cannot be lowered where drop-out is the only way out.
    #[error("change {change}: customers leaving {touchpoint:?} have nowhere else to go")]
    NowhereToGo {
        /// Position of the change in the scenario.
        change: usize,
        /// The touchpoint.
        touchpoint: TouchpointId,
    },
    /// The changed chain cannot be solved.
    #[error("cannot solve the changed chain")]
    Chain(#[from] AttributionError),
}

/// Predicted conversion after a change, next to the current one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Prediction {
    /// Customers in the chain.
    pub customers: u64,
    /// Conversion probability now (equal to the observed conversion rate).
    pub current: f64,
    /// Conversion probability after the change.
    pub predicted: f64,
    /// `predicted - current`, in probability (multiply by 100 for points).
    pub difference: f64,
    /// `customers · predicted - customers · current`.
    pub conversions_gained: f64,
}

impl MarkovChain {
    /// The conversion the chain predicts after `changes`, applied in order, next to the
    /// current one.
    ///
    /// # Arguments
    ///
    /// * `journey` — the journey the chain was built from (to resolve and suggest ids).
    /// * `changes` — the scenario.
    ///
    /// # Returns
    ///
    /// A [`Prediction`]; an empty scenario predicts the current conversion.
    ///
    /// # Errors
    ///
    /// [`WhatIfError`] for an unknown touchpoint (with a suggestion), a touchpoint nobody
    /// visited where its behaviour is needed, a share outside 0..=1, a drop-out that cannot be
    /// lowered, or a change that traps customers in a loop (with [`AttributionError::Trapped`]).
    /// Without customers there is nothing to predict: `Chain(Trapped)` is not used for that;
    /// the prediction is 0 against 0.
    ///
    /// # Complexity
    ///
    /// O(S · T) to apply S changes to T touchpoints, and one sparse solve.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::{Attribute, Change, Selection};
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
    /// let (log, _) = builder.finish();
    /// let chain = journey.markov_chain(&log, &Selection::all())?;
    ///
    /// let better = chain.predict(&journey, &[Change::LowerDropOff {
    ///     touchpoint: "verification-callback".into(),
    ///     by: 0.5,
    /// }])?;
    /// assert!(better.predicted > better.current);
    /// # Ok(())
    /// # }
    /// ```
    pub fn predict(
        &self,
        journey: &Journey,
        changes: &[Change],
    ) -> Result<Prediction, WhatIfError> {
        let mut p = self.probabilities();
        for (i, change) in changes.iter().enumerate() {
            apply(self, journey, &mut p, i, change)?;
        }
        let (current, predicted) = if self.customers == 0 {
            (0.0, 0.0)
        } else {
            (
                self.probabilities().solve()?.conversion,
                p.solve()?.conversion,
            )
        };
        let customers = self.customers as f64;
        Ok(Prediction {
            customers: self.customers,
            current,
            predicted,
            difference: predicted - current,
            conversions_gained: customers * predicted - customers * current,
        })
    }
}

fn check_share(change: usize, share: f64) -> Result<f64, WhatIfError> {
    if (0.0..=1.0).contains(&share) {
        Ok(share)
    } else {
        Err(WhatIfError::Share { change, share })
    }
}

/// The state of a touchpoint that must exist in the journey and, when `observed`, in the chain;
/// `None` for a journey touchpoint nobody visited when that is allowed.
fn state(
    chain: &MarkovChain,
    journey: &Journey,
    change: usize,
    id: &TouchpointId,
    observed: bool,
) -> Result<Option<usize>, WhatIfError> {
    let index = journey
        .resolve_touchpoint(id.as_str())
        .map_err(|source| WhatIfError::UnknownTouchpoint { change, source })?;
    match chain.state_of_index(index) {
        Some(s) => Ok(Some(s as usize)),
        None if observed => Err(WhatIfError::Unobserved {
            change,
            touchpoint: id.clone(),
        }),
        None => Ok(None),
    }
}

/// Scales every exit of state `s` by `factor`.
fn scale_row(p: &mut Probabilities, s: usize, factor: f64) {
    for e in &mut p.to[s] {
        e.1 *= factor;
    }
    p.conversion[s] *= factor;
    p.drop_out[s] *= factor;
}

fn add_move(row: &mut Vec<(u32, f64)>, to: u32, mass: f64) {
    match row.iter_mut().find(|e| e.0 == to) {
        Some(e) => e.1 += mass,
        None => row.push((to, mass)),
    }
}

fn apply(
    chain: &MarkovChain,
    journey: &Journey,
    p: &mut Probabilities,
    i: usize,
    change: &Change,
) -> Result<(), WhatIfError> {
    match change {
        Change::RemoveTouchpoint { touchpoint } => {
            if let Some(s) = state(chain, journey, i, touchpoint, false)? {
                let mut removed = vec![false; p.start.len()];
                removed[s] = true;
                p.remove(&removed);
            }
        }
        Change::AddFlow { from, to, share } => {
            let share = check_share(i, *share)?;
            let f = state(chain, journey, i, from, true)?.unwrap_or_default();
            let t = state(chain, journey, i, to, true)?.unwrap_or_default();
            scale_row(p, f, 1.0 - share);
            add_move(&mut p.to[f], t as u32, share);
        }
        Change::RemoveFlow { from, to } => {
            let (Some(f), Some(t)) = (
                state(chain, journey, i, from, false)?,
                state(chain, journey, i, to, false)?,
            ) else {
                return Ok(());
            };
            let mass: f64 = p.to[f]
                .iter()
                .filter(|e| e.0 == t as u32)
                .map(|e| e.1)
                .sum();
            p.to[f].retain(|e| e.0 != t as u32);
            let rest = 1.0 - mass;
            if rest > 1e-15 {
                scale_row(p, f, 1.0 / rest);
            } else {
                p.drop_out[f] += mass;
            }
        }
        Change::LowerDropOff { touchpoint, by } => {
            let by = check_share(i, *by)?;
            let s = state(chain, journey, i, touchpoint, true)?.unwrap_or_default();
            let freed = p.drop_out[s] * by;
            if freed <= 0.0 {
                return Ok(());
            }
            let rest: f64 = p.to[s].iter().map(|e| e.1).sum::<f64>() + p.conversion[s];
            if rest <= 1e-15 {
                return Err(WhatIfError::NowhereToGo {
                    change: i,
                    touchpoint: touchpoint.clone(),
                });
            }
            let drop_out = p.drop_out[s] - freed;
            scale_row(p, s, (rest + freed) / rest);
            p.drop_out[s] = drop_out;
        }
        Change::MoveShare { from, to, share } => {
            let share = check_share(i, *share)?;
            let Some(f) = state(chain, journey, i, from, false)? else {
                return Ok(());
            };
            let t = state(chain, journey, i, to, true)?.unwrap_or_default() as u32;
            let moved = p.start[f] * share;
            p.start[f] -= moved;
            p.start[t as usize] += moved;
            for row in &mut p.to {
                let Some(mass) = row.iter_mut().find(|e| e.0 == f as u32).map(|e| {
                    let moved = e.1 * share;
                    e.1 -= moved;
                    moved
                }) else {
                    continue;
                };
                add_move(row, t, mass);
            }
        }
    }
    Ok(())
}

/// A touchpoint in both journeys whose description changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TouchpointChange {
    /// The touchpoint.
    pub touchpoint: TouchpointId,
    /// The fields that differ: `name`, `stage`, `channel`, `kind`, `owner`, `description`,
    /// `entry`, `goal`.
    pub fields: Vec<String>,
}

/// A flow, by its ends, with its designed share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowRef {
    /// Where it starts.
    pub from: TouchpointId,
    /// Where it leads.
    pub to: TouchpointId,
    /// Its expected share in the journey that has it (the future one for changed flows).
    pub expected_share: Option<f64>,
}

/// What differs between a current and a future journey.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JourneyDiff {
    /// Touchpoints only the future journey has.
    pub touchpoints_added: Vec<TouchpointId>,
    /// Touchpoints only the current journey has.
    pub touchpoints_removed: Vec<TouchpointId>,
    /// Touchpoints in both whose description changed.
    pub touchpoints_changed: Vec<TouchpointChange>,
    /// Flows only the future journey has.
    pub flows_added: Vec<FlowRef>,
    /// Flows only the current journey has.
    pub flows_removed: Vec<FlowRef>,
    /// Flows in both whose label or expected share changed.
    pub flows_changed: Vec<FlowRef>,
}

/// The changes a [`JourneyDiff`] implies for the Markov model, and what it cannot model.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DiffScenario {
    /// Changes the chain can predict.
    pub changes: Vec<Change>,
    /// What the prediction leaves out, one sentence each.
    pub not_modelled: Vec<String>,
}

impl JourneyDiff {
    /// Compares `current` with `future` by ids, in file order.
    ///
    /// # Complexity
    ///
    /// O(T + F) expected for T touchpoints and F flows.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::JourneyDiff;
    /// use journey_map::{Flow, Journey};
    ///
    /// let current = Journey::load("examples/data/broadband.ron")?;
    /// let future = current.to_builder().flow(Flow::new("tv-advert", "order-confirmation")).build()?;
    /// let diff = JourneyDiff::between(&current, &future);
    /// assert_eq!(diff.flows_added.len(), 1);
    /// assert!(diff.touchpoints_removed.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn between(current: &Journey, future: &Journey) -> JourneyDiff {
        let mut diff = JourneyDiff::default();
        for t in future.touchpoints() {
            match current.touchpoint(t.id.as_str()) {
                None => diff.touchpoints_added.push(t.id.clone()),
                Some(old) => {
                    let mut fields = Vec::new();
                    let mut differs = |same: bool, name: &str| {
                        if !same {
                            fields.push(name.to_owned());
                        }
                    };
                    differs(old.name == t.name, "name");
                    differs(old.stage == t.stage, "stage");
                    differs(old.channel == t.channel, "channel");
                    differs(old.kind == t.kind, "kind");
                    differs(old.owner == t.owner, "owner");
                    differs(old.description == t.description, "description");
                    differs(old.is_entry == t.is_entry, "entry");
                    differs(old.is_goal == t.is_goal, "goal");
                    if !fields.is_empty() {
                        diff.touchpoints_changed.push(TouchpointChange {
                            touchpoint: t.id.clone(),
                            fields,
                        });
                    }
                }
            }
        }
        diff.touchpoints_removed = current
            .touchpoints()
            .iter()
            .filter(|t| future.touchpoint(t.id.as_str()).is_none())
            .map(|t| t.id.clone())
            .collect();
        let key = |f: &crate::Flow| (f.from.clone(), f.to.clone());
        let old: std::collections::HashMap<_, _> =
            current.flows().iter().map(|f| (key(f), f)).collect();
        let new: std::collections::HashMap<_, _> =
            future.flows().iter().map(|f| (key(f), f)).collect();
        let reference = |f: &crate::Flow| FlowRef {
            from: f.from.clone(),
            to: f.to.clone(),
            expected_share: f.expected_share,
        };
        for f in future.flows() {
            match old.get(&key(f)) {
                None => diff.flows_added.push(reference(f)),
                Some(o) if o.label != f.label || o.expected_share != f.expected_share => {
                    diff.flows_changed.push(reference(f));
                }
                Some(_) => {}
            }
        }
        diff.flows_removed = current
            .flows()
            .iter()
            .filter(|f| !new.contains_key(&key(f)))
            .map(reference)
            .collect();
        diff
    }

    /// Whether the journeys are the same, as far as the diff looks.
    pub fn is_empty(&self) -> bool {
        self.touchpoints_added.is_empty()
            && self.touchpoints_removed.is_empty()
            && self.touchpoints_changed.is_empty()
            && self.flows_added.is_empty()
            && self.flows_removed.is_empty()
            && self.flows_changed.is_empty()
    }

    /// The changes the chain of `chain` can predict: removed touchpoints and flows, and
    /// added flows between touchpoints customers visited (with the flow's expected share, or
    /// an equal share of the future out-flows of `from` when it has none). Everything else
    /// (new touchpoints, flows to touchpoints nobody visited, relabelled or re-described
    /// parts) is listed as not modelled.
    pub fn scenario(&self, chain: &MarkovChain, future: &Journey) -> DiffScenario {
        let mut scenario = DiffScenario::default();
        for t in &self.touchpoints_removed {
            scenario.changes.push(Change::RemoveTouchpoint {
                touchpoint: t.clone(),
            });
        }
        for f in &self.flows_removed {
            scenario.changes.push(Change::RemoveFlow {
                from: f.from.clone(),
                to: f.to.clone(),
            });
        }
        for f in &self.flows_added {
            let observed =
                chain.state(f.from.as_str()).is_some() && chain.state(f.to.as_str()).is_some();
            if !observed {
                scenario.not_modelled.push(format!(
                    "new flow {} -> {}: no observed behaviour at one of its ends",
                    f.from, f.to
                ));
                continue;
            }
            let out = future
                .flows()
                .iter()
                .filter(|g| g.from == f.from)
                .count()
                .max(1);
            scenario.changes.push(Change::AddFlow {
                from: f.from.clone(),
                to: f.to.clone(),
                share: f.expected_share.unwrap_or(1.0 / out as f64),
            });
        }
        for t in &self.touchpoints_added {
            scenario
                .not_modelled
                .push(format!("new touchpoint {t}: no observed behaviour"));
        }
        for t in &self.touchpoints_changed {
            scenario.not_modelled.push(format!(
                "touchpoint {} changes {}: behaviour assumed unchanged",
                t.touchpoint,
                t.fields.join(", ")
            ));
        }
        for f in &self.flows_changed {
            scenario.not_modelled.push(format!(
                "flow {} -> {} changes its label or expected share: observed shares kept",
                f.from, f.to
            ));
        }
        scenario
    }
}
