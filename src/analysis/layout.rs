//! What every analysis needs to know of a journey's shape, laid out once on dense indices:
//! each touchpoint's channel, stage and goal flag, and whether a move between two touchpoints
//! follows a designed flow.

use crate::{Channel, Journey, TouchpointIndex};

/// A journey's touchpoints on dense indices, shared by the analyses.
#[derive(Debug, Clone)]
pub(crate) struct Layout<'j> {
    pub(crate) journey: &'j Journey,
    /// The distinct channels of the journey's touchpoints, in order of first use.
    pub(crate) channels: Vec<&'j Channel>,
    /// The channel of each touchpoint, as a position in `channels`.
    pub(crate) channel_of: Vec<usize>,
    /// The stage of each touchpoint, as its stage index.
    pub(crate) stage_of: Vec<usize>,
    /// Whether each touchpoint is a goal.
    pub(crate) is_goal: Vec<bool>,
    /// Bit `from · T + to` set when a designed flow leads from `from` to `to`; empty for
    /// journeys of more than [`DENSE_DESIGNED`] touchpoints, where the flows are searched.
    designed: Vec<u64>,
}

/// The most touchpoints whose designed moves are kept as a bit matrix (512 KiB at most).
const DENSE_DESIGNED: usize = 2048;

/// How one observed move between two touchpoints relates to the designed map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Move {
    /// A designed flow leads from the first touchpoint to the second.
    pub(crate) designed: bool,
    /// Stage of the second minus stage of the first: 0 within a stage, above 1 skips stages,
    /// below 0 goes back.
    pub(crate) stage_step: i64,
}

impl<'j> Layout<'j> {
    /// Lays out `journey` in O(T) for T touchpoints (and O(T·C) for C channels).
    pub(crate) fn of(journey: &'j Journey) -> Self {
        let count = journey.touchpoints().len();
        let mut channels: Vec<&Channel> = Vec::new();
        let mut channel_of = Vec::with_capacity(count);
        let mut stage_of = Vec::with_capacity(count);
        let mut is_goal = Vec::with_capacity(count);
        for (i, touchpoint) in journey.touchpoints().iter().enumerate() {
            let channel = match channels.iter().position(|c| *c == &touchpoint.channel) {
                Some(channel) => channel,
                None => {
                    channels.push(&touchpoint.channel);
                    channels.len() - 1
                }
            };
            channel_of.push(channel);
            let stage = journey.stage_index_of(TouchpointIndex::from_u32(i as u32));
            stage_of.push(stage.map_or(0, |s| s.index()));
            is_goal.push(touchpoint.is_goal);
        }
        let mut designed = Vec::new();
        if count <= DENSE_DESIGNED {
            designed = vec![0_u64; (count * count).div_ceil(64)];
            for from in 0..count {
                for to in journey
                    .flows_out
                    .neighbors(TouchpointIndex::from_u32(from as u32))
                {
                    let bit = from * count + to.index();
                    designed[bit / 64] |= 1 << (bit % 64);
                }
            }
        }
        Self {
            journey,
            channels,
            channel_of,
            stage_of,
            is_goal,
            designed,
        }
    }

    /// The id of the touchpoint at index `t`.
    pub(crate) fn id(&self, t: u32) -> crate::TouchpointId {
        self.journey.touchpoints()[t as usize].id.clone()
    }

    /// Whether a designed flow leads from `from` to `to`: O(1), or O(out-degree of `from`) in
    /// journeys of more than 2,048 touchpoints.
    pub(crate) fn is_designed(&self, from: usize, to: usize) -> bool {
        if !self.designed.is_empty() {
            let bit = from * self.is_goal.len() + to;
            return self.designed[bit / 64] & (1 << (bit % 64)) != 0;
        }
        self.journey
            .flows_out
            .neighbors(TouchpointIndex::from_u32(from as u32))
            .iter()
            .any(|n| n.index() == to)
    }

    /// How the move from `from` to `to` relates to the map.
    pub(crate) fn classify(&self, from: usize, to: usize) -> Move {
        Move {
            designed: self.is_designed(from, to),
            stage_step: self.stage_of[to] as i64 - self.stage_of[from] as i64,
        }
    }
}
