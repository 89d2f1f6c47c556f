//! Shapley attribution of conversions over channels, with the Markov chain as the value
//! function.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::AttributionError;
use super::chain::MarkovChain;
use crate::Channel;
use crate::model::{FastMap, fast_map};

/// The largest number of channels [`exact_up_to`](ShapleyOptions::exact_up_to) accepts (2^20 coalitions).
pub const MAX_EXACT_CHANNELS: usize = 20;

/// How Shapley values over channels are computed.
///
/// # Example
///
/// ```
/// use journey_map::analysis::ShapleyOptions;
///
/// let options = ShapleyOptions::default().exact_up_to(10).permutations(4_000).seed(7);
/// assert_eq!(
///     (options.current_exact_up_to(), options.current_permutations(), options.current_seed()),
///     (10, 4_000, 7)
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ShapleyOptions {
    /// Enumerate every coalition when the chain has at most this many channels (default 15,
    /// at most [`MAX_EXACT_CHANNELS`]); sample permutations above.
    pub(crate) exact_up_to: usize,
    /// Random channel orders to sample above the exact limit (default 1,000, at least 1).
    pub(crate) permutations: usize,
    /// Seed of the sampler (ChaCha8), so a sampled result can be reproduced (default 0).
    pub(crate) seed: u64,
}

impl Default for ShapleyOptions {
    fn default() -> Self {
        Self {
            exact_up_to: 15,
            permutations: 1_000,
            seed: 0,
        }
    }
}

impl ShapleyOptions {
    /// Enumerate every coalition up to this many channels.
    pub fn current_exact_up_to(&self) -> usize {
        self.exact_up_to
    }

    /// Random channel orders sampled above the exact limit.
    pub fn current_permutations(&self) -> usize {
        self.permutations
    }

    /// The seed of the sampler.
    pub fn current_seed(&self) -> u64 {
        self.seed
    }

    /// Sets [`exact_up_to`](ShapleyOptions::exact_up_to).
    pub fn exact_up_to(mut self, channels: usize) -> Self {
        self.exact_up_to = channels;
        self
    }

    /// Sets [`permutations`](ShapleyOptions::permutations).
    pub fn permutations(mut self, permutations: usize) -> Self {
        self.permutations = permutations;
        self
    }

    /// Sets [`ShapleyOptions::seed`].
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// How a [`ShapleyReport`] was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ShapleyMethod {
    /// Every coalition of channels was valued: the values are exact.
    Exact {
        /// Coalitions valued (2^channels).
        coalitions: u64,
    },
    /// Random channel orders were sampled: each value carries a standard error.
    Sampled {
        /// Orders sampled.
        permutations: u64,
    },
}

/// One channel's Shapley value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChannelValue {
    /// The channel.
    pub channel: Channel,
    /// Conversions attributed to it.
    pub conversions: f64,
    /// `conversions` over the total.
    pub share: f64,
    /// Standard error of a sampled value (the standard deviation of the channel's marginal
    /// contributions over the sampled orders, over √orders); absent when exact.
    pub standard_error: Option<f64>,
}

/// Shapley attribution of conversions over channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShapleyReport {
    /// How the values were computed.
    pub method: ShapleyMethod,
    /// The value of every channel together: the chain's predicted conversions, which equal the
    /// observed conversions. The channels' values sum exactly to it less `uncredited`,
    /// sampled or not.
    pub conversions: f64,
    /// Conversions that goals make alone (customers who start at a goal), which no channel
    /// brought: goals are not players, they are kept in every coalition.
    pub uncredited: f64,
    /// Each channel, most conversions first.
    pub channels: Vec<ChannelValue>,
}

/// Values coalitions of channels: customers × conversion with every touchpoint on a channel
/// outside the coalition removed.
struct Worth<'c> {
    chain: &'c MarkovChain,
    /// The chain's channels, by position in the journey's channel list.
    channels: Vec<usize>,
    cache: FastMap<Vec<u64>, f64>,
}

impl Worth<'_> {
    fn of(&mut self, members: &[bool]) -> Result<f64, AttributionError> {
        let key: Vec<u64> = members
            .chunks(64)
            .map(|chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .fold(0_u64, |acc, (i, &m)| acc | (u64::from(m) << i))
            })
            .collect();
        if let Some(&v) = self.cache.get(&key) {
            return Ok(v);
        }
        // Whether each journey channel is in the coalition; goals always are (they are where
        // conversions happen, not players).
        let mut kept = vec![false; self.chain.channels.len()];
        for (i, &member) in members.iter().enumerate() {
            kept[self.channels[i]] = member;
        }
        let removed: Vec<bool> = self
            .chain
            .channel_of
            .iter()
            .zip(&self.chain.goal)
            .map(|(&c, &goal)| !goal && !kept[c])
            .collect();
        let value = if self.chain.customers == 0 {
            0.0
        } else {
            self.chain.customers as f64 * self.chain.conversion_without(&removed)?
        };
        self.cache.insert(key, value);
        Ok(value)
    }
}

/// Shapley values of the chain's channels.
pub(crate) fn shapley(
    chain: &MarkovChain,
    options: ShapleyOptions,
) -> Result<ShapleyReport, AttributionError> {
    if options.exact_up_to > MAX_EXACT_CHANNELS {
        return Err(AttributionError::ExactLimit {
            requested: options.exact_up_to,
            max: MAX_EXACT_CHANNELS,
        });
    }
    if options.permutations == 0 {
        return Err(AttributionError::NoPermutations);
    }
    // The players: channels of the touchpoints that are not goals.
    let mut channels: Vec<usize> = chain
        .channel_of
        .iter()
        .zip(&chain.goal)
        .filter(|(_, goal)| !**goal)
        .map(|(&c, _)| c)
        .collect();
    channels.sort_unstable();
    channels.dedup();
    let k = channels.len();
    let mut worth = Worth {
        chain,
        channels: channels.clone(),
        cache: fast_map(1024),
    };
    // What goals alone convert (customers who start at a goal): credited to no channel.
    let uncredited = worth.of(&vec![false; k])?;
    if k == 0 {
        return Ok(ShapleyReport {
            method: ShapleyMethod::Exact { coalitions: 1 },
            conversions: uncredited,
            uncredited,
            channels: Vec::new(),
        });
    }
    let mut values = vec![0.0; k];
    let mut errors: Option<Vec<f64>> = None;
    let method;
    if k <= options.exact_up_to {
        // Weight of a coalition of size s not holding the channel: s!(k-s-1)!/k!.
        let mut weight = vec![0.0; k.max(1)];
        for (s, w) in weight.iter_mut().enumerate() {
            *w = 1.0 / (k as f64 * binomial(k - 1, s));
        }
        let coalitions = 1_usize << k;
        let mut worths = vec![0.0; coalitions];
        let mut members = vec![false; k];
        for (mask, slot) in worths.iter_mut().enumerate() {
            for (i, m) in members.iter_mut().enumerate() {
                *m = mask & (1 << i) != 0;
            }
            *slot = worth.of(&members)?;
        }
        for mask in 0..coalitions {
            let size = (mask as u32).count_ones() as usize;
            for (i, value) in values.iter_mut().enumerate() {
                if mask & (1 << i) == 0 {
                    *value += weight[size] * (worths[mask | (1 << i)] - worths[mask]);
                }
            }
        }
        method = ShapleyMethod::Exact {
            coalitions: coalitions as u64,
        };
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let mut order: Vec<usize> = (0..k).collect();
        let (mut sum, mut squares) = (vec![0.0; k], vec![0.0; k]);
        let mut members = vec![false; k];
        for _ in 0..options.permutations {
            order.shuffle(&mut rng);
            members.fill(false);
            let mut before = 0.0;
            for &i in &order {
                members[i] = true;
                let after = worth.of(&members)?;
                let marginal = after - before;
                sum[i] += marginal;
                squares[i] += marginal * marginal;
                before = after;
            }
        }
        let m = options.permutations as f64;
        let mut standard_errors = vec![0.0; k];
        for i in 0..k {
            values[i] = sum[i] / m;
            let variance = if options.permutations > 1 {
                ((squares[i] - sum[i] * sum[i] / m) / (m - 1.0)).max(0.0)
            } else {
                0.0
            };
            standard_errors[i] = (variance / m).sqrt();
        }
        errors = Some(standard_errors);
        method = ShapleyMethod::Sampled {
            permutations: options.permutations as u64,
        };
    }
    let total = worth.of(&vec![true; k])?;
    let mut result: Vec<ChannelValue> = (0..k)
        .map(|i| ChannelValue {
            channel: chain.channels[channels[i]].clone(),
            conversions: values[i],
            share: if total > 0.0 { values[i] / total } else { 0.0 },
            standard_error: errors.as_ref().map(|e| e[i]),
        })
        .collect();
    result.sort_by(|a, b| b.conversions.total_cmp(&a.conversions));
    Ok(ShapleyReport {
        method,
        conversions: total,
        uncredited,
        channels: result,
    })
}

/// The binomial coefficient as a float.
fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}
